"""Phone numbers: validation and normalisation with `phonenumbers` (default region CN), and masking."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CN"


def phone_normalise(raw: str, *, region: str = DEFAULT_REGION) -> tuple[str, str]:
    """(E.164, national digits) for a typed number; ValidationError when it is not a valid number.

    The digits are the national form without separators (13800138000, 057188001000), so that a
    search for any part of the number is a plain substring match.
    """
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("%(value)s is not a phone number."), params={"value": text}) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("%(value)s is not a valid phone number."), params={"value": text})
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = "".join(ch for ch in national if ch.isdigit())
    if parsed.country_code != phonenumbers.country_code_for_region(region):
        digits = "".join(ch for ch in e164 if ch.isdigit())
    return e164, digits


def mask_digits(value: str) -> str:
    """138****8000: keep the first three and the last four characters."""
    value = value or ""
    if len(value) <= 7:
        return value[:1] + "*" * max(len(value) - 1, 0)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_number(value: str) -> str:
    """110***********1234."""
    value = value or ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
