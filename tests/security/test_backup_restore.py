"""A backup is only a backup once it has been restored: dump, restore into a scratch database, check.

Runs against PostgreSQL (pg_dump/pg_restore) when DATABASE_URL points there, and against
SQLite's online backup API otherwise; both paths are the `restore_check` command of
docs/operations.md.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from focus import services as focus_services
from focus.models import FocusArea


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_a_scratch_database_with_every_row(tmp_path, member, capsys):
    area = FocusArea.objects.get(period__status="current", number=1)
    case = focus_services.case_create(
        author=member, focus_area=area, title="Gemt case", summary="S.", body="B.", publish=True
    )
    focus_services.comment_add(author=member, body="Gemt kommentar.", case=case)
    dump = tmp_path / "komdir.dump"
    call_command("restore_check", "--dump", str(dump), "--make-dump", "--compare")
    out = capsys.readouterr().out
    assert "Restore check passed" in out
    assert "focus_case=1" in out and "focus_comment=1" in out
    assert dump.stat().st_size > 0


@pytest.mark.django_db
def test_a_broken_dump_fails_the_check(tmp_path):
    dump = tmp_path / "broken.dump"
    dump.write_bytes(b"this is not a database dump" * 100)
    with pytest.raises(CommandError):
        call_command("restore_check", "--dump", str(dump))


@pytest.mark.django_db
def test_a_missing_dump_fails_the_check(tmp_path):
    with pytest.raises(CommandError):
        call_command("restore_check", "--dump", str(tmp_path / "none.dump"))
