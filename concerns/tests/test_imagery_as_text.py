"""Rule A3 through the real report page: a picture, video or archive written as text is never stored.

The probe writes every picture, video and archive sample as text in every carrier (base64 in a data:
address, bare, wrapped at 76 in a sentence, url-safe, hex dumps, a MIME part, quoted-printable...) and
posts it as the account and as a .txt statement, and inside the text of a Word and a PDF statement. Nothing
may be stored: no concern, no statement, and no draft holding it. Ordinary text that only looks encoded is
accepted as it is.
"""

import base64
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from concerns.models import Concern, Draft, Statement
from lib.imagery import find_imagery
from lib.tests import samples
from lib.tests.samples.archives import _zip
from lib.tests.samples.encoded import CARRIERS, ORDINARY, TIFF_HEADER_14
from tests.figures import report, sweep, sweep_note
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db
DRAFT = reverse("concerns:draft")


def _docx_with_text(text: str) -> bytes:
    runs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())
    return _zip(samples.docx_parts(extra=runs))


def _pdf_with_text(text: str) -> bytes:
    lines = b" ".join(b"(" + line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                      + b") Tj T*" for line in text.splitlines())
    content = zlib.compress(b"BT /F1 8 Tf 10 TL 40 800 Td " + lines + b" ET")
    return samples._pdf(samples._page_objects(content, content_filter=b"/Filter /FlateDecode"))


def _nothing_kept():
    drafts = [value for draft in Draft.objects.all() for value in draft.data.values() if isinstance(value, str)]
    return (Concern.objects.count() == 0 and Statement.objects.count() == 0
            and not any(find_imagery(value) for value in drafts))


def test_r_a3_probe_no_picture_written_as_text_is_stored_through_the_report_page(client, world):
    """Every media sample × every carrier, as the account and as a .txt statement; each sample as base64
    inside a Word and a PDF statement. The figure is printed with the other families'."""
    sign_in(client, world.tom)
    data, _ = report_data(world)
    posted = stored = 0
    failures = []

    def post(label, **changes):
        nonlocal posted, stored
        response = client.post(REPORT, {**data, **changes})
        posted += 1
        if response.status_code != 200 or not _nothing_kept():
            stored += 1
            failures.append(label)
            Concern.objects.all().delete()

    carriers = list(CARRIERS.items())
    # sampled: each sample's Word and PDF statements in one of the two runs, every other sample's on PostgreSQL
    documents = set(sweep(sorted(samples.MEDIA), keep=lambda index, _: index % 2 == 0))
    for m, name in enumerate(sorted(samples.MEDIA)):
        media = samples.MEDIA[name]()
        # sampled: each sample through a few carriers, turning, so every carrier meets several kinds of file
        for carrier, write in sweep(carriers, keep=lambda c, _: (c - m) % 4 == 0):
            text = write(media)
            post(f"{name} / {carrier} / account", account="What I saw:\n" + text)
            post(f"{name} / {carrier} / .txt", statement=SimpleUploadedFile("statement.txt", text.encode()))
        if name not in documents:
            continue
        wrapped = "The pupil showed me this:\n" + "\n".join(
            base64.b64encode(media).decode()[i: i + 76] for i in range(0, len(base64.b64encode(media)), 76))
        post(f"{name} / .docx text", statement=SimpleUploadedFile("statement.docx", _docx_with_text(wrapped)))
        post(f"{name} / .pdf text", statement=SimpleUploadedFile("statement.pdf", _pdf_with_text(wrapped)))
    report("imagery written as text", f"report page probe: {stored} of {posted} stored ({len(samples.MEDIA)} "
           f"picture, video and archive samples × {len(CARRIERS)} carriers as the account and as a .txt "
           f"statement, and each as base64 inside a .docx and a .pdf statement){sweep_note()}")
    assert failures == []
    assert AuditEvent.objects.filter(action="denied", object_type="concern_text").count() == (posted - 2 * len(
        documents)) // 2


def test_r_a3_ordinary_text_that_looks_encoded_is_accepted_by_the_report_page(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    account = "\n".join(ORDINARY)
    statement = SimpleUploadedFile("links.txt", account.encode())
    response = client.post(REPORT, {**data, "account": account, "statement": statement})
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.account == account.replace("\n", "\r\n") or concern.account == account
    assert bytes(concern.statements.get().content).decode() == account


def test_r_a3_the_refusal_names_the_box_keeps_the_rest_and_stores_nothing(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    picture = base64.b64encode(samples.jpeg()).decode()
    response = client.post(REPORT, {**data, "account": f"He sent this: {picture} and laughed.",
                                    "actions_taken": "Told the DSL. " + samples.png().hex()})
    page = response.content.decode().replace("&#39;", "'").replace("&#x27;", "'")
    assert response.status_code == 200 and Concern.objects.count() == 0
    assert "There is a problem" in page
    assert "The ‘What did the child say, or what did you see?’ box contains a picture written as text (base64)" in page
    assert "The ‘What have you done so far?’ box contains a picture written as text (hex)" in page
    assert 'href="#account"' in page and 'href="#actions_taken"' in page  # the summary links to each box
    assert picture not in page and samples.png().hex() not in page  # taken out, not shown again
    assert "He sent this: and laughed." in page and "Told the DSL." in page  # the words around it are kept
    assert "Locked drawer in the DSL" in page  # everything else typed is kept
    draft = Draft.objects.get(user=world.tom)
    assert draft.data["account"] == "He sent this: and laughed."
    assert not any(find_imagery(v) for v in draft.data.values() if isinstance(v, str))


def test_r_a3_a_statement_file_with_a_picture_written_in_it_is_explained(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    statement = SimpleUploadedFile("notes.txt", samples.text_with_hex_dump_png())
    page = client.post(REPORT, {**data, "statement": statement}).content.decode()
    assert "This file contains a picture written as text (hex dump)" in page
    assert Statement.objects.count() == 0


def test_a_file_that_was_fine_is_asked_for_again_when_the_page_comes_back(client, world):
    """Browsers cannot keep a chosen file when a page comes back with a problem: the page says so."""
    sign_in(client, world.tom)
    data, _ = report_data(world, account="")
    statement = SimpleUploadedFile("my-statement.txt", b"What I saw, in my words.")
    page = client.post(REPORT, {**data, "statement": statement}).content.decode()
    assert "You chose my-statement.txt" in page and "Choose it again before you send" in page


# --- The draft autosave --------------------------------------------------------------------------------------

def test_r_a3_the_autosave_refuses_a_picture_written_as_text_and_says_so(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    assert "Draft saved at" in client.post(DRAFT, data).content.decode()
    before = dict(Draft.objects.get(user=world.tom).data)
    for carrier in ("data URI (octet-stream)", "hex dump (xxd)", "MIME part", "url-safe base64"):
        response = client.post(DRAFT, {**data, "account": CARRIERS[carrier](samples.heic())})
        body = response.content.decode().replace("&#x27;", "'")
        assert response.status_code == 200 and 'data-draft="not-saved"' in body
        assert "Draft not saved." in body and "‘What did the child say, or what did you see?’ box" in body
        assert Draft.objects.get(user=world.tom).data == before  # the last good draft is untouched
    assert AuditEvent.objects.filter(action="denied", object_type="concern_draft").count() == 4


def test_r_a3_the_autosave_refuses_a_fourteen_byte_tiff_header_in_any_box(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    body = client.post(DRAFT, {**data, "location": base64.b64encode(TIFF_HEADER_14).decode()}).content.decode()
    assert "Draft not saved." in body and "Where did it happen?" in body
    assert not Draft.objects.filter(user=world.tom).exists()


def test_the_autosave_says_plainly_that_files_are_not_kept_in_a_draft(client, world):
    """htmx sends a chosen file's name only, never its bytes: the draft saves the words and says so."""
    sign_in(client, world.tom)
    data, _ = report_data(world)
    body = client.post(DRAFT, {**data, "statement": "[object File]"}).content.decode()
    assert "Draft saved at" in body and "Files are not kept in a draft" in body
    assert "statement" not in Draft.objects.get(user=world.tom).data
    assert "Files are not kept in a draft" not in client.post(DRAFT, data).content.decode()
