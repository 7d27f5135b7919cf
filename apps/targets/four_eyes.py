"""Nobody signs off their own: who may approve (签发) a target plan or lock a pay sheet.

The person a record is about (a plan's responsible manager, a pay sheet's holder) never signs it
off. Whoever is above that person on the reporting line (the superiors of the positions they hold,
`apps.roles.selectors.escalation_chain`) does, and so does an admin (the organisation's office is
above every store). Where the reporting line names nobody above them, the role tiers of the store
decide: a manager signs off a clerk's, an admin a manager's, never a peer. Either way the approver also needs the capability in the record's store, so a manager of
another store never can.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.org.access import can
from apps.org.models import RoleTier, Store, User
from apps.roles.selectors import escalation_chain

# Clerks and after-sales staff are peers; a manager is above both, an admin above a manager.
RANK = {RoleTier.ADMIN: 0, RoleTier.MANAGER: 1, RoleTier.CLERK: 2, RoleTier.AFTERSALES: 2, None: 3}


def may_sign_off(*, by: User, owner: User | None, store: Store, perm: str) -> bool:
    if not can(by, perm, store):
        return False
    if owner is None:
        return True
    if by.pk == owner.pk:
        return False
    if by.tier_in(store) == RoleTier.ADMIN:
        return True
    above = {person.pk for level in escalation_chain(user=owner, store=store) for person in level}
    if above:
        return by.pk in above
    return RANK[by.tier_in(store)] < RANK[owner.tier_in(store)]


def require_sign_off(*, by: User, owner: User | None, store: Store, perm: str) -> None:
    if not may_sign_off(by=by, owner=owner, store=store, perm=perm):
        raise PermissionDenied
