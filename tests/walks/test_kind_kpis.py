"""Each demo user sees only the figures and words of their own kind of store: the bank branch's
营业主管 and the business hall's manager see no 准时交车率, 产值 or CSI, on the home page, the
dashboard or the KPI pages; the station's manager does; and no plan outside the station speaks of
维修技师 or 准时交车."""

import pytest
from django.urls import reverse

from apps.targets import kpis, profiles
from apps.targets.models import TargetPlan

STATION_ONLY = ["tickets.on_time_rate", "tickets.output_value", "manual.csi"]
PAGES = ["/", reverse("targets:dashboard"), reverse("targets:kpis")]


def _station_words() -> list[str]:
    entries = [kpis.get_kpi(key) for key in STATION_ONLY]
    return [str(e.name) for e in entries if e is not None] + ["准时交车率", "产值", "CSI"]


@pytest.mark.parametrize("username", ["supervisor", "manager"])
def test_the_bank_branch_and_the_business_hall_see_no_station_kpi(demo, db, username):
    client = demo.client(username)
    for url in PAGES:
        body = client.get(url).content.decode()
        for key in STATION_ONLY:
            assert key not in body, (username, url, key)
        for word in _station_words():
            assert word not in body, (username, url, word)


def test_the_station_manager_sees_the_station_kpis(demo, db):
    client = demo.client("manager2")
    for url in PAGES:
        body = client.get(url).content.decode()
        for key in STATION_ONLY:
            assert f"kpi-{key}" in body or f"/targets/kpis/{key}/" in body, (url, key)


def test_the_hall_manager_sees_the_halls_own_kpis_on_her_home_page(demo, db):
    body = demo.client("manager").get("/").content.decode()
    for key in profiles.profile_keys("business_hall"):
        assert f'data-testid="kpi-{key}"' in body, key


def test_every_demo_store_has_a_plan_in_its_own_words(demo, db):
    plans = {p.store.code: p for p in TargetPlan.objects.select_related("store")}
    assert {"hall-central", "station-east", "branch-riverside", "hq"} <= set(plans)
    for code, plan in plans.items():
        words = " ".join(
            [*plan.headcount.values_list("post", flat=True), *plan.budget.values_list("item", flat=True)]
            + [str(getattr(plan, f) or "") for f in ("direction", "department_kpis", "post_kpis")]
        )
        if code != "station-east":
            assert "维修技师" not in words and "准时交车" not in words, code
    manager_plan = demo.client("manager").get(plans["hall-central"].get_absolute_url()).content.decode()
    assert "维修技师" not in manager_plan
