"""Store-scoped reads of the organisation."""

from django.db.models import Prefetch, QuerySet

from .access import stores_for
from .models import Membership, RoleTier, Store, User


def store_list_for(*, user) -> QuerySet[Store]:
    return stores_for(user).select_related("organisation").order_by("name")


def memberships_for_home(*, user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, store__is_active=True)
        .select_related("store", "store__organisation", "department")
        .order_by("store__name")
    )


def staff_list_for(*, user, store: Store | None = None) -> QuerySet[User]:
    """People working in the stores the user may see (or in one of them)."""
    stores = stores_for(user) if store is None else stores_for(user).filter(pk=store.pk)
    active = Membership.objects.filter(store__in=stores, is_active=True).select_related("store")
    return (
        User.objects.filter(memberships__in=active, is_active=True)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=active, to_attr="visible_memberships"))
        .order_by("username")
    )


def people_with_tier(
    *, tiers: list[str] | list[RoleTier], store: Store | None = None, stores=None
) -> QuerySet[User]:
    """Active people holding one of `tiers` (an active membership) in `store`, or in any of `stores`."""
    where = {"memberships__store": store} if stores is None else {"memberships__store__in": stores}
    return User.objects.filter(
        **where, memberships__tier__in=tiers, memberships__is_active=True, is_active=True
    ).distinct()


def managers_of(*, store: Store) -> QuerySet[User]:
    """The store's managers, the longest-standing account first."""
    return people_with_tier(store=store, tiers=[RoleTier.MANAGER]).order_by("pk")


def store_ids(stores) -> QuerySet | list[int]:
    """`stores` as given to a figure (a Store queryset, or stores, or ids) ready for `store__in`:
    a queryset stays a subquery, so no extra query is made."""
    if isinstance(stores, QuerySet):
        return stores.values("pk")
    return [getattr(s, "pk", s) for s in stores]
