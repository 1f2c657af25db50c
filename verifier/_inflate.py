"""Decompression with a cap, for attacker-controlled zlib and GZIP data."""
from __future__ import annotations

import zlib


def inflate_capped(data: bytes, limit: int, wbits: int = zlib.MAX_WBITS) -> bytes | None:
    """``data`` inflated, or None when it inflates past ``limit`` bytes: what lies beyond the cap
    is never inflated in memory. Raises ``zlib.error`` when the data is corrupt."""
    inflater = zlib.decompressobj(wbits)
    inflated = inflater.decompress(data, limit)
    return None if inflater.unconsumed_tail else inflated
