"""Year ranges as people type them: "1930..1939", "1930..", "..1939" or "1935"."""

from __future__ import annotations

__all__ = ["parse_years"]


def parse_years(text: str) -> tuple[int | None, int | None]:
    """(low, high) of a year range, None for an open end; ValueError when the text is not a range."""
    low, sep, high = text.strip().partition("..")
    if not sep:
        return int(low), int(low)
    return (int(low) if low else None), (int(high) if high else None)
