"""Bulk assignment goes row by row through the assign service, so the audit trail names who did it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.followups.models import FollowUp
from apps.followups.services import followup_bulk_assign
from apps.org.models import User
from tests.factories.followups import make_followup
from tests.factories.org import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracker(store):
    return member(store, "aftersales", "other_tracker")


@pytest.fixture
def queue(rules, customer):
    return [make_followup(rules["first-call-pickup"], customer) for _ in range(3)]


def _assignment_history(followups, assignee):
    return {
        fu.pk: list(
            FollowUp.history.filter(id=fu.pk, assignee_id=assignee.pk, history_type="~").values_list(
                "history_user_id", flat=True
            )
        )
        for fu in followups
    }


def test_bulk_assign_from_the_queue_records_the_change_by_the_manager_on_every_follow_up(
    client_for, manager, tracker, queue
):
    response = client_for(manager).post(
        reverse("followups:bulk_assign"), {"ids": [fu.pk for fu in queue], "assignee": tracker.pk}
    )
    assert response.status_code == 302
    assert set(
        FollowUp.objects.filter(pk__in=[fu.pk for fu in queue]).values_list("assignee", flat=True)
    ) == {tracker.pk}
    assert _assignment_history(queue, tracker) == {fu.pk: [manager.pk] for fu in queue}


def test_bulk_assign_outside_a_request_still_names_the_acting_user(manager, tracker, queue):
    """A task or a shell has no request for the history middleware: the service passes `by` on."""
    assert followup_bulk_assign(followups=queue, assignee=tracker, by=manager) == 3
    assert _assignment_history(queue, tracker) == {fu.pk: [manager.pk] for fu in queue}


def test_bulk_assign_skips_closed_follow_ups_and_writes_no_history_for_them(manager, tracker, queue):
    FollowUp.objects.filter(pk=queue[0].pk).update(state=FollowUp.State.DONE)
    assert followup_bulk_assign(followups=queue, assignee=tracker, by=manager) == 2
    assert _assignment_history(queue, tracker) == {
        queue[0].pk: [],
        queue[1].pk: [manager.pk],
        queue[2].pk: [manager.pk],
    }


def test_a_user_without_the_assign_permission_changes_nothing(client_for, aftersales, tracker, queue):
    before = {fu.pk: fu.assignee_id for fu in queue}
    history_before = FollowUp.history.count()
    response = client_for(aftersales).post(
        reverse("followups:bulk_assign"), {"ids": [fu.pk for fu in queue], "assignee": tracker.pk}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        followup_bulk_assign(followups=queue, assignee=tracker, by=aftersales)
    assert dict(FollowUp.objects.filter(pk__in=before).values_list("pk", "assignee_id")) == before
    assert FollowUp.history.count() == history_before


def test_another_stores_manager_changes_nothing_not_even_through_the_service(
    client_for, manager2, tracker, queue
):
    before = {fu.pk: fu.assignee_id for fu in queue}
    history_before = FollowUp.history.count()
    client_for(manager2).post(
        reverse("followups:bulk_assign"), {"ids": [fu.pk for fu in queue], "assignee": tracker.pk}
    )
    with pytest.raises(PermissionDenied):
        followup_bulk_assign(followups=queue, assignee=tracker, by=manager2)
    assert dict(FollowUp.objects.filter(pk__in=before).values_list("pk", "assignee_id")) == before
    assert FollowUp.history.count() == history_before


def test_bulk_assign_selects_the_rows_once_and_writes_two_rows_per_follow_up(
    rules, customer, manager, tracker
):
    """The follow-ups are read (and locked) in one query; each then costs its update and its history row."""

    def queries_for(n):
        followups = [make_followup(rules["first-call-pickup"], customer) for _ in range(n)]
        by = User.objects.get(pk=manager.pk)  # no memberships cached from an earlier call
        with CaptureQueriesContext(connection) as ctx:
            followup_bulk_assign(followups=followups, assignee=tracker, by=by)
        return len(ctx.captured_queries)

    one, four = queries_for(1), queries_for(4)
    assert four - one == 3 * 2
    assert one <= 8
