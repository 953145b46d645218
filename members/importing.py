"""Reading and checking a file of members to invite (CSV or Excel) before anything is saved.

The secretariat exports lists from spreadsheets, so the reader is forgiving about the
format (UTF-8 or Windows-1252, comma, semicolon or tab, Danish or English headers) and
strict about the content: every row's problems are collected, nothing is saved here.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from komdir.lib.archives import ArchiveError, archive_check
from members import selectors
from members.models import Level, Municipality

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
# Excel's encrypted (password-protected) workbooks and old .xls files are OLE2 containers.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ROWS = 1000

# Normalised header (lower case, no spaces, dashes or underscores) -> field.
HEADERS = {
    "email": "email",
    "mail": "email",
    "emailadresse": "email",
    "fornavn": "first_name",
    "firstname": "first_name",
    "efternavn": "last_name",
    "lastname": "last_name",
    "stillingsbetegnelse": "title",
    "stilling": "title",
    "titel": "title",
    "title": "title",
    "niveau": "level",
    "level": "level",
    "kommune": "municipality",
    "kommunenavn": "municipality",
    "kommunekode": "municipality",
    "municipality": "municipality",
}
REQUIRED = ["email", "first_name", "last_name", "level", "municipality"]
FIELDS = ["email", "first_name", "last_name", "title", "level", "municipality"]


class ImportFileError(ValidationError):
    """The file as a whole cannot be read: no row-by-row preview is possible."""


@dataclass
class ImportRow:
    line: int
    raw: dict[str, str]
    email: str = ""
    level: int | None = None
    municipality: Municipality | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def name(self) -> str:
        return f"{self.raw.get('first_name', '')} {self.raw.get('last_name', '')}".strip()


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0 or not self.rows


def _normalise_header(value: str) -> str:
    return re.sub(r"[\s\-_.]", "", str(value or "").strip().lower())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Unpacked, an import file (at most MAX_FILE_BYTES) holds at most this much.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Office never writes a DTD into its XML; one in an uploaded workbook is an attack (entity
# expansion, external entities), so it is refused before any XML parser sees it. UTF-16 too.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _unreadable() -> ImportFileError:
    return ImportFileError(
        _("Excel-filen kunne ikke læses. Gem den igen som .xlsx eller som CSV."), code="unreadable"
    )


def _has_dtd(archive: zipfile.ZipFile, name: str) -> bool:
    overlap = max(len(marker) for marker in _DTD_MARKERS) - 1
    tail = b""
    with archive.open(name) as member:
        while chunk := member.read(64 * 1024):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                return True
            tail = window[-overlap:]
    return False


def _check_workbook_archive(data: bytes) -> None:
    """Refuse, by the zip's directory and before parsing, what no Excel file looks like."""
    buffer = io.BytesIO(data)
    try:
        summary = archive_check(buffer, max_unpacked_bytes=MAX_UNPACKED_BYTES)
    except ArchiveError as exc:
        if exc.reason == "encrypted":
            raise ImportFileError(
                _(
                    "Excel-filen er beskyttet med adgangskode. "
                    "Fjern adgangskoden og gem filen igen, eller gem den som CSV."
                ),
                code="encrypted",
            ) from exc
        if exc.reason == "too_large":
            raise ImportFileError(
                _(
                    "Filen fylder for meget, når den er pakket ud (højst %(mb)s MB). "
                    "Gem listen som en ny .xlsx-fil eller som CSV."
                )
                % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)},
                code="too_big_unpacked",
            ) from exc
        raise _unreadable() from exc
    if "[Content_Types].xml" not in summary.names or "xl/workbook.xml" not in summary.names:
        raise _unreadable()
    try:
        with zipfile.ZipFile(buffer) as archive:
            for name in summary.names:
                if name.endswith((".xml", ".rels")) and _has_dtd(archive, name):
                    raise _unreadable()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error) as exc:
        raise _unreadable() from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_workbook_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:
        # The file is a stranger's: whatever the parser refuses it with (a broken part, XML it
        # cannot parse, a value of the wrong type) is the same answer to the secretariat.
        logger.info("invitation import: unreadable workbook (%s: %s)", type(exc).__name__, exc)
        raise _unreadable() from exc
    return table


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _("Filen er ikke en CSV-fil. Vælg en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
            code="not_text",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Danish Excel saves "CSV" as Windows-1252.
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(
            _("Filen kunne ikke læses som CSV: %(error)s") % {"error": exc}, code="bad_csv"
        ) from exc


def read_invitation_file(uploaded) -> list[dict[str, str]]:
    """Rows of the uploaded file as dicts with our field names (raw text, unchecked)."""
    if uploaded.size > MAX_FILE_BYTES:
        raise ImportFileError(_("Filen er for stor (højst 2 MB)."), code="too_big")
    data = uploaded.read()
    if not data.strip():
        raise ImportFileError(_("Filen er tom."), code="empty")
    if data[:8] == OLE2_MAGIC:
        raise ImportFileError(
            _(
                "Filen er beskyttet med adgangskode eller gemt i det gamle Excel-format (.xls). "
                "Fjern adgangskoden og gem den som .xlsx, eller gem den som CSV."
            ),
            code="encrypted",
        )
    table = _read_xlsx(data) if data[:4] == b"PK\x03\x04" else _read_csv(data)
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise ImportFileError(_("Filen er tom."), code="empty")
    columns = [HEADERS.get(_normalise_header(cell)) for cell in table[0]]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        labels = {
            "email": "e-mail",
            "first_name": "fornavn",
            "last_name": "efternavn",
            "level": "niveau",
            "municipality": "kommune",
        }
        raise ImportFileError(
            _(
                "Filens første række skal være kolonneoverskrifter. Disse mangler: %(missing)s. "
                "Forventet: e-mail, fornavn, efternavn, stillingsbetegnelse (valgfri), niveau, kommune."
            )
            % {"missing": ", ".join(labels[name] for name in missing)},
            code="headers",
        )
    body = table[1:]
    if not body:
        raise ImportFileError(_("Filen har overskrifter, men ingen rækker med medlemmer."), code="empty")
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("Filen har %(count)s rækker; højst %(max)s ad gangen.") % {"count": len(body), "max": MAX_ROWS},
            code="too_many",
        )
    rows = []
    for cells in body:
        row = dict.fromkeys(FIELDS, "")
        for column, value in zip(columns, cells, strict=False):
            if column and not row[column]:
                row[column] = value
        rows.append(row)
    return rows


def _parse_level(value: str) -> int | None:
    match = re.search(r"\d+", value or "")
    if match and int(match.group()) in Level.values:
        return int(match.group())
    return None


def _find_municipality(value: str, lookup: dict[str, Municipality]) -> Municipality | None:
    key = (value or "").strip().casefold()
    if not key:
        return None
    if key in lookup:
        return lookup[key]
    stripped = re.sub(r"\s+kommune$", "", key)
    if stripped in lookup:
        return lookup[stripped]
    # "Københavns Kommune", "Frederiksberg Kommune": the genitive s.
    if stripped.endswith("s") and stripped[:-1] in lookup:
        return lookup[stripped[:-1]]
    return None


def check_invitation_rows(rows: list[dict[str, str]], *, override_statutes: bool = False) -> ImportPreview:
    """Every row's problems, checked against the database and against the file's own earlier rows."""
    lookup = selectors.municipality_lookup()
    checked: list[ImportRow] = []
    for index, raw in enumerate(rows, start=2):  # line 1 is the header
        row = ImportRow(line=index, raw={k: (raw.get(k) or "").strip() for k in FIELDS})
        row.email = row.raw["email"].lower()
        if not row.raw["first_name"]:
            row.errors.append(_("Fornavn mangler."))
        if not row.raw["last_name"]:
            row.errors.append(_("Efternavn mangler."))
        if len(row.raw["first_name"]) > 150 or len(row.raw["last_name"]) > 150 or len(row.raw["title"]) > 150:
            row.errors.append(_("Navn eller stillingsbetegnelse er for lang (højst 150 tegn)."))
        if not row.email:
            row.errors.append(_("E-mail mangler."))
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(_("'%(email)s' er ikke en gyldig e-mail.") % {"email": row.raw["email"]})
                row.email = ""
        row.level = _parse_level(row.raw["level"])
        if row.level is None:
            row.errors.append(
                _("Niveau skal være 1 eller 2, ikke '%(value)s'.") % {"value": row.raw["level"]}
                if row.raw["level"]
                else _("Niveau mangler.")
            )
        row.municipality = _find_municipality(row.raw["municipality"], lookup)
        if row.municipality is None:
            row.errors.append(
                _("Ukendt kommune: '%(value)s'.") % {"value": row.raw["municipality"]}
                if row.raw["municipality"]
                else _("Kommune mangler.")
            )
        checked.append(row)

    in_use = selectors.emails_in_use(row.email for row in checked)
    seen: dict[str, int] = {}
    for row in checked:
        if not row.email:
            continue
        if row.email in in_use:
            row.errors.append(
                _("%(email)s er allerede medlem eller har en åben invitation.") % {"email": row.email}
            )
        elif row.email in seen:
            row.errors.append(
                _("%(email)s står også i linje %(line)s.") % {"email": row.email, "line": seen[row.email]}
            )
        else:
            seen[row.email] = row.line

    if not override_statutes:
        ids = {row.municipality.pk for row in checked if row.municipality}
        taken = selectors.statutes_seats_taken_by_municipality(municipality_ids=ids)
        for row in checked:
            if row.municipality is None or row.level is None:
                continue
            key = (row.municipality.pk, row.level)
            limit = selectors.statutes_limit(row.level)
            if taken.get(key, 0) >= limit:
                row.errors.append(
                    _(
                        "%(municipality)s har ikke flere pladser på niveau %(level)s "
                        "(højst %(limit)s efter vedtægternes §3, medregnet filens tidligere rækker)."
                    )
                    % {"municipality": row.municipality.name, "level": row.level, "limit": limit}
                )
            # Count the row's seat even when it has other errors: the file must fit as a whole.
            taken[key] = taken.get(key, 0) + 1
    return ImportPreview(rows=checked)
