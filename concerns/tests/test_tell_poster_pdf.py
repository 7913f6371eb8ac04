"""P1: the pupils' page poster as an A4 PDF for the safeguarding team to print: the school's name, the link, the QR
code holding the link, and kind words for a child (what the page is for, words only, what happens next, what to do in
danger) at a reading age of 9 or under. Only those who run cases at a school get it, and only their own school's."""

import subprocess  # nosec B404 - poppler's pdftotext and pdftoppm on a PDF the test made
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from concerns.tell_views import poster_qr
from tests.people import sign_in
from tests.readability import grade

pytestmark = pytest.mark.django_db
LINK = "http://testserver/tell/{code}/"


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,  # nosec B603 B607 - fixed command, no shell
                          check=True).stdout.decode()


def page_pixels(pdf, dpi=150):
    """The first page as grey pixels: (width, height, bytes), one byte a pixel (0 black)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-", f"{tmp}/page"],  # nosec B603 B607 - fixed command, no shell
                       input=pdf, check=True, capture_output=True)
        data = next(Path(tmp).iterdir()).read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels


def printed_matrix(pdf, size):
    """Read the QR code's modules off the printed page (no decoder is installed): find its top-left finder
    pattern, the first row with a dark run wider than anything the text draws, and sample each module's centre."""
    width, height, pixels = page_pixels(pdf)
    dark = lambda x, y: pixels[y * width + x] < 128  # noqa: E731 - a one-line reader
    wide = round(12 / 25.4 * 150)  # 12 mm: no letter of the poster's text is as wide; a finder pattern's edge is
    for y in range(height):
        x, run = 0, 0
        while x < width:
            if dark(x, y):
                run += 1
            else:
                if run >= wide:
                    left, module = x - run, run / 7
                    return [[dark(int(left + (c + 0.5) * module), int(y + (r + 0.5) * module))
                             for c in range(size)] for r in range(size)]
                run = 0
            x += 1
    raise AssertionError("no QR code found on the page")


@pytest.fixture
def poster(client, world):
    sign_in(client, world.diana)
    response = client.get(reverse("concerns:pupil_poster_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_r_p1_the_poster_pdf_has_the_school_the_link_and_kind_words_for_a_child(world, poster):
    layout = pdf_text(poster)
    assert layout.count("\f") == 1  # one sheet of A4
    text = " ".join(layout.split())
    assert "Oakfield Primary" in text
    assert LINK.format(code=world.oakfield.tell_code) in text
    for words in ("Is something online worrying you?", "You do not have to give your name",  # what it is for
                  "Do not send pictures or videos", "in your own words",  # words only (P2)
                  "An adult will read it soon", "You will get a code",  # what happens next (P3, P4)
                  "Are you in danger now?", "Tell an adult near you now, or call 999"):
        assert words in text, words
    # Written for a seven-year-old, as the pupils' own pages are.
    sentences = [s for s in pdf_text(poster).split("\n") if s.strip() and "/tell/" not in s]
    assert grade([" ".join(sentences)])[0] + 5 <= 9


def modules(link):
    import qrcode

    qr = qrcode.QRCode(box_size=12)  # as poster_qr makes it (qrcode.make's defaults)
    qr.add_data(link)
    return [row[4:-4] for row in qr.get_matrix()[4:-4]]  # without its 4-module quiet border


def test_r_p1_the_poster_pdfs_qr_code_is_the_links_own_and_the_printable_pages(client, world, poster):
    link = LINK.format(code=world.oakfield.tell_code)
    code = modules(link)
    printed = printed_matrix(poster, len(code))
    assert printed == code
    assert printed != modules(LINK.format(code="abcdefghjk"))  # the reading tells one link's code from another's
    # The printable page shows the very same code.
    assert poster_qr(link) in client.get(reverse("concerns:pupil_poster")).content.decode()


def test_r_p1_access_ladder_the_poster_pdf_is_for_those_who_run_cases_and_only_their_schools(client, world):
    url = reverse("concerns:pupil_poster_pdf")
    response = client.get(url)
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]  # anonymous
    for person in (world.tom, world.terry, world.gina):  # a teacher, technical staff, a governor
        sign_in(client, person)
        assert client.get(url).status_code == 404, person
    sign_in(client, world.eve)  # another school's DSL gets their own school's poster, never Oakfield's
    other = client.get(url)
    assert other.status_code == 200
    text = pdf_text(other.content)
    assert "Elmtree High" in text and world.oakfield.tell_code not in text and "Oakfield" not in text
    assert client.post(url).status_code == 405  # a download: nothing to post
