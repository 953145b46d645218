"""Checks an uploaded attachment by its content, not only by its name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from komdir.lib.archives import MAX_ENTRIES, ArchiveError, archive_check

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# An Office file of at most 20 MB unpacks to a few times that (its images do not shrink, its
# XML does); a zip bomb claims hundreds of megabytes. Checked from the zip's directory only.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

# extension -> (content type, label for messages)
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OOXML_DIR = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def clean_filename(name: str) -> str:
    """Refuse names that try to leave the upload folder or hide control characters."""
    if not name or not name.strip():
        raise ValidationError(_("Filen mangler et navn."), code="name")
    if ".." in name or "/" in name or "\\" in name:
        raise ValidationError(_("Filnavnet må ikke indeholde “..”, “/” eller “\\”."), code="name")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise ValidationError(
            _("Filnavnet indeholder usynlige kontroltegn. Omdøb filen og prøv igen."), code="name"
        )
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > 200:
        raise ValidationError(_("Filnavnet er for langt (højst 200 tegn)."), code="name")
    return name


def _sniff(head: bytes, file) -> str | None:
    """The extension family the bytes belong to, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = archive_check(file, max_unpacked_bytes=MAX_UNPACKED_BYTES).names
        except ArchiveError as exc:
            if exc.reason == "too_large":
                raise ValidationError(
                    _(
                        "Filen fylder for meget, når den er pakket ud (højst %(mb)s MB og %(entries)s dele). "
                        "Det kan være en skadelig fil. Filen er ikke gemt."
                    )
                    % {
                        "mb": MAX_UNPACKED_BYTES // (1024 * 1024),
                        "entries": f"{MAX_ENTRIES:,}".replace(",", "."),
                    },
                    code="unpacked_too_large",
                ) from exc
            return None  # corrupt or encrypted: not the Office file its name says
        if "[Content_Types].xml" not in names:
            return None
        for ext, folder in _OOXML_DIR.items():
            if any(n.startswith(folder) for n in names):
                return ext
    return None


def check_upload(file, *, name: str) -> CheckedUpload:
    """Validate `file` (a Django File) named `name`; raise ValidationError in Danish."""
    name = clean_filename(name)
    size = file.size
    if not size:
        raise ValidationError(_("Filen er tom."), code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Filen er for stor: højst 20 MB. Denne fil fylder %(mb).1f MB.") % {"mb": size / 1024 / 1024},
            code="too_large",
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            _("Filtypen er ikke tilladt. Tilladte typer: pdf, docx, xlsx, pptx, png og jpg."), code="type"
        )
    file.seek(0)
    head = file.read(8)
    found = _sniff(head, file)
    file.seek(0)
    expected = "jpg" if ext == "jpeg" else ext
    if found != expected:
        raise ValidationError(
            _("Filens indhold passer ikke til filtypen .%(ext)s. Filen er ikke gemt.") % {"ext": ext},
            code="content",
        )
    return CheckedUpload(name=name, content_type=ALLOWED_TYPES[ext], size=size)
