"""Reads of positions that other apps rely on (checklists, tickets, followups, targets).

The names and signatures here are a contract: keep them stable.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.org.models import Store, User

from .duty_schedule import DutySchedule, duty_schedule
from .models import DutyTask, Frequency, Kpi, Position, PositionHolder


def positions_held_by(*, user, store: Store | None = None) -> QuerySet[Position]:
    holders = PositionHolder.objects.filter(user=user, is_active=True)
    if store is not None:
        holders = holders.filter(store=store)
    return Position.objects.filter(pk__in=holders.values("position_id"), is_active=True)


def holders_of(*, position: Position, store: Store) -> QuerySet[User]:
    return User.objects.filter(
        positions_held__position=position,
        positions_held__store=store,
        positions_held__is_active=True,
        is_active=True,
    ).distinct()


def _holders_near(position: Position, store: Store) -> list[User]:
    """Holders of `position` in `store`, or else anywhere in the store's organisation's back office."""
    in_store = list(holders_of(position=position, store=store))
    if in_store:
        return in_store
    return list(
        User.objects.filter(
            positions_held__position=position,
            positions_held__is_active=True,
            positions_held__store__organisation_id=store.organisation_id,
            positions_held__store__kind="back_office",
            is_active=True,
        ).distinct()
    )


def escalation_chain(*, user, store: Store, max_levels: int = 5) -> list[list[User]]:
    """The people above `user` in `store`, level by level, following the positions' reporting lines.

    Level 1 holds the superiors of the user's position(s); a superior position with nobody holding
    it (in the store, or in the back office) is skipped and its own superiors are looked at instead.
    """
    levels: list[list[User]] = []
    frontier = list(positions_held_by(user=user, store=store).prefetch_related("superiors"))
    seen: set[int] = {p.pk for p in frontier}
    while frontier and len(levels) < max_levels:
        next_positions: list[Position] = []
        people: list[User] = []
        pending = [s for p in frontier for s in p.superiors.all() if s.is_active]
        while pending:
            position = pending.pop(0)
            if position.pk in seen:
                continue
            seen.add(position.pk)
            holders = _holders_near(position, store)
            if holders:
                people.extend(h for h in holders if h.pk != user.pk and h not in people)
                next_positions.append(position)
            else:  # vacant: look above it within the same level
                pending.extend(s for s in position.superiors.all() if s.is_active)
        if people:
            levels.append(people)
        frontier = list(
            Position.objects.filter(pk__in=[p.pk for p in next_positions]).prefetch_related("superiors")
        )
    return levels


def duty_tasks_for(*, position: Position, frequencies: list[str] | None = None) -> QuerySet[DutyTask]:
    """The tasks of the position's current revision, in order (optionally only some frequencies)."""
    tasks = DutyTask.objects.filter(area__revision_id=position.current_revision_id).select_related("area")
    if frequencies:
        tasks = tasks.filter(frequency__in=frequencies)
    return tasks.order_by("area__order", "area__pk", "order", "pk")


def duty_schedules_for(*, position: Position) -> list[tuple[DutyTask, DutySchedule]]:
    """Every duty of the position's current revision done on a schedule (every shift, daily,
    weekly, monthly; not "as needed"), with where it goes: its phase and its day."""
    tasks = duty_tasks_for(
        position=position,
        frequencies=[Frequency.PER_SHIFT, Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY],
    )
    return [(t, duty_schedule(text=t.text, frequency=t.frequency, area=t.area.name)) for t in tasks]


def kpis_for(*, position: Position) -> QuerySet[Kpi]:
    return Kpi.objects.filter(revision_id=position.current_revision_id).order_by("order", "pk")


# --- Reads for the roles pages -------------------------------------------------------------------


def organisation_ids_for(user) -> QuerySet:
    """The organisations whose positions the user may read (those of the stores they may see)."""
    from apps.org.access import stores_for

    return stores_for(user).values("organisation_id")


def _of_own_kinds(positions: QuerySet[Position], user) -> QuerySet[Position]:
    """The positions of the kinds of store the user sees, and those of no kind or of the back
    office (the organisation's own departments, above every store): a hall's people never read a
    station's 服务顾问 or a bank's 柜员."""
    from django.db.models import Q

    from apps.org.access import store_kinds_for
    from apps.org.models import StoreKind

    kinds = store_kinds_for(user)
    if kinds >= set(StoreKind.values):
        return positions
    return positions.filter(Q(store_kind__in=[*kinds, "", StoreKind.BACK_OFFICE]))


def position_list_for(*, user) -> QuerySet[Position]:
    """Positions of the user's organisation(s), with what the list page shows, in constant queries."""
    from django.db.models import Prefetch

    from apps.org.access import stores_for

    holders = (
        PositionHolder.objects.filter(is_active=True, store__in=stores_for(user))
        .select_related("user", "store")
        .order_by("store__name", "user__username")
    )
    return (
        _of_own_kinds(Position.objects.filter(organisation_id__in=organisation_ids_for(user)), user)
        .select_related("department", "current_revision", "organisation")
        .prefetch_related(
            Prefetch("holders", queryset=holders, to_attr="visible_holders"),
            Prefetch("superiors", queryset=Position.objects.only("id", "title", "code")),
        )
        .order_by("department__name", "title", "pk")
    )


def position_get_for(*, user, pk) -> Position:
    """One position the user may read, or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        _of_own_kinds(
            Position.objects.filter(organisation_id__in=organisation_ids_for(user)), user
        ).select_related("department", "current_revision", "current_revision__author", "organisation"),
        pk=pk,
    )


def revision_get(*, position: Position, number: int):
    from django.shortcuts import get_object_or_404

    from .models import PositionRevision

    return get_object_or_404(
        PositionRevision.objects.select_related("author", "position"), position=position, number=number
    )


def revision_with_content(revision):
    """The revision with its areas, tasks and KPIs loaded (three queries)."""
    from django.db.models import Prefetch

    from .models import DutyArea, PositionRevision

    return (
        PositionRevision.objects.select_related("author", "position", "position__department")
        .prefetch_related(
            Prefetch("areas", queryset=DutyArea.objects.prefetch_related("tasks")),
            "kpis",
        )
        .get(pk=revision.pk)
    )


def holders_for_user(*, user, position: Position) -> QuerySet[PositionHolder]:
    from apps.org.access import stores_for

    return (
        PositionHolder.objects.filter(position=position, is_active=True, store__in=stores_for(user))
        .select_related("user", "store")
        .order_by("store__name")
    )


def positions_of(*, organisation) -> QuerySet[Position]:
    """Every position of the organisation (rules and forms of other apps pick from these)."""
    return Position.objects.filter(organisation=organisation)


def positions_current_in(*, organisations, store_kinds=None) -> QuerySet[Position]:
    """Active positions with a current revision in these organisations, with their department;
    given `store_kinds`, only those of these kinds of store (and of no kind or the back office)."""
    positions = Position.objects.filter(
        organisation__in=organisations, is_active=True, current_revision__isnull=False
    ).select_related("department")
    if store_kinds is not None:
        from apps.org.models import StoreKind

        positions = positions.filter(store_kind__in=[*store_kinds, "", StoreKind.BACK_OFFICE])
    return positions


def holdings_of(*, position: Position, store: Store) -> QuerySet[PositionHolder]:
    """Who holds the position in the store now (the holdings, with their user)."""
    return PositionHolder.objects.filter(position=position, store=store, is_active=True).select_related(
        "user"
    )


# --- for other apps (checklists): the vocabulary and the rows they start from -------------------

DutyFrequency = Frequency


def positions_active_in(*, organisation_ids) -> QuerySet[Position]:
    """Active positions of these organisations (ids or a values() subquery)."""
    return Position.objects.filter(organisation_id__in=organisation_ids, is_active=True)


def holder_rows(*, position_ids, store_ids) -> list[tuple[int, int, int]]:
    """(position id, store id, user id) of the active holders (active users) of these positions in
    these stores, in one query."""
    return list(
        PositionHolder.objects.filter(
            position_id__in=position_ids, store_id__in=store_ids, is_active=True, user__is_active=True
        ).values_list("position_id", "store_id", "user_id")
    )
