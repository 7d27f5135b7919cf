"""The permission matrix: every URL pattern of DutyDesk, with real objects of every store, as every
demo role and as an anonymous visitor.

Instances come from the app itself: the crawler walks the site as the superuser and as every demo
user (each of them a member of one store), and every form action and htmx target it meets is an
instance too; routes without arguments are requested as they are. One instance is kept per (route,
store). The store of an instance is the store of the object its arguments point to: the objects'
own `get_absolute_url` routes say which model a route prefix ("customers/<int:pk>/assets/<int:asset_pk>/")
names; an object route that no model's page names belongs to the store of the one member who met
it. Organisation-wide objects (positions, templates, rules) and personal ones (inbox, print jobs)
have no store.

Rules:
- anonymous visitors are sent to the sign-in page (or refused) everywhere but the public pages;
- nobody but the organisation's admins reaches an object of a store they are not a member of;
- where a role is refused a section's list ("/handovers/"), every object route under that list is
  refused too (403/404: never a page, never a file);
- nothing answers 500, not even an empty POST;
- no page shows a customer's full phone or ID number (only the logged "Show in full" does, and
  empty POSTs never reveal);
- every route is requested at least once: a route the demo has no instance of fails the test by name.

GET first; a view that only takes POST (405) gets an empty POST. Every request runs in a savepoint
that is rolled back, so what one role's request writes never reaches the next.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from apps.org.access import ScopedQuerySet
from apps.org.models import Membership, RoleTier
from tests.walks.conftest import DEMO_USERNAMES
from tests.walks.crawl import all_routes, crawl, route_of

# Pages that answer without signing in.
PUBLIC = {
    "accounts/login/",
    "accounts/logout/",
    "healthz",
    "i18n/setlang/",
    "manifest.webmanifest",
    "integrations/calendar/<str:token>.ics",  # the secret address is the key (calendar apps sign in to nothing)
}
# Answered to a token or an allowed address only, and to everyone else as if it did not exist.
HIDDEN = {"metrics"}
REFUSED = {403, 404}


@dataclass
class Instance:
    url: str
    route: str
    store_id: int | None  # None: an organisation-wide or personal object, or no object at all
    found_by: str


def _arg_routes() -> list[str]:
    """Routes with arguments; those of the REST API are walked from its OpenAPI schema instead
    (tests/walks/test_api.py), with the ids of real objects of every store."""
    return [r for r, _n, _p in all_routes() if not r.startswith(("admin/", "api/")) and "<" in r]


def _plain_routes() -> list[str]:
    return [r for r, _n, _p in all_routes() if not r.startswith("admin/") and "<" not in r]


def _model_prefixes() -> dict[str, tuple[type, str]]:
    """Route prefix up to an object's argument -> (model, argument name), read from the objects' own
    pages (`get_absolute_url`)."""
    out: dict[str, tuple[type, str]] = {}
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        try:
            match = resolve(obj.get_absolute_url())
        except (NoReverseMatch, Resolver404):
            continue
        if not match.kwargs:
            continue
        name = list(match.kwargs)[-1]
        segment = next(s for s in match.route.split("/") if f":{name}>" in s)
        prefix = match.route[: match.route.index(segment) + len(segment)]
        out[prefix] = (model, name)
    return out


def _store_of(model: type, pk) -> tuple[bool, int | None]:
    """(is the model store-scoped, the object's store id)."""
    qs = model._default_manager.all()
    if not isinstance(qs, ScopedQuerySet):
        return False, None
    store = qs.filter(pk=pk).values_list(qs.store_lookup).first()
    return True, store[0] if store else None


def _stores_of(user) -> set[int]:
    return set(Membership.objects.filter(user=user, is_active=True).values_list("store_id", flat=True))


def _parent_list(route: str, plain: list[str]) -> str | None:
    """The list page an object route sits under: the longest argument-free route its fixed start
    begins with ("handovers/" for "handovers/<int:pk>/pdf/"); None when that is only the home page."""
    fixed = route[: route.index("<")]
    candidates = [p for p in plain if p and fixed.startswith(p)]
    return max(candidates, key=len) if candidates else None


def _demo_extras(demo) -> list[str]:
    """The few things the seeded demo does not hold yet (a handover being counted and one waiting
    for acceptance, a correction, a photo, attachments, a campaign, a draft plan, an inbox entry, a
    finished print job, an API token): made here so that every route has an instance. Returns pages to start
    crawling from."""
    from apps.checklists.models import ChecklistRun, ItemResult
    from apps.customers.models import Customer
    from apps.customers.services import attachment_add
    from apps.followups.models import Campaign, FollowUp
    from apps.handovers import services as handovers
    from apps.handovers.models import Counter, Handover, HandoverAmendment, HandoverState
    from apps.notifications.services import notification_send
    from apps.printing.models import PrintJob
    from apps.targets.models import TargetPlan
    from apps.targets.services import plan_attach, plan_new_version
    from apps.tickets.models import Ticket
    from apps.tickets.services import ticket_attach

    users, stores = demo.users, demo.stores
    hall, branch = stores["hall-central"], stores["branch-riverside"]
    starts: list[str] = []

    # Being counted by the hall's manager; waiting for the bank supervisor's acceptance, where a
    # witness signs first.
    counting = handovers.handover_start(
        store=hall,
        counter=Counter.objects.get(store=hall, code="t2"),
        outgoing=users["manager"],
        incoming=users["clerk"],
    )
    waiting = handovers.handover_start(
        store=branch,
        counter=Counter.objects.get(store=branch, code="g1"),
        outgoing=users["teller"],
        incoming=users["supervisor"],
    )
    Handover.objects.filter(pk=waiting.pk).update(state=HandoverState.SIGNED, signed_at=timezone.now())
    for store, manager in ((hall, "manager"), (stores["station-east"], "manager2")):
        run = (
            ChecklistRun.objects.filter(store=store, completed_at__isnull=True)
            .order_by("-date", "pk")
            .first()
        )
        if run is not None:
            ChecklistRun.objects.filter(pk=run.pk).update(assignee=users[manager], date=timezone.localdate())
            starts.append(run.get_absolute_url())
    accepted = Handover.objects.filter(state=HandoverState.ACCEPTED).order_by("pk").first()
    if accepted is not None:
        HandoverAmendment.objects.create(
            handover=accepted,
            number=1,
            line=accepted.lines.first(),
            counted=1,
            reason="walk",
            proposed_by=accepted.outgoing,
            proposed_at=timezone.now(),
        )
        starts.append(accepted.get_absolute_url())
    starts += [counting.get_absolute_url(), waiting.get_absolute_url()]

    result = ItemResult.objects.filter(run__store=hall).order_by("pk").first()
    if result is not None:
        result.photo.save("walk.jpg", ContentFile(b"\xff\xd8\xff\xe0walk"), save=True)
        starts.append(result.run.get_absolute_url())

    for store in (hall, stores["station-east"]):
        customer = Customer.objects.filter(store=store).order_by("pk").first()
        attachment_add(customer=customer, upload=SimpleUploadedFile("walk.txt", b"walk"), by=None)
        ticket = (
            Ticket.objects.filter(store=store).order_by(F("settled_at").desc(nulls_last=True), "pk").first()
        )
        ticket_attach(ticket=ticket, upload=SimpleUploadedFile("walk.txt", b"walk"), by=users["admin"])
        campaign = Campaign.objects.create(
            store=store, name="免费检测周", event_date=timezone.localdate() + dt.timedelta(days=20),
            created_by=users["admin"],
        )  # fmt: skip
        letter = FollowUp.objects.filter(store=store).order_by("pk").first()
        letter.pk = None
        letter.key, letter.campaign, letter.channel, letter.state = (
            f"walk-{store.code}",
            campaign,
            "letter",
            "open",
        )
        letter.save()
        starts += [customer.get_absolute_url(), ticket.get_absolute_url(), campaign.get_absolute_url()]

    approved = TargetPlan.objects.filter(state=TargetPlan.State.APPROVED).order_by("pk").first()
    if approved is not None:
        draft = plan_new_version(by=users["admin"], plan=approved)
        plan_attach(
            by=users["admin"], plan=draft, upload=SimpleUploadedFile("walk.txt", b"walk"), label="附件"
        )
        starts.append(draft.get_absolute_url())

    for name in DEMO_USERNAMES:
        notification_send(recipient=users[name], key="walk-permissions", title="walk", url="/")
        PrintJob.objects.create(
            owner=users[name], builder="walk", title="walk", state=PrintJob.State.DONE, pdf=b"%PDF-1.4 walk",
            filename="walk.pdf", finished_at=timezone.now(),
        )  # fmt: skip
    starts.append(reverse("notifications:inbox"))

    # A person locked out of sign-in, so that the staff page offers "Unlock".
    from axes.models import AccessAttempt
    from django.conf import settings

    AccessAttempt.objects.create(
        username=users["clerk"].username,
        ip_address="10.9.9.9",
        user_agent="walk",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    starts.append(reverse("org:staff"))
    # A personal calendar address (shown once when made, so no page links to it).
    from apps.integrations.services import calendar_feed_issue

    starts.append(reverse("integrations:calendar_feed", args=[calendar_feed_issue(user=users["clerk"])]))
    # A leave request of the manager's own (its withdraw button), the submitted weekly report
    # (its page and the superior's review buttons).
    from apps.reports.models import WeeklyReport
    from apps.roster import services as roster

    roster.request_create(
        by=users["manager"],
        store=stores["hall-central"],
        kind="leave",
        date=timezone.localdate() + dt.timedelta(days=20),
        reason="年假",
    )
    starts.append(reverse("roster:requests"))
    for report in WeeklyReport.objects.all()[:1]:
        starts.append(report.get_absolute_url())
    from apps.bankdesk.box_selectors import tail_boxes

    # Only the box's own teller is offered "count my box"; the crawlers (managers) never see it.
    for box in tail_boxes(store=stores["branch-riverside"])[:1]:
        starts.append(reverse("bankdesk:tail_box_start", args=[box.store_id, box.pk]))
    from apps.api.services import api_token_create

    api_token_create(user=users["manager"], name="DMS")  # the revoke form on the API tokens page
    starts.append(reverse("api_tokens"))
    return starts


def _crawlers(demo) -> list[str]:
    """The superuser, and the manager of every store (who sees what the store's staff see)."""
    managers = Membership.objects.filter(user__in=demo.users.values(), tier=RoleTier.MANAGER, is_active=True)
    return sorted(
        {u.username for u in demo.users.values() if u.is_superuser}
        | set(managers.values_list("user__username", flat=True))
    )


def _collect(demo, starts: list[str]) -> dict[tuple[str, int | None], Instance]:
    from apps.printing.models import PrintJob

    prefixes = _model_prefixes()
    arg_routes = set(_arg_routes())
    found: dict[tuple[str, int | None], Instance] = {}
    for name in _crawlers(demo):
        own_jobs = [j.get_absolute_url() for j in PrintJob.objects.filter(owner=demo.users[name])[:1]]
        site = crawl(demo.client(name), start=("/", *starts, *own_jobs), per_route=3, limit=400)
        urls = set(site.pages)
        urls |= {f.action for f in site.forms if f.method == "post"}
        urls |= {u for p in site.pages.values() for _verb, u in p.fragments}
        member_of = _stores_of(demo.users[name])
        for url in sorted(urls):
            route = route_of(url)
            if route not in arg_routes:
                continue
            kwargs = resolve(url.split("?")[0]).kwargs
            known = [p for p in prefixes if route.startswith(p)]
            store_id: int | None
            if "store_id" in kwargs:
                store_id = int(kwargs["store_id"])  # the route names its store
            elif known:
                model, arg = prefixes[max(known, key=len)]
                _scoped, store_id = _store_of(model, kwargs[arg])
            elif (
                route.split(">")[0].rsplit("<", 1)[-1].startswith("int:")
                and len(member_of) == 1
                and not demo.users[name].is_org_admin
            ):
                store_id = next(iter(member_of))  # met by a member of one store only: that store's
            else:
                store_id = None
            found.setdefault((route, store_id), Instance(url.split("#")[0], route, store_id, name))
    for route in _plain_routes():
        found.setdefault((route, None), Instance("/" + route, route, None, "resolver"))
    return found


def _request(client, url: str, *, follow: bool = False) -> tuple[int, str, str, str]:
    """(status, how, redirect target, text body) of a GET, or of an empty POST where the view only
    takes POST; rolled back. `follow`: follow redirects within the site (a moved page) to the end."""
    with transaction.atomic():
        response = client.get(url, follow=follow)
        how = "GET"
        if response.status_code == 405:
            response = client.post(url, {})
            how = "POST"
        transaction.set_rollback(True)
    ctype = response.get("Content-Type", "")
    text = "html" in ctype or "json" in ctype or ctype.startswith("text/")
    body = response.content.decode("utf-8", "replace") if text and not response.streaming else ""
    location = response.get("Location", "")
    if follow and getattr(response, "redirect_chain", None) and response.status_code == 200:
        return 302, how, response.redirect_chain[-1][0], body
    return response.status_code, how, location, body


def _full_pii() -> set[str]:
    """Every customer's full phone numbers (national digits and E.164 digits) and ID numbers."""
    from apps.customers.models import Customer, CustomerPhone

    phones = CustomerPhone.objects.values_list("digits", "number")
    ids = Customer.objects.exclude(id_number="").values_list("id_number", flat=True)
    return {d for pair in phones for d in (pair[0], pair[1].lstrip("+"))} | set(ids)


def _pii_in(body: str, pii: set[str]) -> set[str]:
    return set(re.findall(r"[0-9]{11,}[0-9Xx]?", body)) & pii


@pytest.fixture
def stub_pdf(monkeypatch):
    """PDFs are counted, not drawn: WeasyPrint is slow and the matrix only reads status codes."""
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.4 walk")


def test_every_route_answers_only_to_those_who_may_see_its_list_and_store(demo, db, stub_pdf):
    instances = _collect(demo, _demo_extras(demo))
    plain = _plain_routes()
    requested = {i.route for i in instances.values()}
    missing = sorted(set(_arg_routes()) - requested)
    assert not missing, f"these routes need an instance in the demo (seed_demo): {missing}"

    problems: list[str] = []
    pii = _full_pii()
    login = reverse(settings.LOGIN_URL)
    anonymous = Client(raise_request_exception=False, REMOTE_ADDR="203.0.113.9")  # from outside
    for inst in instances.values():
        status, how, location, _body = _request(anonymous, inst.url, follow=True)
        if status >= 500:
            problems.append(f"anonymous {how} {inst.url}: {status}")
        elif inst.route in HIDDEN:
            if status != 404:
                problems.append(f"anonymous {how} {inst.url}: {status} (hidden from outside expected)")
        elif inst.route not in PUBLIC and not (
            status in (401, 403) or (status == 302 and location.startswith(login))
        ):
            problems.append(f"anonymous {how} {inst.url}: {status} {location} (sign-in expected)")

    for name in DEMO_USERNAMES:
        user = demo.users[name]
        client = demo.client(name)
        member_of = _stores_of(user)
        sees_all = user.is_superuser or user.is_org_admin
        list_status: dict[str, int] = {}
        for inst in instances.values():
            if inst.route in PUBLIC:
                continue  # signing out or switching language would change the client's next answers
            status, how, _location, body = _request(client, inst.url)
            line = f"{name} {how} {inst.url} (route {inst.route}, from {inst.found_by}): {status}"
            if status >= 500:
                problems.append(line)
                continue
            if shown := _pii_in(body, pii):
                problems.append(f"{line}, shows full phone or ID numbers {sorted(shown)[:3]} unlogged")
            foreign = inst.store_id is not None and not sees_all and inst.store_id not in member_of
            if foreign and status not in REFUSED:
                problems.append(f"{line}, an object of another store")
            parent = _parent_list(inst.route, plain) if "<" in inst.route else None
            if parent:
                if parent not in list_status:
                    list_status[parent] = _request(client, "/" + parent)[0]
                if list_status[parent] in REFUSED and status not in REFUSED:
                    problems.append(f"{line}, although /{parent} refuses {name} ({list_status[parent]})")
    assert not problems, "\n".join(problems)


def test_the_django_admin_answers_only_to_staff(demo, db):
    """Every model page of the Django admin (list and add form, one change form per model with a row)
    sends everyone but staff to the admin's sign-in; staff reach them."""
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    admin_login = reverse("admin:login")
    problems = []
    for name in [None, *DEMO_USERNAMES]:
        user = demo.users.get(name) if name else None
        client = demo.client(name)
        for url in urls:
            response = client.get(url)
            if user is not None and user.is_staff:
                if response.status_code != 200:
                    problems.append(f"{name} {url}: {response.status_code}")
            elif not (response.status_code == 302 and response["Location"].startswith(admin_login)):
                problems.append(f"{name or 'anonymous'} {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
