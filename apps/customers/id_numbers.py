"""Resident ID numbers (居民身份证号码, GB 11643): the format a customer's ID number must have.

An ID number is 15 digits (the first-generation card), or 17 digits and a check digit (0-9 or X)
computed with ISO 7064 MOD 11-2 over the 17 digits; or empty.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ISO 7064 MOD 11-2: the weight of digit i (from the left) is 2^(17 - i) mod 11, and the sum of
# the weighted digits mod 11 picks the check character from this string.
WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
CHECK_CHARACTERS = "10X98765432"


def id_number_normalise(raw: str | None) -> str:
    """What a person typed, without spaces and with a final lower-case x as X."""
    value = "".join((raw or "").split())
    return value[:-1] + "X" if value.endswith("x") else value


def id_number_check_digit(first17: str) -> str:
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    """The model field's validator: empty, 15 digits, or 17 digits and the right check digit."""
    if not value:
        return
    if len(value) == 15 and value.isascii() and value.isdigit():
        return
    if len(value) == 18 and value[:17].isascii() and value[:17].isdigit() and value[17] in "0123456789X":
        if value[17] == id_number_check_digit(value[:17]):
            return
        raise ValidationError(
            _("%(value)s is not a valid ID number: the check digit does not match; look for a typo."),
            code="id_number_check_digit",
            params={"value": value},
        )
    raise ValidationError(
        _("%(value)s is not an ID number: it has 15 digits, or 17 digits and a check digit (0-9 or X)."),
        code="id_number_format",
        params={"value": value},
    )
