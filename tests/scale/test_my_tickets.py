"""The home page's "my tickets": two indexed queries (assigned to me; escalated to me) merged, the
same rows in the same order as the one DISTINCT query over the M2M they replace."""

import datetime as dt

import pytest
from django.db.models import F, Q
from django.utils import timezone

from apps.org.models import StoreKind
from apps.tickets.models import Ticket
from apps.tickets.selectors import my_tickets
from tests.factories import customers as cf
from tests.factories.tickets import complaint, repair_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(store):
    """A service station: the list mixes repair orders (a station's) with complaints."""
    store.kind = StoreKind.SERVICE_STATION
    store.save(update_fields=["kind"])
    return store


def _as_before(user, limit):
    """The query my_tickets was: assignee OR escalated_to, DISTINCT, soonest due first (PostgreSQL's
    order: NULLs last)."""
    return list(
        Ticket.objects.for_user(user)
        .open()
        .filter(Q(assignee=user) | Q(escalated_to=user))
        .distinct()
        .order_by(
            F("answer_due_at").asc(nulls_last=True),
            F("promised_at").asc(nulls_last=True),
            "created_at",
            "pk",
        )[:limit]
    )


@pytest.fixture
def mixed(store, store2, manager, clerk, manager2):
    """Tickets assigned to the manager, escalated to them, both, neither, closed, in another store."""
    now = timezone.now()
    c, c2 = cf.customer(store), cf.customer(store2)
    made = []
    for i in range(6):
        t = complaint(store, c, clerk, assignee=manager)
        Ticket.objects.filter(pk=t.pk).update(answer_due_at=now + dt.timedelta(hours=10 - i))
        made.append(t)
    for i in range(5):
        t = repair_order(store, c, clerk, assignee=clerk, promised_in_hours=3 + i)
        t.escalated_to.add(manager)
        made.append(t)
    both = complaint(store, c, clerk, assignee=manager)
    both.escalated_to.add(manager)
    repair_order(store, c, clerk, assignee=clerk)  # neither
    closed = complaint(store, c, clerk, assignee=manager)
    Ticket.objects.filter(pk=closed.pk).update(state=Ticket.State.CLOSED)
    foreign = complaint(store2, c2, manager2, assignee=manager)  # another store the manager cannot see
    foreign.escalated_to.add(manager)
    return made


@pytest.mark.parametrize("limit", [3, 8, 50])
def test_my_tickets_gives_the_same_rows_in_the_same_order_as_the_distinct_query(manager, mixed, limit):
    assert [t.pk for t in my_tickets(user=manager, limit=limit)] == [t.pk for t in _as_before(manager, limit)]


def test_my_tickets_leaves_out_closed_unrelated_and_other_stores_tickets(manager, clerk, mixed):
    """The forbidden path: closed tickets, tickets neither assigned nor escalated to the user, and
    another store's tickets never show; a ticket both assigned and escalated shows once."""
    rows = my_tickets(user=manager, limit=100)
    pks = [t.pk for t in rows]
    assert len(pks) == len(set(pks)) == 12
    assert all(t.state != Ticket.State.CLOSED and t.store_id == mixed[0].store_id for t in rows)
    assert my_tickets(user=clerk, limit=100) == [] or all(
        t.assignee_id == clerk.pk or clerk in t.escalated_to.all() for t in my_tickets(user=clerk, limit=100)
    )
