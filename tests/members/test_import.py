"""Inviting many members from a CSV or Excel file: preview every row's problem, then all or nothing."""

import io
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from members import services
from members.importing import ImportFileError, check_invitation_rows, read_invitation_file
from members.models import Invitation, Level, Municipality
from tests.factories import make_member, municipality

IMPORT_URL = "/admin/members/invitation/importer/"
HEADER = "E-mail;Fornavn;Efternavn;Stillingsbetegnelse;Niveau;Kommune\n"


def csv_file(body: str, *, header: str = HEADER, name: str = "medlemmer.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, (header + body).encode(encoding), content_type="text/csv")


def good_rows() -> str:
    return (
        "anne@aalborg.dk;Anne;Andersen;Direktør for Børn og Unge;2;Aalborg\n"
        "bo@aarhus.dk;Bo;Bæk;Kommunaldirektør;1;Aarhus\n"
        "cecilie@odense.dk;Cecilie;Ørum;;niveau 2;461\n"
    )


def upload(client, file, **extra):
    return client.post(IMPORT_URL, {"file": file, "upload": "1", **extra})


def preview_rows(text: str, **kwargs):
    return check_invitation_rows(read_invitation_file(csv_file(text)), **kwargs)


# --- The service and the reader --------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_invites_everyone_and_mails_after_commit(
    secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    rows = read_invitation_file(csv_file(good_rows()))
    with django_capture_on_commit_callbacks(execute=True):
        invitations = services.invitation_import(created_by=secretariat, rows=rows)
    assert len(invitations) == 3
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "anne@aalborg.dk",
        "bo@aarhus.dk",
        "cecilie@odense.dk",
    ]
    odense = Invitation.objects.get(email="cecilie@odense.dk")
    assert odense.municipality.name == "Odense" and odense.level == Level.DIRECTOR
    assert sorted(m.to[0] for m in mailoutbox) == ["anne@aalborg.dk", "bo@aarhus.dk", "cecilie@odense.dk"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        ("x@sorø.dk;Xenia;Xu;;2;Atlantis\n", "Ukendt kommune: 'Atlantis'"),
        ("x@kommune.dk;Xenia;Xu;;2;\n", "Kommune mangler"),
        ("ikke-en-mail;Xenia;Xu;;2;Aalborg\n", "er ikke en gyldig e-mail"),
        (";Xenia;Xu;;2;Aalborg\n", "E-mail mangler"),
        ("x@kommune.dk;;Xu;;2;Aalborg\n", "Fornavn mangler"),
        ("x@kommune.dk;Xenia;;;2;Aalborg\n", "Efternavn mangler"),
        ("x@kommune.dk;Xenia;Xu;;3;Aalborg\n", "Niveau skal være 1 eller 2"),
        ("x@kommune.dk;Xenia;Xu;;;Aalborg\n", "Niveau mangler"),
        ("ANNE@aalborg.dk;Xenia;Xu;;2;Vejle\n", "står også i linje 2"),
        ("medlem@kommune.test;Xenia;Xu;;2;Vejle\n", "allerede medlem eller har en åben invitation"),
        ("x@aarhus.dk;Xenia;Xu;;1;Aarhus\n", "vedtægternes §3"),
    ],
)
def test_each_kind_of_bad_row_is_shown_and_nothing_is_saved(
    secretariat, member, mailoutbox, django_capture_on_commit_callbacks, bad_row, problem
):
    rows = read_invitation_file(csv_file(good_rows() + bad_row))
    preview = check_invitation_rows(rows)
    assert preview.has_errors and preview.error_count == 1
    bad = [row for row in preview.rows if row.errors]
    assert bad[0].line == 5
    assert problem in " ".join(bad[0].errors)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.InvitationImportError):
        services.invitation_import(created_by=secretariat, rows=rows)
    assert Invitation.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_row_breaking_the_statutes_limit_together_with_earlier_rows_is_caught():
    make_member(municipality_name="Vejle", level=Level.DIRECTOR, email="d1@vejle.dk")
    preview = preview_rows("d2@vejle.dk;Dorte;Due;;2;Vejle\nd3@vejle.dk;Dan;Dahl;;2;Vejle kommune\n")
    assert [bool(row.errors) for row in preview.rows] == [False, True]
    assert "Vejle har ikke flere pladser på niveau 2" in preview.rows[1].errors[0]


@pytest.mark.django_db
def test_a_members_secondary_address_counts_as_a_taken_email(secretariat, member):
    services.email_address_add(actor=secretariat, user=member, email="anden@kommune.test")
    preview = preview_rows("ANDEN@kommune.test;Nina;Nyborg;;2;Aalborg\n")
    assert "allerede medlem eller har en åben invitation" in preview.rows[0].errors[0]


@pytest.mark.django_db
def test_an_open_invitation_counts_as_a_taken_email(secretariat):
    services.invitation_create(
        created_by=secretariat,
        email="ny@kommune.test",
        first_name="Nina",
        last_name="Nyborg",
        level=Level.DIRECTOR,
        municipality=municipality("Aalborg"),
    )
    preview = preview_rows("NY@kommune.test;Nina;Nyborg;;2;Aalborg\n")
    assert "allerede medlem eller har en åben invitation" in preview.rows[0].errors[0]


@pytest.mark.django_db
def test_override_lets_the_statutes_limit_pass_but_not_other_problems():
    make_member(municipality_name="Aarhus", level=Level.TOP, email="top@aarhus.dk")
    preview = preview_rows("x@aarhus.dk;Xenia;Xu;;1;Aarhus\n", override_statutes=True)
    assert not preview.has_errors
    preview = preview_rows("x@aarhus.dk;Xenia;Xu;;1;Atlantis\n", override_statutes=True)
    assert preview.has_errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "billede.png", "ikke en CSV-fil"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n", "vedtaegter.pdf", "kolonneoverskrifter"),
        (b"PK\x03\x04 not really a zip", "liste.xlsx", "Excel-filen kunne ikke læses"),
        (b"", "tom.csv", "tom"),
        (b"\n\n", "tom.csv", "tom"),
        (HEADER.encode(), "kun-overskrift.csv", "ingen rækker"),
        (b"navn,mail\nAnne,anne@aalborg.dk\n", "forkerte-kolonner.csv", "mangler: fornavn, efternavn"),
    ],
)
def test_a_file_that_is_not_a_usable_csv_is_refused_as_a_whole(db, content, name, message):
    with pytest.raises(ImportFileError) as exc:
        read_invitation_file(SimpleUploadedFile(name, content))
    assert message in " ".join(exc.value.messages)


@pytest.mark.django_db
def test_windows_1252_comma_separated_with_english_headers_is_read():
    text = "email,first_name,last_name,title,level,municipality\nsoeren@koege.dk,Søren,Ærø,,2,Køge\n"
    rows = read_invitation_file(SimpleUploadedFile("export.csv", text.encode("cp1252")))
    preview = check_invitation_rows(rows)
    assert not preview.has_errors
    assert preview.rows[0].raw["last_name"] == "Ærø"
    assert preview.rows[0].municipality.name == "Køge"


@pytest.mark.django_db
def test_an_excel_file_is_read_like_a_csv():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Fornavn", "Efternavn", "Stillingsbetegnelse", "Niveau", "Kommune"])
    sheet.append(["anne@aalborg.dk", "Anne", "Andersen", "Direktør", 2, "Aalborg"])
    sheet.append(["bo@aarhus.dk", "Bo", "Bæk", None, 1.0, "Aarhus Kommune"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_invitation_file(SimpleUploadedFile("medlemmer.xlsx", buffer.getvalue()))
    preview = check_invitation_rows(rows)
    assert not preview.has_errors, [row.errors for row in preview.rows]
    assert [row.level for row in preview.rows] == [2, 1]
    assert preview.rows[1].municipality.name == "Aarhus"


def five_hundred_rows(*, last_row: str | None = None) -> str:
    names = list(Municipality.objects.order_by("name").values_list("name", flat=True))
    lines = [f"person{i}@kommune{i % 98}.dk;Person;Nummer {i};;2;{names[i % len(names)]}" for i in range(500)]
    if last_row:
        lines[-1] = last_row
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_500_rows_at_once_are_all_saved_within_a_few_seconds(
    secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    # 500 people do not fit the statutes (98 municipalities × 3 seats): the board's override.
    rows = read_invitation_file(csv_file(five_hundred_rows()))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = time.monotonic()
        services.invitation_import(created_by=secretariat, rows=rows, override_statutes=True)
        elapsed = time.monotonic() - started
    # The database work (mails aside) stays within seconds even on a busy two-core machine.
    assert elapsed < 15, elapsed
    assert Invitation.objects.count() == 500
    assert mailoutbox == [], "no mail before the import has committed"
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 500


@pytest.mark.django_db
def test_500_rows_with_one_bad_row_at_the_end_save_nothing(
    secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    rows = read_invitation_file(
        csv_file(five_hundred_rows(last_row="sidste@kommune.dk;Sidste;Række;;2;Atlantis"))
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.InvitationImportError) as exc,
    ):
        services.invitation_import(created_by=secretariat, rows=rows, override_statutes=True)
    assert exc.value.preview.error_count == 1
    assert Invitation.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_member_cannot_import(member):
    with pytest.raises(services.InvitationError):
        services.invitation_import(created_by=member, rows=read_invitation_file(csv_file(good_rows())))
    assert Invitation.objects.count() == 0


# --- The admin pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_import_previews_then_confirms_and_logs_each_invitation(
    secretariat_client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    changelist = secretariat_client.get("/admin/members/invitation/")
    assert IMPORT_URL in changelist.content.decode()

    response = upload(secretariat_client, csv_file(good_rows()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alle 3 rækker er i orden" in page
    assert "Cecilie Ørum" in page and "Odense" in page
    assert Invitation.objects.count() == 0, "the preview saves nothing"
    token = response.context["token"]

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert response["Location"] == "/admin/members/invitation/"
    assert Invitation.objects.count() == 3
    assert len(mailoutbox) == 3
    entries = LogEntry.objects.filter(user=secretariat, object_repr__contains="aalborg.dk")
    assert entries.count() == 1
    assert "Importeret fra filen medlemmer.csv" in entries.get().get_change_message()

    # The stored import is used up: confirming again does not invite anyone twice.
    response = secretariat_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Invitation.objects.count() == 3


@pytest.mark.django_db
def test_admin_preview_shows_every_bad_row_and_offers_no_confirm(secretariat_client, member):
    body = good_rows() + "x@kommune.dk;;Xu;;2;Atlantis\nmedlem@kommune.test;Mette;Mø;;7;Aalborg\n"
    response = upload(secretariat_client, csv_file(body))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 af 5 rækker har fejl" in page
    for problem in (
        "Fornavn mangler",
        "Ukendt kommune: &#x27;Atlantis&#x27;",
        "allerede medlem",
        "Niveau skal",
    ):
        assert problem in page, problem
    assert 'name="confirm"' not in page
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_admin_confirm_rechecks_and_saves_nothing_if_the_world_changed(
    secretariat_client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    response = upload(secretariat_client, csv_file(good_rows()))
    token = response.context["token"]
    # Meanwhile a colleague invites Bo one by one.
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            created_by=secretariat,
            email="bo@aarhus.dk",
            first_name="Bo",
            last_name="Bæk",
            level=Level.TOP,
            municipality=municipality("Aarhus"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    assert response.status_code == 200
    assert "allerede medlem eller har en åben invitation" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_admin_upload_of_a_non_csv_file_shows_a_clear_error(secretariat_client):
    response = upload(secretariat_client, SimpleUploadedFile("billede.png", b"\x89PNG\r\n\x1a\n\x00\x00"))
    assert response.status_code == 200
    assert "Filen er ikke en CSV-fil" in response.content.decode()
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_import_page_is_closed_to_members_and_visitors(member_client, client):
    assert member_client.get(IMPORT_URL, follow=True).status_code == 404
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
