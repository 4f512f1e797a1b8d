"""Formats told from bytes and text extracted, on real documents (tests/fixtures/real-sources, see PROVENANCE.md)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from dossiers.sources import child
from dossiers.sources.child import in_child
from dossiers.sources.extract import EXTRACTORS, extract
from dossiers.sources.files import Unreadable
from dossiers.sources.formats import sniff

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-sources"
PROJECT_SOURCE = Path(__file__).resolve().parents[2] / "seeds" / "000_ebd73d712e692767.txt"


def text_of(name: str):
    raw = (REAL / name).read_bytes()
    return extract(raw, sniff(raw, name), name)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("dw.com.colonial.html", "html"), ("sg-notice-snr-n01-1.html", "html"), ("vc-ru-article.pdf", "pdf"), ("zavod-test.pdf", "pdf")],
)
def test_the_format_comes_from_the_bytes_not_the_name(name: str, fmt: str):
    raw = (REAL / name).read_bytes()
    assert sniff(raw, name) == fmt
    assert sniff(raw, "renamed.txt") == fmt
    assert sniff(PROJECT_SOURCE.read_bytes(), "x.html") == "text"


@pytest.mark.parametrize(
    ("raw", "said"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"), (b"PK\x03\x04\x14\x00", "a ZIP archive"), (b"\x00\x01binary\x00", "NUL bytes")],
)
def test_an_unknown_format_is_an_error_that_names_the_file(raw: bytes, said: str):
    with pytest.raises(Unreadable) as error:
        sniff(raw, "seeds/scan.bin")
    assert error.value.code == "source-format-unknown"
    assert "seeds/scan.bin" in error.value.message and said in error.value.message


def test_a_news_page_gives_its_article_text_in_paragraphs_without_navigation_or_scripts():
    extracted = text_of("dw.com.colonial.html")
    paragraphs = extracted.text.split("\n\n")
    assert paragraphs[0].startswith("The German capital has launched a five-year project")
    assert "Postcolonial Remembrance in the City" in extracted.text
    assert "In January, the German capital is launching a new five-year project" in paragraphs[2]
    for boilerplate in ("gtag(", "datepicker", "Deutsche Welle (www.dw.com)", "<"):
        assert boilerplate not in extracted.text
    assert len(paragraphs) > 20 and extracted.pages == ()
    assert extracted.extractor == EXTRACTORS["html"] and extracted.extractor.startswith("trafilatura ")


def test_a_saved_fragment_of_a_government_notice_gives_its_main_paragraph():
    text = text_of("sg-notice-snr-n01-1.html").text
    assert "the Singapore Government has imposed financial measures targeted at designated Russian banks" in text
    assert "Decrease font size" not in text and "Print this page" not in text


def test_extraction_is_deterministic():
    for name in ("dw.com.colonial.html", "vc-ru-article.pdf"):
        assert text_of(name) == text_of(name)


def test_a_pdf_gives_its_text_page_by_page_with_ligatures_read():
    extracted = text_of("vc-ru-article.pdf")
    assert len(extracted.pages) == 11
    page_7 = extracted.text[extracted.pages[6] : extracted.pages[7]]
    assert "Как Лена в 29 лет бросила успешную карьеру в финансах" in page_7
    assert page_7.splitlines()[1].endswith(" 7/11")  # Chrome's footer: the page's own number
    assert "organs filled with" in page_7  # pdfplumber reads this 'organs  lled'


def test_a_table_pdf_gives_its_cells_page_by_page():
    extracted = text_of("zavod-test.pdf")
    assert extracted.pages == (0, extracted.text.index("First", 1))
    assert "Jon Smith\nFred Bloggs" in extracted.text and "Frederica Bullen" in extracted.text[extracted.pages[1] :]


def pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html).write_pdf()


def test_a_scan_without_a_text_layer_is_an_error_that_suggests_ocr():
    scan = pdf('<body><div style="width:300px;height:400px;background:#888"></div></body>')
    with pytest.raises(Unreadable) as error:
        extract(scan, "pdf", "seeds/scan.pdf")
    assert error.value.code == "source-no-text"
    assert "ocrmypdf seeds/scan.pdf" in error.value.message and "source of its own" in error.value.message


def test_an_encrypted_pdf_is_an_error_that_says_how_to_decrypt_it():
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf("<p>Secret minutes of the meeting.</p>"))) as document:
        document.save(locked, encryption=pikepdf.Encryption(user="reader", owner="owner"))
    with pytest.raises(Unreadable) as error:
        extract(locked.getvalue(), "pdf", "seeds/locked.pdf")
    assert error.value.code == "source-pdf-encrypted" and "qpdf --decrypt" in error.value.message


def test_a_truncated_pdf_is_an_error_not_a_crash():
    broken = (REAL / "vc-ru-article.pdf").read_bytes()[:3000]
    with pytest.raises(Unreadable) as error:
        extract(broken, "pdf", "seeds/broken.pdf")
    assert error.value.code == "source-pdf-malformed" and "seeds/broken.pdf" in error.value.message


def _forever(raw: bytes):
    time.sleep(60)


def _greedy(raw: bytes):
    return bytearray(3 * 2**30)


def test_a_reader_that_never_finishes_is_stopped_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(child, "READ_SECONDS", 0.5)
    started = time.monotonic()
    assert in_child(_forever, b"") == ("timeout", 0.5)
    assert time.monotonic() - started < 5


def test_a_reader_that_wants_too_much_memory_is_refused():
    assert in_child(_greedy, b"") == ("memory", 2)


def test_an_html_page_with_no_main_text_is_an_error():
    with pytest.raises(Unreadable) as error:
        extract(b"<html><head><title>Sign in</title></head><body><script>login()</script><img src=a.png></body></html>", "html", "seeds/index.html")
    assert error.value.code == "source-no-main-text" and "seeds/index.html" in error.value.message
