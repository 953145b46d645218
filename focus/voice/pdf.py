"""The public version of a position as an accessible, tagged PDF (PDF/UA-1, WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string

from komdir.lib.markdown import render_markdown


def position_pdf(*, position, citations, base_url: str) -> bytes:
    from weasyprint import HTML  # loads Pango and its fonts: only when a PDF is asked for

    html = render_to_string(
        "voice/position_pdf.html",
        {
            "position": position,
            "citations": citations,
            "site_url": base_url,
            "body_html": render_markdown(position.published_body),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
