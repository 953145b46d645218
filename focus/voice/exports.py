"""A case collection as files to send: an accessible, tagged PDF (PDF/UA-1, WeasyPrint) and a
Word document (python-docx). Both are built from the cases the collection's readers may read
(selectors.collection_cases): a public collection holds only public cases."""

from __future__ import annotations

import io
import re
from html import unescape

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from komdir.lib.markdown import render_markdown


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


# Characters XML 1.0 does not allow (Word files are XML): pasted text carries some (\x0b).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BLOCKS = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr)>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def plain_paragraphs(markdown: str) -> list[str]:
    """Markdown as plain paragraphs for Word, read from the rendered (sanitised) HTML so the
    text stays as written (underscores in addresses, a "5 * 3"): one paragraph per block and
    list item, links as "text (address)"."""
    html = render_markdown(_NOT_XML.sub(" ", markdown or ""))
    html = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", html, flags=re.S)
    html = re.sub(r"<br\s*/?>", " ", html, flags=re.I)
    blocks = _BLOCKS.split(html)[::2]
    return [text for block in blocks if (text := " ".join(unescape(_TAGS.sub("", block)).split()))]


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
    document.add_heading(_NOT_XML.sub(" ", collection.title), level=0)
    for paragraph in plain_paragraphs(collection.intro):
        document.add_paragraph(paragraph)
    document.add_heading(_("Indhold"), level=1)
    for number, case in enumerate(cases, start=1):
        document.add_paragraph(_NOT_XML.sub(" ", f"{number}. {case.title}"))
    for case in cases:
        document.add_page_break()
        document.add_heading(_NOT_XML.sub(" ", case.title), level=1)
        document.add_paragraph().add_run(_byline(case)).italic = True
        if case.summary:
            document.add_paragraph(_NOT_XML.sub(" ", case.summary))
        for paragraph in plain_paragraphs(case.body):
            document.add_paragraph(paragraph)
        document.add_paragraph(f"{base_url}{case.get_absolute_url()}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
