"""A case collection as files to send: an accessible, tagged PDF (PDF/UA-1, WeasyPrint) and a
Word document (python-docx). Both are built from the cases the collection's readers may read
(selectors.collection_cases): a public collection holds only public cases."""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from komdir.lib.markdown import render_markdown

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MARKS = re.compile(r"(\*\*|__|\*|_|`|^#{1,6}\s*|^\s*[-*+]\s+)", re.M)


def _members_only_note(collection) -> str:
    if collection.is_public:
        return ""
    return _("Kun for medlemmer af KOMDIR – må ikke deles uden for foreningen.")


def _byline(case) -> str:
    parts = [case.author.get_full_name()]
    if case.municipality_id:
        parts.append(case.municipality.name)
    return ", ".join(p for p in parts if p)


def collection_pdf(*, collection, cases, base_url: str) -> bytes:
    from weasyprint import HTML  # loads Pango and its fonts: only when a PDF is asked for

    html = render_to_string(
        "voice/collection_pdf.html",
        {
            "collection": collection,
            "intro_html": render_markdown(collection.intro),
            "cases": [(case, _byline(case), render_markdown(case.body)) for case in cases],
            "members_only": _members_only_note(collection),
            "site_url": base_url,
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def plain_paragraphs(markdown: str) -> list[str]:
    """Markdown as plain paragraphs for Word: links as "text (address)", no marks."""
    text = _LINK.sub(r"\1 (\2)", markdown or "")
    return [" ".join(_MARKS.sub("", block).split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def collection_docx(*, collection, cases, base_url: str) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = collection.title
    document.core_properties.author = "KOMDIR"
    document.core_properties.language = "da-DK"
    note = _members_only_note(collection)
    if note:
        document.sections[0].header.paragraphs[0].text = note
        document.sections[0].footer.paragraphs[0].text = note
    document.add_heading(collection.title, level=0)
    for paragraph in plain_paragraphs(collection.intro):
        document.add_paragraph(paragraph)
    document.add_heading(_("Indhold"), level=1)
    for number, case in enumerate(cases, start=1):
        document.add_paragraph(f"{number}. {case.title}")
    for case in cases:
        document.add_page_break()
        document.add_heading(case.title, level=1)
        document.add_paragraph().add_run(_byline(case)).italic = True
        if case.summary:
            document.add_paragraph(case.summary)
        for paragraph in plain_paragraphs(case.body):
            document.add_paragraph(paragraph)
        document.add_paragraph(f"{base_url}{case.get_absolute_url()}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
