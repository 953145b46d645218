"""Text helpers shared by the apps."""

from __future__ import annotations

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str, *, max_length: int = 80, fallback: str = "") -> str:
    """An ASCII slug that keeps Danish letters readable ("Kredsmøde" → "kredsmoede", where
    Django's slugify alone would drop the "ø")."""
    return slugify(text.translate(_DANISH))[:max_length].strip("-") or fallback
