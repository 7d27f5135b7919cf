"""Other apps add their part of a customer's data to the PIPL export without this app importing them:

from apps.customers.personal_data import register_personal_data_section
register_personal_data_section("tickets", fn)  # fn(*, customer) -> JSON-ready list or dict
"""

from __future__ import annotations

from collections.abc import Callable

_sections: dict[str, Callable] = {}


def register_personal_data_section(name: str, fn: Callable) -> None:
    _sections[name] = fn


def sections_for(*, customer) -> dict:
    return {name: _sections[name](customer=customer) for name in sorted(_sections)}
