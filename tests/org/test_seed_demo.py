import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.org.models import Membership, RoleTier, Store, User

pytestmark = pytest.mark.django_db


def model_counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = model_counts()
    passwords = dict(User.objects.values_list("username", "password"))
    call_command("seed_demo")
    assert model_counts() == first
    assert dict(User.objects.values_list("username", "password")) == passwords
    out = capsys.readouterr().out
    assert "http://" in out and "manager2" in out


def test_seed_demo_builds_a_business_hall_and_a_service_station_with_the_demo_users(settings):
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    # Every demo user it made is printed with how to sign in (teller and supervisor were missing).
    printed = {line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  ")}
    assert printed == set(User.objects.filter(memberships__isnull=False).values_list("username", flat=True))
    assert {"teller", "supervisor"} <= printed
    kinds = set(Store.objects.values_list("kind", flat=True))
    assert {"business_hall", "service_station"} <= kinds
    first = Store.objects.get(code="hall-central")
    for username, tier in [("manager", "manager"), ("clerk", "clerk"), ("aftersales", "aftersales")]:
        assert Membership.objects.filter(user__username=username, store=first, tier=tier).exists()
    assert Membership.objects.filter(user__username="admin", tier=RoleTier.ADMIN).exists()
    assert Membership.objects.filter(
        user__username="manager2", store__code="station-east", tier=RoleTier.MANAGER
    ).exists()
    assert User.objects.get(username="clerk").check_password(settings.DEMO_PASSWORD)


def test_the_readme_lists_every_demo_sign_in():
    from apps.org.demo import SIGN_INS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo sign-ins", 1)[1].split("\n## ", 1)[0]
    assert [u for u in SIGN_INS if f"`{u}`" not in section] == []
