"""Store scoping and permissions: the one mechanism every app uses to decide who sees and changes what.

- `stores_for(user)`: the stores a user may see (admins: every store of their organisation).
- `ScopedQuerySet.for_user(user)`: any store-scoped model's rows the user may see; set
  `store_lookup` on the queryset class when the store is reached through a relation.
- `can(user, perm, store)`: may this user do `perm` in this store; `require(...)` raises 403.
- `stores_where(user, perm)`: the stores in which the user may do `perm`.
- `organisation_where(user, perm)` / `can_in_organisation(user, perm, organisation_id)`: the
  organisation whose records (positions, rules, templates) the user edits, and whether they may
  edit one organisation's.

Capabilities are plain strings grouped by app (`"<app>.<verb>"`); each tier's set is below.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from .logs import log_store
from .models import VEHICLE_STORE_KINDS, Membership, Organisation, RoleTier, Store, User

CLERK_PERMS = frozenset(
    {
        "store.view",
        "roles.view",
        "checklists.run",
        "handovers.sign",
        "customers.view",
        "customers.edit",
        "tickets.view",
        "tickets.work",
        "pay.view_own",
        "roster.view",
        "bank.record",
    }
)
AFTERSALES_PERMS = frozenset(
    {
        "store.view",
        "roles.view",
        "customers.view",
        "customers.edit",
        "customers.view_pii",
        "tickets.view",
        "tickets.work",
        "followups.view",
        "followups.work",
        "pay.view_own",
        "roster.view",
    }
)
MANAGER_PERMS = (
    CLERK_PERMS
    | AFTERSALES_PERMS
    | frozenset(
        {
            "checklists.board",
            "handovers.set_balances",
            "tickets.assign",
            "followups.assign",
            "targets.view",
            "targets.approve",
            "pay.view_store",
            "pay.lock",
            "roster.plan",
            "reports.view",
            "reports.write",
            "bank.supervise",
        }
    )
)
ADMIN_PERMS = MANAGER_PERMS | frozenset(
    {
        "org.manage",
        "roles.edit",
        "checklists.edit_templates",
        "followups.edit_rules",
        "targets.edit",
        "pay.edit_schemes",
        "reports.review",
        "integrations.manage",
    }
)
TIER_PERMS: dict[str, frozenset[str]] = {
    RoleTier.ADMIN: ADMIN_PERMS,
    RoleTier.MANAGER: MANAGER_PERMS,
    RoleTier.CLERK: CLERK_PERMS,
    RoleTier.AFTERSALES: AFTERSALES_PERMS,
}


def stores_for(user) -> models.QuerySet[Store]:
    """Every store the user may see, as a lazy queryset (usable as a subquery: no extra query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Store.objects.none()
    if user.is_superuser:
        return Store.objects.all()
    admin_orgs = Membership.objects.filter(user=user, tier=RoleTier.ADMIN, is_active=True).values(
        "store__organisation_id"
    )
    member_stores = Membership.objects.filter(user=user, is_active=True).values("store_id")
    return Store.objects.filter(Q(pk__in=member_stores) | Q(organisation_id__in=admin_orgs))


def store_kinds_for(user) -> frozenset[str]:
    """The kinds of the stores the user may see: the vocabulary (vehicles, ticket kinds, survey
    questions) their pages may use. Remembered on the user object for the request."""
    kinds = getattr(user, "_store_kinds", None)
    if kinds is None:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            kinds = frozenset()
        elif user.is_superuser or user.admin_organisation_ids:
            kinds = frozenset(stores_for(user).filter(is_active=True).values_list("kind", flat=True))
        else:
            kinds = frozenset(m.store.kind for m in user.active_memberships)
        user._store_kinds = kinds
    return kinds


def sees_vehicles(user) -> bool:
    """Whether any store the user may see keeps vehicles (a list across stores shows their columns)."""
    return bool(store_kinds_for(user) & VEHICLE_STORE_KINDS)


def stores_where(user, perm: str) -> models.QuerySet[Store]:
    """The stores in which the user may do `perm`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Store.objects.none()
    if user.is_superuser:
        return Store.objects.all()
    tiers = [tier for tier, perms in TIER_PERMS.items() if perm in perms]
    q = Q(pk__in=Membership.objects.filter(user=user, is_active=True, tier__in=tiers).values("store_id"))
    if RoleTier.ADMIN in tiers:
        q |= Q(
            organisation_id__in=Membership.objects.filter(
                user=user, tier=RoleTier.ADMIN, is_active=True
            ).values("store__organisation_id")
        )
    return Store.objects.filter(q)


def organisation_where(user, perm: str) -> Organisation:
    """The organisation in which the user does `perm` (the first by name when there are several):
    where a new position, rule or template of theirs belongs. PermissionDenied when there is none."""
    store = stores_where(user, perm).select_related("organisation").first()
    if store is None:
        raise PermissionDenied
    return store.organisation


def can_in_organisation(user, perm: str, organisation_id: int) -> bool:
    """May the user do `perm` on the organisation-wide records of this organisation?"""
    return stores_where(user, perm).filter(organisation_id=organisation_id).exists()


def can(user, perm: str, store: Store | None = None) -> bool:
    """May `user` do `perm` in `store`? With no store: in at least one of their stores."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if store is None:
        return any(perm in TIER_PERMS[t] for t in user.tiers)
    tier = user.tier_in(store)
    return tier is not None and perm in TIER_PERMS[tier]


def people_who_can(perm: str, store: Store) -> models.QuerySet[User]:
    """The staff who may do `perm` in `store` (the inverse of `can` for one store): active members
    of the store whose tier grants it, and the admins of its organisation. Superusers without a
    membership are not staff of the store and are left out. (Someone holding two tiers in one
    store counts with the higher in `can`; services check `can` again.)"""
    tiers = [tier for tier, perms in TIER_PERMS.items() if perm in perms]
    members = Membership.objects.filter(store=store, tier__in=tiers, is_active=True).values("user_id")
    q = Q(pk__in=members)
    if RoleTier.ADMIN in tiers:
        q |= Q(
            pk__in=Membership.objects.filter(
                store__organisation_id=store.organisation_id,
                store__is_active=True,
                tier=RoleTier.ADMIN,
                is_active=True,
            ).values("user_id")
        )
    return User.objects.filter(q, is_active=True)


def require(user, perm: str, store: Store | None = None) -> None:
    if store is not None:
        log_store(store)  # the log lines of this request name the store it works in
    if not can(user, perm, store):
        raise PermissionDenied


def perm_required(perm: str):
    """View decorator: the user must hold `perm` in at least one store (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def store_ids_for(user, perm: str | None = None) -> list[int]:
    """The ids of `stores_for(user)` (or `stores_where(user, perm)`), read once per user object
    (one request) and kept on it. Scoping by a list of ids (`store_id IN (1, 2)`, `= 1` for one
    store) lets PostgreSQL walk a `(store, <order>)` index and stop at the page size, where a
    subquery makes it read and sort every row of the table."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_store_ids_cache", {})
    if perm not in cache:
        stores = stores_for(user) if perm is None else stores_where(user, perm)
        cache[perm] = sorted(stores.values_list("pk", flat=True))
    return cache[perm]


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a store; `for_user` keeps the ones the user may see."""

    store_lookup = "store"

    def for_user(self, user):
        if getattr(user, "is_superuser", False) and user.is_active:
            return self
        return self.filter(**{f"{self.store_lookup}__in": store_ids_for(user)})

    def for_perm(self, user, perm: str):
        """Rows in the stores where the user may do `perm`."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self
        return self.filter(**{f"{self.store_lookup}__in": store_ids_for(user, perm)})


def tiers_label(tiers: Iterable[str]) -> str:
    labels = dict(RoleTier.choices)
    return "、".join(str(labels[t]) for t in RoleTier.values if t in set(tiers))
