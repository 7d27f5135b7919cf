"""How a receiver knows a webhook came from DutyDesk and was not replayed.

Every POST carries
- `X-DutyDesk-Timestamp`: the Unix time of this attempt,
- `X-DutyDesk-Signature`: `v1=` + hex HMAC-SHA256 of `"<timestamp>." + body` with the endpoint's
  secret,
- `Idempotency-Key`: the delivery's UUID, the same on every attempt (also the body's `id`),
- `X-DutyDesk-Event`: the event name.

A receiver recomputes the HMAC over the raw body, compares in constant time and refuses a timestamp
older than a few minutes (`signature_valid` does all three).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

EVENT_HEADER = "X-DutyDesk-Event"
TIMESTAMP_HEADER = "X-DutyDesk-Timestamp"
SIGNATURE_HEADER = "X-DutyDesk-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, *, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signature_valid(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature_header: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    expected = signature(secret, timestamp=sent_at, body=body)
    return hmac.compare_digest(expected.encode(), (signature_header or "").encode())
