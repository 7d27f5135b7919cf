"""Keyboard-first data entry, walked: every htmx form a person types into, on every page the crawl
reaches, saves without replacing what is being typed (habit 13). A save's answer carries only
out-of-band swaps of computed parts; the form's own swap is "none", so no field, cursor or keystroke
is ever replaced while the person types on in the next field."""

import re

from django.contrib.auth import get_user_model

from apps.checklists.models import ChecklistRun, RunState
from apps.handovers import services
from apps.handovers.models import Counter
from tests.walks.crawl import crawl

# A field someone types in (a file input or a checkbox is not typed into).
TYPED_FIELD = re.compile(
    r"<(textarea|select)\b|<input\b(?![^>]*\btype=\"(hidden|file|checkbox|radio|submit|button)\")", re.I
)
TYPED_KINDS = {"text", "textarea", "number", "search", "tel", "email", "url", "password", "select"}


def test_every_htmx_form_people_type_in_saves_without_swapping_a_field(demo, db):
    clerk = demo.users["clerk"]
    store = demo.stores["hall-central"]
    handover = services.handover_start(
        store=store,
        counter=Counter.objects.filter(store=store).first(),
        outgoing=clerk,
        incoming=get_user_model().objects.get(username="clerk2"),
    )
    run = (
        ChecklistRun.objects.filter(assignee=clerk, completed_at=None).exclude(state=RunState.MISSED).first()
    )
    start = (handover.get_absolute_url(), run.get_absolute_url(), "/")
    site = crawl(demo.client("clerk"), start=start, per_route=1)
    typed = [
        f
        for f in site.forms
        if f.htmx and f.method == "post" and any(field.kind in TYPED_KINDS for field in f.fields)
    ]
    routes = {f.route for f in typed}
    assert {
        "handovers/<int:pk>/lines/<int:line_pk>/",
        "checklists/runs/<int:pk>/items/<int:item_pk>/",
    } <= routes
    client = demo.client("clerk")
    for form in {f.route: f for f in typed}.values():
        assert form.swap == "none", f"{form.action} on {form.page} swaps {form.swap or 'its target'}"
        response = client.post(form.action, form.data(), headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code == 200, form.action
        assert not TYPED_FIELD.search(body), f"the answer of {form.action} carries a field"
        assert 'hx-swap-oob="true"' in body, form.action
