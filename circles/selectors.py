from __future__ import annotations

from circles.models import Circle


def circle_list() -> list[Circle]:
    return list(Circle.objects.select_related("region"))
