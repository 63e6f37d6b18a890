"""PDF pages: Chromium's empty last page (content that fills the page exactly) is dropped."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from nbbuild.printer import drop_trailing_blank_pages


def pdf_with_pages(count: int) -> bytes:
    """An invented PDF of ``count`` empty A4 pages."""
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_trailing_blank_pages_go_but_one_page_always_stays():
    assert len(PdfReader(io.BytesIO(drop_trailing_blank_pages(pdf_with_pages(3)))).pages) == 1


def test_a_pdf_without_a_blank_last_page_is_returned_as_it_was():
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    page = writer.add_blank_page(width=595, height=842)
    # an invented last page that draws an image: content, so it stays
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject()})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert drop_trailing_blank_pages(data) is data
