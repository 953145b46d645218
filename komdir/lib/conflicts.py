"""Optimistic locking: two people editing the same text must not overwrite each other silently."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class EditConflict(ValidationError):
    """Someone else saved the same object after the editor opened the form.

    `current_version` is what the form must carry to save over that newer version on purpose.
    """

    def __init__(self, *, current_version: int, message: str | None = None):
        super().__init__(
            message
            or _(
                "Nogen har gemt en nyere udgave, mens du skrev. Din tekst er ikke gemt, men står "
                "herunder. Se den nye udgave i et andet vindue, og gem igen, hvis din tekst skal "
                "erstatte den."
            ),
            code="edit_conflict",
        )
        self.current_version = current_version


def check_version(*, current: int, expected: int | None) -> None:
    """The one rule: a save must name the version it was opened on; any other is a conflict."""
    if expected is None or expected != current:
        raise EditConflict(current_version=current)


def keep_text_on_conflict(form, exc: EditConflict, *, field: str) -> None:
    """Show `exc` on a bound `form` that keeps the editor's text, and move its hidden version
    `field` to the current one, so saving again replaces the newer version on purpose."""
    data = form.data.copy()
    data[form.add_prefix(field)] = exc.current_version
    form.data = data
    form.add_error(None, exc)
