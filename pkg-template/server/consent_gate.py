"""Consent Gate: reading the consent cookie on a server (Python 3.8+, stdlib only).

    from consent_gate import read_consent
    consent = read_consent(request.cookies.get("consent_gate", ""))
    if consent and consent["categories"]["performance"]:
        ...

The grammar is README.md, "The consent cookie"'s; this reader is tested against the same golden
vectors as the module's Rust decoder.
"""

import re
import time
from datetime import datetime, timedelta, timezone

__all__ = ["read_consent"]

# [0-9] rather than \d: \d matches non-ASCII digits too.
_VALUE = re.compile(
    r"1\.([0-9a-f]{32})\.([1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,10})\.(0|[1-9][0-9]{0,10})"
    r"\.(0|[1-9][0-9]{0,10})\.(1[01]{3})\.([0-3])"
    r"\.((?:[a-z0-9][a-z0-9_-]{0,63}:[01])(?:~[a-z0-9][a-z0-9_-]{0,63}:[01]){0,63})?"
    r"\.([0-9a-f]{8})"
)
_MAX_LEN = 3072
_MAX_REVISION = 1000000000
_MAX_LIFETIME = 395 * 86400
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_CATEGORIES = ("essential", "performance", "functional", "marketing")


def _fnv1a32(data):
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _iso(seconds):
    """Unix seconds as JavaScript's Date.prototype.toISOString shows them."""
    d = _EPOCH + timedelta(seconds=seconds)  # fromtimestamp fails past 3000 on some systems
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".000Z"


def read_consent(value, now=None):
    """The decision in a consent cookie's raw value, or None.

    Returns a dict in the shape of the browser's ``ConsentGate.get()``
    (``id``, ``revision``, ``decidedAt``, ``updatedAt``, ``expiresAt``,
    ``categories``, ``services``, ``gpc``, and ``mode`` = ``"opt-out"`` for a
    decision taken in an opt-out region), or None when the value does not
    match the grammar exactly (truncated, tampered, out of range, extra
    fields, surrounding whitespace...) or the decision has expired at ``now``
    (Unix seconds; default: the current time). None means "no decision":
    grant nothing optional. Compare ``revision`` with your config's yourself.
    """
    if not isinstance(value, str) or len(value) > _MAX_LEN:
        return None
    m = _VALUE.fullmatch(value)
    if m is None:
        return None
    cid, rev, dec, upd, exp, cats, flags, services, check = m.groups()
    if _fnv1a32(value[:-9].encode("ascii")) != int(check, 16):
        return None
    revision, decided, updated, expires = int(rev), int(dec), int(upd), int(exp)
    if revision > _MAX_REVISION:
        return None
    if decided > updated or updated >= expires or expires - updated > _MAX_LIFETIME:
        return None
    if not (time.time() if now is None else now) < expires:
        return None
    grants = {}
    previous = None
    for item in services.split("~") if services else []:
        sid = item[:-2]
        # Sorted by id (ASCII order), each id once.
        if previous is not None and not previous < sid:
            return None
        previous = sid
        grants[sid] = item.endswith("1")
    record = {
        "id": cid,
        "revision": revision,
        "decidedAt": _iso(decided),
        "updatedAt": _iso(updated),
        "expiresAt": _iso(expires),
        "categories": {name: flag == "1" for name, flag in zip(_CATEGORIES, cats)},
        "services": grants,
        # flags: 1 = GPC honoured, 2 = decided in an opt-out region, 3 = both.
        "gpc": flags in ("1", "3"),
    }
    if flags in ("2", "3"):
        record["mode"] = "opt-out"
    return record
