"""One password check for every page, through the sign-in lockout; passwords of 10 characters."""

import ast
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.org.passwords import PASSWORD_REFUSED, PasswordRefused, password_confirm
from tests.factories.org import web_request

pytestmark = pytest.mark.django_db

APPS = Path(__file__).resolve().parents[2] / "apps"


def test_no_code_checks_a_password_except_through_the_lockout():
    """`check_password` is called nowhere in apps/ but by Django inside `authenticate`."""
    calls = []
    for path in APPS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "check_password":
                calls.append(f"{path.relative_to(APPS)}:{node.lineno}")
    assert calls == []


def test_five_wrong_passwords_confirmed_in_pages_lock_the_person_out_of_sign_in(client, clerk):
    for n in range(5):
        with pytest.raises(PasswordRefused):
            password_confirm(request=web_request(f"10.9.0.{n}"), user=clerk, password="wrong")
    with pytest.raises(PasswordRefused) as refused:
        password_confirm(request=web_request("10.9.1.1"), user=clerk, password=settings.DEMO_PASSWORD)
    assert str(refused.value) == str(PASSWORD_REFUSED)
    response = client.post(reverse("login"), {"username": "clerk", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 429


def test_a_page_check_does_not_turn_the_page_into_the_lockout_page(clerk):
    request = web_request()
    for _ in range(6):
        with pytest.raises(PasswordRefused):
            password_confirm(request=request, user=clerk, password="wrong")
    assert not request.axes_locked_out


def test_the_answer_is_the_same_for_no_person_and_a_wrong_password(clerk):
    with pytest.raises(PasswordRefused) as nobody:
        password_confirm(request=web_request(), user=None, password="x")
    with pytest.raises(PasswordRefused) as wrong:
        password_confirm(request=web_request(), user=clerk, password="x")
    assert str(nobody.value) == str(wrong.value)


def test_the_old_password_on_the_password_page_counts_toward_the_lockout(client_for, client, clerk):
    page = client_for(clerk)
    for _ in range(5):
        response = page.post(
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": "Lang3Genug!x", "new_password2": "Lang3Genug!x"},
        )
        assert response.status_code == 200
        assert str(PASSWORD_REFUSED) in response.content.decode()
    response = page.post(
        reverse("password_change"),
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "Lang3Genug!x",
            "new_password2": "Lang3Genug!x",
        },
    )
    assert response.status_code == 200, "refused while locked"
    clerk.refresh_from_db()
    assert clerk.check_password(settings.DEMO_PASSWORD)
    page.logout()
    assert (
        client.post(reverse("login"), {"username": "clerk", "password": settings.DEMO_PASSWORD}).status_code
        == 429
    )


def test_no_typed_password_is_kept_in_clear_in_the_lockout_records(client_for, clerk):
    client_for(clerk).post(
        reverse("password_change"),
        {"old_password": "Secret-Old-1", "new_password1": "Secret-New-12", "new_password2": "Secret-New-12"},
    )
    kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "old_password" in kept
    assert "Secret-" not in kept


def test_passwords_need_at_least_ten_characters(clerk):
    with pytest.raises(ValidationError):
        validate_password("Xq7#mPz2!", user=clerk)
    validate_password("Xq7#mPz2!w", user=clerk)


def test_the_password_page_refuses_a_nine_character_password(client_for, clerk):
    response = client_for(clerk).post(
        reverse("password_change"),
        {"old_password": settings.DEMO_PASSWORD, "new_password1": "Xq7#mPz2!", "new_password2": "Xq7#mPz2!"},
    )
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(settings.DEMO_PASSWORD)


def _password_field_names() -> set[str]:
    """Names of every password input the app offers: form fields with a PasswordInput (every form
    class of every app and of django.contrib.auth) and hand-written `type="password"` inputs."""
    import importlib
    import importlib.util
    import inspect
    import re

    from django import forms
    from django.apps import apps as registry
    from django.contrib.auth import forms as auth_forms
    from django.template import engines

    names = set()
    modules = [auth_forms]
    for config in registry.get_app_configs():
        if config.name.startswith("apps.") and importlib.util.find_spec(f"{config.name}.forms"):
            modules.append(importlib.import_module(f"{config.name}.forms"))
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and hasattr(cls, "base_fields"):
                for field_name, field in cls.base_fields.items():
                    if isinstance(field.widget, forms.PasswordInput):
                        names.add(field_name)
    for directory in engines["django"].template_dirs:
        if ".venv" in str(directory) or "site-packages" in str(directory):
            continue
        for path in Path(directory).rglob("*.html"):
            for tag in re.findall(r"<input[^>]*type=\"password\"[^>]*>", path.read_text()):
                names.update(re.findall(r"name=\"([^\"]+)\"", tag))
    return names


def test_every_password_field_is_masked_in_the_lockout_records():
    """axes keeps the POST data of failed attempts; every password field the app offers is masked."""
    names = _password_field_names()
    assert {"password", "old_password", "confirmer_password"} <= names
    assert names <= set(settings.AXES_SENSITIVE_PARAMETERS)
