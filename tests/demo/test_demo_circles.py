import io

import pytest

from circles.models import Attachment, Circle, Meeting, MeetingNote, NoteStatus, NoteVisibility
from komdir.demo import circles as demo
from komdir.demo.accounts import seed_accounts


@pytest.mark.django_db
def test_demo_seed_creates_meetings_notes_and_attachments_idempotently():
    # seed_demo calls komdir.demo.circles.seed() right after the demo accounts exist.
    seed_accounts(password="komdir-demo", totp_secret="JBSWY3DPEHPK3PXP")
    demo.seed(stdout=io.StringIO())
    counts = (Meeting.objects.count(), MeetingNote.objects.count(), Attachment.objects.count())
    for circle in Circle.objects.all():
        assert Meeting.objects.filter(circle=circle).past().exists()
        assert Meeting.objects.filter(circle=circle).upcoming().exists()
    assert Meeting.objects.filter(circle__isnull=True).exists()
    published = MeetingNote.objects.filter(status=NoteStatus.PUBLISHED)
    assert published.filter(visibility=NoteVisibility.CIRCLE).exists()
    assert published.filter(visibility=NoteVisibility.MEMBERS).exists()
    assert Attachment.objects.filter(note__visibility=NoteVisibility.CIRCLE).exists()
    for attachment in Attachment.objects.all():
        assert attachment.file.storage.exists(attachment.file.name)
    full = Meeting.objects.get(title=demo.FULL_MEETING)
    answers = list(full.attendances.values_list("response", flat=True))
    assert answers.count("yes") == full.capacity and "waiting" in answers
    demo.seed(stdout=io.StringIO())
    assert (Meeting.objects.count(), MeetingNote.objects.count(), Attachment.objects.count()) == counts
