"""Text helpers shared by the apps."""

from __future__ import annotations

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str, *, max_length: int = 80, fallback: str = "") -> str:
    """An ASCII slug that keeps Danish letters readable ("Kredsmøde" → "kredsmoede", where
    Django's slugify alone would drop the "ø")."""
    return slugify(text.translate(_DANISH))[:max_length].strip("-") or fallback


def unique_slug(text: str, *, taken, reserved=(), fallback: str, max_length: int = 80) -> str:
    """`danish_slug(text)`, numbered ("-2", "-3", …) past the slugs in `taken` (a queryset of
    the model's rows) and the `reserved` words that are pages of their own."""
    base = danish_slug(text, max_length=max_length, fallback=fallback)
    slug, n = base, 1
    while slug in reserved or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
