"""Attachments: checked on the way in, their files removed with their rows."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction

from circles import policies
from circles.models import Attachment, Meeting, MeetingNote
from circles.uploads import check_upload
from members.models import User


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    file,
    filename: str | None = None,
    meeting: Meeting | None = None,
    note: MeetingNote | None = None,
) -> Attachment:
    """Check `file` by content and store it under a random name. Raises ValidationError (Danish)."""
    if (meeting is None) == (note is None):
        raise TypeError("attachment_add() needs exactly one of meeting= or note=")
    if not policies.attachments.can_create(actor, meeting=meeting, note=note):
        raise PermissionDenied
    checked = check_upload(file, name=filename if filename is not None else file.name)
    attachment = Attachment(
        meeting=meeting,
        note=note,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])
    # The storage writes the file first; if the row fails, remove the file again.
    attachment.file.save(checked.name, file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def _delete_files_on_commit(attachments) -> None:
    # Files are not in the transaction: remove them only once the rows are gone for good.
    for storage, name in [(a.file.storage, a.file.name) for a in attachments if a.file.name]:
        transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    if not policies.attachments.can_delete(actor, attachment):
        raise PermissionDenied
    _delete_files_on_commit([attachment])
    attachment.delete()
