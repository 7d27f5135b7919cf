"""The manager's home shows the follow-up KPIs twice: the dashboard (from the KPI snapshot) and the
follow-up panel (live). Both compute through `followups.selectors.followup_kpis` and show the same
figure, and the panel says what each rate counts."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from apps.followups.seeds import rules_seed
from apps.targets import services
from tests.factories.followups import make_customer, make_followup, mark_done

pytestmark = pytest.mark.django_db


def _one_of_three_called(organisation, store, aftersales):
    rule = rules_seed(organisation)["first-call-pickup"]  # window: trigger +3 … +7
    first = timezone.localdate().replace(day=1)
    made = [
        make_followup(rule, make_customer(store, owner=aftersales), trigger_date=first, today=first)
        for _ in range(3)
    ]
    at = timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=4), dt.time(10)))
    mark_done(made[0], at=at, satisfaction=5, by=aftersales)
    services.snapshot_refresh(stores=[store], months=[first])
    return made


@pytest.fixture
def one_of_three_called(organisation, store, aftersales):
    """Three follow-ups of the hall whose window closes this month; one done in its window, rated 5."""
    return _one_of_three_called(organisation, store, aftersales)


@pytest.fixture
def station_one_of_three_called(organisation, store2, manager2):
    """The same at the station, whose KPI profile counts the follow-up rates."""
    from apps.org.models import RoleTier
    from tests.factories.org import member

    return _one_of_three_called(organisation, store2, member(store2, RoleTier.AFTERSALES, "tracker"))


def _cell(body: str, row: str, cell: str) -> str:
    match = re.search(rf'data-testid="{row}".*?data-testid="{cell}"[^>]*>([^<]*)<', body, re.S)
    assert match, row
    return match.group(1).strip()


def test_the_dashboard_snapshot_and_the_live_follow_up_panel_show_the_same_figures(
    client_for, manager2, station_one_of_three_called
):
    body = client_for(manager2).get("/").content.decode()
    for key, part in [
        ("followups.return_visit_rate", "return_visit"),
        ("followups.timeliness_rate", "timeliness"),
        ("followups.satisfaction_rate", "satisfaction"),
    ]:
        assert _cell(body, f"kpi-{key}", "kpi-value") == _cell(body, f"kpi-{part}", "rate-value"), key
    assert _cell(body, "kpi-return_visit", "rate-value") == "33.3%"


def test_the_follow_up_panel_says_what_each_rate_counts(client_for, aftersales, manager, one_of_three_called):
    """3% next to 100% looked broken: the card names numerator and denominator in words."""
    for user in (aftersales, manager):
        body = client_for(user).get("/").content.decode()
        found = re.search(r'data-testid="why-return_visit"[^>]*>([^<]*)<', body)
        assert found is not None
        why = found.group(1)
        assert "1" in why and "3" in why
        assert re.search(r'data-testid="why-timeliness"[^>]*>[^<]*1[^<]*1', body)


def test_a_clerk_sees_neither_the_dashboard_nor_the_follow_up_panel(client_for, clerk, one_of_three_called):
    body = client_for(clerk).get("/").content.decode()
    assert 'data-testid="targets-dashboard"' not in body
    assert 'data-testid="followups-panel"' not in body


def test_the_follow_up_panels_targets_are_the_kinds_data_not_code(client_for, manager2, store2):
    """The panel's "≥100% / ≥98%" come from the store kind's profile (targets.KindKpi): an admin's
    edit shows at once, and a kind that is not measured by a rate shows no target for it."""
    from apps.targets.models import KindKpi

    def target(user, part):
        body = client_for(user).get("/").content.decode()
        found = re.search(rf'data-testid="target-{part}"[^>]*>([^<]*)<', body)
        assert found is not None, part
        return found.group(1).strip()

    assert target(manager2, "return_visit") == "≥100%"
    assert target(manager2, "satisfaction") == "≥98%"
    KindKpi.objects.filter(kind=store2.kind, kpi_key="followups.satisfaction_rate").update(target=95)
    assert target(manager2, "satisfaction") == "≥95%"
    KindKpi.objects.filter(kind=store2.kind, kpi_key__startswith="followups.").delete()
    assert target(manager2, "satisfaction") == ""
