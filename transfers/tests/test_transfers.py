"""H5: a child's child protection file goes to their new school within 5 school days, securely, and receipt is
confirmed. A package is a libsodium sealed box to the receiving school inside an envelope the sending school signed
(Ed25519); any change is refused, and so is a package of an old or unknown format."""

import base64
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import nacl.exceptions
import nacl.public
import nacl.signing
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.tests.helpers import make_case
from notifications.models import Notification
from tests.people import make_pupil, make_user, sign_in
from transfers import actions
from transfers import keys as school_keys
from transfers.models import ReceivedFile, Transfer
from transfers.package import PackageRefused, seal

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def moving(world):
    """Quentin (Oakfield) is on a case and moves to Riverside, where the MIS already has him under his UPN."""
    make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    arrived = make_pupil(world.riverside, "Quentin", "Puddlewick", world.pupil.upn, year_group=5)
    rita = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
    return arrived, rita


def start(world, to, started_on=None):
    return actions.start_transfer(user=world.diana, pupil=world.pupil, to=to,
                                  started_on=started_on or timezone.localdate())


def test_r_h5_the_deadline_is_5_school_days_and_skips_bank_holidays():
    # Friday 18 December 2026: Christmas Day and the substitute Boxing Day holiday are not school days.
    due = timezone.localtime(actions.due_at(date(2026, 12, 18)))
    assert due.date() == date(2026, 12, 29)  # 21–24 December, then Tuesday 29th (28th is the substitute holiday)
    assert timezone.localtime(actions.due_at(date(2026, 11, 2))).date() == date(2026, 11, 9)


def test_r_h5_round_trip_between_two_schools_of_the_trust(client, world, moving):
    arrived, rita = moving
    transfer = start(world, f"school:{world.riverside.id}")
    assert transfer.method == Transfer.Method.HARBOUR and transfer.awaiting
    assert "Puddlewick" not in transfer.package  # sealed: only Riverside can read it
    assert Notification.objects.filter(user=rita, text__contains="child protection file").exists()

    sign_in(client, rita)
    assert "Open and confirm receipt" in client.get(reverse("transfers:overview")).content.decode()
    response = client.post(reverse("transfers:incoming"), {"transfer": transfer.id})
    received = ReceivedFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("transfers:received", args=[received.id])
    assert received.pupil == arrived and received.from_name == world.oakfield.name
    page = client.get(response["Location"]).content.decode()
    assert "Quentin Puddlewick" in page and "Cyberbullying" in page
    transfer.refresh_from_db()
    assert transfer.received_at and transfer.received_by_name == "Rita Riverside"
    assert Notification.objects.filter(user=world.diana, text__contains="confirmed receipt").exists()
    events = {
        (e.object_type, e.action) for e in AuditEvent.objects.filter(object_type__in=["transfer", "received_file"])
    }
    assert {("transfer", "create"), ("received_file", "create"), ("transfer", "update"),
            ("received_file", "view")} <= events


def test_r_h5_round_trip_with_another_harbour_by_key_card_and_receipt_code(client, world, moving):
    """Elmtree stands in for a school on another Harbour: it is known only through its key card."""
    card = school_keys.key_card(world.elmtree)
    # Elmtree is on this installation too, so its card is flagged for having the name of a school here.
    known = actions.register_key_card(user=world.diana, school=world.oakfield, text=card,
                                      fingerprint=school_keys.keys_for(world.elmtree).fingerprint,
                                      same_name_checked=True)
    assert known.fingerprint == school_keys.keys_for(world.elmtree).fingerprint
    transfer = start(world, f"known:{known.id}")
    assert transfer.method == Transfer.Method.PACKAGE
    # Elmtree's trust registers Oakfield's card too, so it recognises the sender.
    actions.register_key_card(user=world.eve, school=world.elmtree, text=school_keys.key_card(world.oakfield),
                              fingerprint=school_keys.keys_for(world.oakfield).fingerprint, same_name_checked=True)
    received = actions.receive_package(user=world.eve, school=world.elmtree, data=transfer.package.encode())
    assert received.contents["pupil"]["unique_pupil_number"] == world.pupil.upn
    transfer.refresh_from_db()
    assert transfer.awaiting  # another installation: the sender enters the code
    sign_in(client, world.diana)
    wrong = client.post(reverse("transfers:receipt", args=[transfer.id]), {"code": "AAAA-AAAA-AAAA"})
    assert wrong.status_code == 422 and "not the receipt code" in wrong.content.decode()
    right = client.post(reverse("transfers:receipt", args=[transfer.id]), {"code": received.receipt_code.lower()})
    assert right.status_code == 302
    transfer.refresh_from_db()
    assert transfer.received_at is not None


def _flip(text, line_index, position=10):
    lines = text.splitlines()
    line = lines[line_index]
    swapped = "A" if line[position] != "A" else "B"
    lines[line_index] = line[:position] + swapped + line[position + 1:]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("where", ["header", "body", "last line"])
def test_r_h5_a_changed_package_is_refused_and_audited(world, moving, where):
    arrived, rita = moving
    transfer = start(world, f"school:{world.riverside.id}")
    index = {"header": 1, "body": 2, "last line": -2}[where]
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=rita, school=world.riverside, data=_flip(transfer.package, index, 5))
    assert refused.value.code == "tampered"
    assert not ReceivedFile.objects.exists()
    assert AuditEvent.objects.filter(object_type="received_file", action="denied", detail__reason="tampered").exists()


def _unarmour(text):
    """(first line, the signed envelope) of a package."""
    lines = text.splitlines()
    assert lines[-1] == "END"
    return lines[0], base64.b64decode("".join(lines[1:-1]))


def _armour(first, signed):
    body = base64.b64encode(signed).decode()
    return ("\n".join([first] + [body[i:i + 76] for i in range(0, len(body), 76)] + ["END"]) + "\n").encode()


def _parts(signed):
    """(header dict, sealed box, signature) of a signed envelope, read as docs/transfer.md describes it."""
    envelope, signature = signed[:-64], signed[-64:]
    size = int.from_bytes(envelope[5:7], "big")
    return json.loads(envelope[7:7 + size]), envelope[7 + size:], signature


def _envelope(header, sealed):
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return b"HCPF\x02" + len(raw).to_bytes(2, "big") + raw + sealed


def test_r_h5_a_package_is_a_sealed_box_to_the_new_school_in_an_envelope_the_old_school_signed(world, moving):
    """The construction docs/transfer.md describes, checked with PyNaCl directly rather than Harbour's reader."""
    transfer = start(world, f"school:{world.riverside.id}")
    oakfield, riverside = school_keys.keys_for(world.oakfield), school_keys.keys_for(world.riverside)
    first, signed = _unarmour(transfer.package)
    assert first == "HARBOUR CHILD PROTECTION FILE v2" and signed.startswith(b"HCPF\x02")  # magic, then version 2
    nacl.signing.VerifyKey(oakfield.sign_public).verify(signed[:-64], signed[-64:])  # raises if it does not verify
    header, sealed, _ = _parts(signed)
    assert header == {"id": str(transfer.package_id), "from": oakfield.fingerprint, "to": riverside.fingerprint}
    inner = json.loads(nacl.public.SealedBox(riverside.opener).decrypt(sealed))
    assert inner["manifest"]["id"] == header["id"] and inner["manifest"]["from"]["fingerprint"] == header["from"]
    assert inner["file"]["pupil"]["unique_pupil_number"] == world.pupil.upn
    with pytest.raises(nacl.exceptions.CryptoError):  # sealed to Riverside: nobody else's key opens it
        nacl.public.SealedBox(school_keys.keys_for(world.elmtree).opener).decrypt(sealed)


@pytest.mark.parametrize("change", ["version byte", "another package id", "readdressed to another school",
                                    "a byte of the sealed box", "a byte of the signature", "cut short",
                                    "no END line"])
def test_r_h5_any_change_to_the_envelope_is_refused_before_anything_is_opened(world, moving, change):
    arrived, rita = moving
    transfer = start(world, f"school:{world.elmtree.id}")
    first, signed = _unarmour(transfer.package)
    header, sealed, signature = _parts(signed)
    if change == "version byte":
        data = _armour(first, b"HCPF\x03" + signed[5:])
    elif change == "another package id":
        data = _armour(first, _envelope(header | {"id": "0" * 8 + header["id"][8:]}, sealed) + signature)
    elif change == "readdressed to another school":  # Elmtree's file, sent on to Riverside with a new header
        riverside = school_keys.keys_for(world.riverside).fingerprint
        data = _armour(first, _envelope(header | {"to": riverside}, sealed) + signature)
    elif change in ("a byte of the sealed box", "a byte of the signature"):
        at = len(signed) - 64 - 40 if change == "a byte of the sealed box" else len(signed) - 10
        data = _armour(first, signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1:])
    elif change == "cut short":
        data = _armour(first, signed[:-100])
    else:
        data = transfer.package.removesuffix("END\n").encode()
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=rita, school=world.riverside, data=data)
    assert refused.value.code == "tampered" and "has been changed" in str(refused.value)
    assert not ReceivedFile.objects.exists()
    assert AuditEvent.objects.filter(object_type="received_file", action="denied", detail__reason="tampered").exists()


def test_r_h5_a_sealed_file_lifted_into_an_envelope_another_school_signed_is_refused(world, moving):
    """Elmtree intercepts Oakfield's file to Riverside. It cannot read it, but signs a new envelope around the sealed
    box as its own. The signature is genuine; the manifest sealed inside still names Oakfield, so it is refused."""
    arrived, rita = moving
    transfer = start(world, f"school:{world.riverside.id}")
    first, signed = _unarmour(transfer.package)
    header, sealed, _ = _parts(signed)
    elmtree = school_keys.keys_for(world.elmtree)
    envelope = _envelope(header | {"from": elmtree.fingerprint}, sealed)
    forged = _armour(first, envelope + elmtree.signer.sign(envelope).signature)
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=rita, school=world.riverside, data=forged)
    assert refused.value.code == "tampered" and not ReceivedFile.objects.exists()
    assert actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())


_SENDER, _RECIPIENT = school_keys.Keys.generate(), school_keys.Keys.generate()
REAL_PACKAGE = seal(sender=_SENDER, sender_name="Oakfield", recipient_sign_public=_RECIPIENT.sign_public,
                    recipient_box_public=_RECIPIENT.box_public, recipient_name="Riverside",
                    file={"pupil": {"unique_pupil_number": "A123"}}, created_at="now", code="ACDE-FGHJ-KMNP")[0]

OLD_FORMAT = ("HARBOUR CHILD PROTECTION FILE v1\n"
              + base64.b64encode(json.dumps({"v": 1, "id": "6f1c0e4e-3d7e-4c1b-9a55-2f0c6f1b7d10", "from": "A" * 24,
                                             "to": "B" * 24, "eph": base64.b64encode(os.urandom(32)).decode(),
                                             "nonce": base64.b64encode(os.urandom(12)).decode()}).encode()).decode()
              + "\n" + base64.b64encode(os.urandom(300)).decode() + "\nEND\n")


def test_r_h5_a_package_in_the_old_format_is_refused_with_what_to_do(client, world, moving):
    """Format v1 (X25519, HKDF and AES-GCM put together by Harbour itself) is no longer opened, and says so."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    arrived, rita = moving
    sign_in(client, rita)
    response = client.post(reverse("transfers:incoming"),
                           {"package": SimpleUploadedFile("file.harbour", OLD_FORMAT.encode(), "text/plain")})
    page = response.content.decode()
    assert response.status_code == 422 and "earlier version of Harbour" in page and "send the child" in page
    assert not ReceivedFile.objects.exists()
    assert AuditEvent.objects.filter(object_type="received_file", action="denied",
                                     detail__reason="old_format").count() == 1
    newer = OLD_FORMAT.replace(" v1\n", " v3\n", 1).encode()
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=rita, school=world.riverside, data=newer)
    assert refused.value.code == "newer_format" and "newer version of Harbour" in str(refused.value)


@settings(max_examples=300, deadline=None)
@given(envelope=st.binary(max_size=400), at=st.integers(min_value=0, max_value=10_000), bit=st.integers(0, 7))
def test_r_h5_any_envelope_is_read_or_refused_and_any_changed_bit_is_refused_as_changed(envelope, at, bit):
    """Arbitrary envelopes are read or refused, never an unexpected error; a real one with any one bit changed,
    anywhere, is refused as changed."""
    from transfers.package import open_package, read_header

    for signed in (envelope, b"HCPF\x02" + envelope):
        try:
            read_header(_armour("HARBOUR CHILD PROTECTION FILE v2", signed))
        except PackageRefused as refused:
            assert refused.code == "tampered"
    real = _unarmour(REAL_PACKAGE)[1]
    at %= len(real)
    changed = _armour("HARBOUR CHILD PROTECTION FILE v2", real[:at] + bytes([real[at] ^ (1 << bit)]) + real[at + 1:])
    with pytest.raises(PackageRefused) as refused:
        open_package(read_header(changed), recipient=_RECIPIENT, sender_sign_public=_SENDER.sign_public)
    assert refused.value.code == "tampered"


def test_r_a3_packages_are_never_taken_for_pictures_written_as_text():
    """The upload is checked for imagery (A3) before it is opened; a package's base64 must never look like a
    picture. The envelope starts with fixed bytes and the random-looking signature comes last."""
    from lib.sniff import STATEMENT, classify

    sender, recipient = school_keys.Keys.generate(), school_keys.Keys.generate()
    verdicts = set()
    for n in range(200):
        text, _ = seal(sender=sender, sender_name="Oakfield", recipient_sign_public=recipient.sign_public,
                       recipient_box_public=recipient.box_public, recipient_name="Riverside",
                       file={"pupil": {"name": "x" * (n * 37 % 5000)}}, created_at="now", code="ACDE-FGHJ-KMNP")
        verdicts.add(classify(text.encode()).category)
    assert verdicts == {STATEMENT}


def test_r_h5_a_forged_signature_is_refused(world, moving):
    """Someone with Riverside's public key builds a package claiming to be from Oakfield: the signature fails."""
    arrived, rita = moving
    forger = school_keys.keys_for(world.elmtree)
    oakfield = school_keys.keys_for(world.oakfield)
    forger.sign_public, forger.box_public = oakfield.sign_public, oakfield.box_public  # claims Oakfield's identity
    riverside = school_keys.keys_for(world.riverside)
    text, _ = seal(sender=forger, sender_name="Oakfield", recipient_sign_public=riverside.sign_public,
                   recipient_box_public=riverside.box_public, recipient_name="Riverside", file={"pupil": {}},
                   created_at="now", code="AAAA-AAAA-AAAA")
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=rita, school=world.riverside, data=text.encode())
    assert refused.value.code == "tampered"


def test_r_h5_wrong_school_unknown_sender_and_replay_are_refused(world, moving):
    arrived, rita = moving
    transfer = start(world, f"school:{world.riverside.id}")
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=world.eve, school=world.elmtree, data=transfer.package.encode())
    assert refused.value.code == "wrong_school"
    actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    assert refused.value.code == "already_opened"
    # A key card registered by Oakfield's trust only; Elmtree (another trust) never registered Oakfield's.
    known = actions.register_key_card(user=world.diana, school=world.oakfield, text=school_keys.key_card(world.elmtree),
                                      fingerprint=school_keys.keys_for(world.elmtree).fingerprint,
                                      same_name_checked=True)
    to_elmtree = start(world, f"known:{known.id}")
    school_keys_rows = __import__("transfers.models", fromlist=["SchoolKeys"]).SchoolKeys
    school_keys_rows.objects.filter(school=world.oakfield).delete()  # as if Oakfield were on another installation
    with pytest.raises(PackageRefused) as refused:
        actions.receive_package(user=world.eve, school=world.elmtree, data=to_elmtree.package.encode())
    assert refused.value.code == "unknown_sender"


def test_r_a3_an_image_is_refused_at_the_upload_and_the_form_explains(client, world, moving):
    arrived, rita = moving
    sign_in(client, rita)
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile("file.harbour", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="text/plain")
    response = client.post(reverse("transfers:incoming"), {"package": png})
    assert response.status_code == 422 and "There is a problem" in response.content.decode()
    assert not ReceivedFile.objects.exists()
    text = SimpleUploadedFile("file.harbour", b"just some text", content_type="text/plain")
    response = client.post(reverse("transfers:incoming"), {"package": text})
    assert response.status_code == 422 and "not a Harbour child protection file" in response.content.decode()


def test_r_h5_a_late_transfer_is_chased_once(world, moving):
    transfer = start(world, f"school:{world.riverside.id}", started_on=timezone.localdate() - timedelta(days=1))
    assert actions.chase_late_transfers(now=transfer.due_at - timedelta(minutes=1)) == 0
    later = transfer.due_at + timedelta(hours=1)
    assert actions.chase_late_transfers(now=later) == 1
    assert actions.chase_late_transfers(now=later + timedelta(days=1)) == 0
    assert Notification.objects.filter(user=world.diana, text__contains="overdue: chase it").count() == 1


def test_r_h5_a_pdf_to_a_school_not_on_harbour_needs_how_and_who_confirmed(client, world, moving):
    sign_in(client, world.diana)
    url = reverse("transfers:start", args=[world.pupil.id])
    today = timezone.localdate()
    day = {"started_on-day": today.day, "started_on-month": today.month, "started_on-year": today.year}
    response = client.post(url, {"to": "other", "other": "St Elsewhere Primary", **day})
    assert response.status_code == 422 and "how the PDF will reach them securely" in response.content.decode()
    response = client.post(url, {"to": "other", "other": "St Elsewhere Primary", "sent_how": "Egress to their DSL",
                                 **day})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.method == Transfer.Method.PDF and not transfer.package
    pdf = client.get(reverse("transfers:pdf", args=[transfer.id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.post(reverse("transfers:receipt", args=[transfer.id]), {"who": ""}).status_code == 422
    assert client.post(reverse("transfers:receipt", args=[transfer.id]), {"who": "Mr Amos, DSL"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.received_by_name == "Mr Amos, DSL"


def test_r_h5_a_paper_file_is_recorded_without_an_upload(client, world):
    sign_in(client, world.diana)
    today = timezone.localdate()
    response = client.post(reverse("transfers:arrival"), {
        "from_name": "Hill Top Academy", "method": "paper", "where_kept": "Locked cabinet, DSL office",
        "upn": world.pupil.upn, "arrived_on-day": today.day, "arrived_on-month": today.month,
        "arrived_on-year": today.year})
    item = ReceivedFile.objects.get()
    assert response.status_code == 302 and item.pupil == world.pupil and item.contents is None
    assert client.post(reverse("transfers:arrival"), {}).status_code == 422


def test_transfer_pages_access_ladder(client, world, moving):
    arrived, rita = moving
    transfer = start(world, f"school:{world.riverside.id}")
    received = actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    urls = [reverse("transfers:detail", args=[transfer.id]), reverse("transfers:package", args=[transfer.id]),
            reverse("transfers:pdf", args=[transfer.id]), reverse("transfers:start", args=[world.pupil.id])]
    school_urls = [reverse("transfers:overview"), reverse("transfers:incoming"), reverse("transfers:arrival"),
                   reverse("transfers:key_card"), reverse("transfers:key_card_file")]
    for url in urls + school_urls:
        assert client.get(url).status_code == 302, url  # anonymous: to sign-in
    for stranger in (world.eve, world.tom, world.gina):  # other school; wrong roles
        sign_in(client, stranger)
        for url in urls:
            assert client.get(url).status_code == 404, (stranger, url)
        for url in school_urls:  # their own school's pages, if any: never ours
            response = client.get(url)
            assert response.status_code == (200 if stranger == world.eve else 404), (stranger, url)
            assert "Quentin" not in response.content.decode()
            assert stranger != world.eve or "Oakfield" not in response.content.decode()
        assert client.get(reverse("transfers:received", args=[received.id])).status_code == 404
        client.logout()
    sign_in(client, world.diana)
    for url in urls + school_urls:
        assert client.get(url).status_code == 200, url
    missing = client.get(reverse("transfers:detail", args=[999999]))
    assert missing.status_code == 404
    assert client.get(reverse("transfers:received", args=[received.id])).status_code == 404  # Riverside's, not ours
    client.logout()
    sign_in(client, rita)
    assert client.get(reverse("transfers:received", args=[received.id])).status_code == 200
    assert client.get(reverse("transfers:detail", args=[transfer.id])).status_code == 404  # the sender's record


def test_r_h5_the_dashboard_number_equals_its_list(client, world, moving):
    start(world, f"school:{world.riverside.id}")
    sign_in(client, world.hana)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Files sent, awaiting receipt" in page
    listing = client.get(reverse("reports:list", args=[world.oakfield.id, "transfers-awaiting"])).content.decode()
    assert 'data-count="1"' in listing and "Quentin" in listing


def test_r_h5_between_two_separate_harbour_databases(tmp_path):
    """Two installations, two SQLite files, talking only through key cards, a package file and a receipt code."""
    root = Path(__file__).resolve().parents[2]
    env_base = {**os.environ, "HARBOUR_DEMO_MODE": "0", "DJANGO_SETTINGS_MODULE": "harbour.settings"}
    env_base.pop("DATABASE_URL", None)

    def run(db, code):
        env = {**env_base, "DATABASE_URL": f"sqlite:///{tmp_path / db}"}
        out = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], cwd=root, env=env,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""

    setup = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from schools.models import Trust, School
from tests.people import make_user, make_pupil
trust = Trust.objects.create(name="{trust}", slug="{slug}-trust")
school = School.objects.create(trust=trust, name="{school}", slug="{slug}", urn="{urn}", phase="secondary")
make_user("dsl@{slug}.example", "DSL {school}", school=school, role="dsl")
"""
    run("a.sqlite3", setup.format(trust="North Trust", school="North School", slug="north", urn="880001") + """
from cases.tests.helpers import make_case
pupil = make_pupil(school, "Ada", "Lovelace", "N123456789012", year_group=7)
""")
    run("b.sqlite3", setup.format(trust="South Trust", school="South School", slug="south", urn="880002") + """
make_pupil(school, "Ada", "Lovelace", "N123456789012", year_group=7)
""")
    card_b = tmp_path / "south.card"
    card_a = tmp_path / "north.card"
    read_out_by_b = run("b.sqlite3", f"""
from schools.models import School
from transfers.keys import key_card, keys_for
open({str(card_b)!r}, "w").write(key_card(School.objects.get()))
print(keys_for(School.objects.get()).fingerprint)
""")
    read_out_by_a = run("a.sqlite3", f"""
from schools.models import School
from transfers.keys import key_card, keys_for
open({str(card_a)!r}, "w").write(key_card(School.objects.get()))
print(keys_for(School.objects.get()).fingerprint)
""")
    package = tmp_path / "ada.harbour"
    run(
        "a.sqlite3",
        f"""
from django.utils import timezone
from accounts.models import User
from schools.models import School, Pupil
from transfers import actions
dsl, school = User.objects.get(), School.objects.get()
known = actions.register_key_card(user=dsl, school=school, text=open({str(card_b)!r}).read(),
                                  fingerprint={read_out_by_b!r})
t = actions.start_transfer(user=dsl, pupil=Pupil.objects.get(), to=f"known:{{known.id}}",
                           started_on=timezone.localdate())
open({str(package)!r}, "w").write(t.package)
""",
    )
    code = run("b.sqlite3", f"""
from accounts.models import User
from schools.models import School
from transfers import actions
dsl, school = User.objects.get(), School.objects.get()
actions.register_key_card(user=dsl, school=school, text=open({str(card_a)!r}).read(), fingerprint={read_out_by_a!r})
received = actions.receive_package(user=dsl, school=school, data=open({str(package)!r}, "rb").read())
assert received.pupil is not None and received.contents["pupil"]["name"] == "Ada Lovelace"
print(received.receipt_code)
""")
    assert len(code) == 14
    confirmed = run("a.sqlite3", f"""
from accounts.models import User
from transfers import actions
from transfers.models import Transfer
t = Transfer.objects.get()
actions.confirm_by_code(user=User.objects.get(), transfer=t, code={code!r})
t.refresh_from_db()
print("received" if t.received_at else "waiting")
""")
    assert confirmed == "received"
    tampered = package.read_text().replace("\n", "\n", 1)
    lines = tampered.splitlines()
    lines[3] = ("B" if lines[3][0] != "B" else "C") + lines[3][1:]
    (tmp_path / "bad.harbour").write_text("\n".join(lines) + "\n")
    verdict = run(
        "b.sqlite3",
        f"""
from accounts.models import User
from schools.models import School
from transfers import actions
from transfers.package import PackageRefused
try:
    actions.receive_package(user=User.objects.get(), school=School.objects.get(),
                            data=open({str(tmp_path / "bad.harbour")!r}, "rb").read())
    print("opened")
except PackageRefused as refused:
    print(refused.code)
""",
    )
    assert verdict in ("tampered", "already_opened")


def test_r_h5_a_file_that_arrives_before_the_child_is_on_roll_is_linked_later(client, world):
    """Quentin's file reaches Riverside before its MIS has him. Rita links it once he is imported, and only to
    the child the file is about."""
    make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    rita = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
    transfer = start(world, f"school:{world.riverside.id}")
    received = actions.receive_package(user=rita, school=world.riverside, data=transfer.package.encode())
    assert received.pupil is None
    url = reverse("transfers:received", args=[received.id])
    sign_in(client, rita)
    page = client.get(url).content.decode()
    assert "Not yet linked to a child on roll here" in page and f'value="{world.pupil.upn}"' in page
    too_soon = client.post(url, {"upn": world.pupil.upn})
    assert too_soon.status_code == 422 and "Import the child from your MIS first" in too_soon.content.decode()
    other = make_pupil(world.riverside, "Wren", "Ashcombe", "R99900000111B")
    arrived = make_pupil(world.riverside, "Quentin", "Puddlewick", world.pupil.upn, year_group=5)
    wrong = client.post(url, {"upn": other.upn})
    assert wrong.status_code == 422 and "only kept against the child it is about" in wrong.content.decode()
    done = client.post(url, {"upn": world.pupil.upn.lower()})
    assert done.status_code == 302
    received.refresh_from_db()
    assert received.pupil == arrived
    assert AuditEvent.objects.filter(object_type="received_file", action="update", object_id=str(received.id),
                                     changed_fields=["pupil"]).count() == 1
    assert url in client.get(reverse("schools:pupil_detail", args=[arrived.id])).content.decode()
    again = client.post(url, {"upn": world.pupil.upn})
    assert again.status_code == 422 and "already kept against a child" in again.content.decode()
    sign_in(client, world.diana)  # Oakfield's DSL cannot touch Riverside's file
    assert client.post(url, {"upn": world.pupil.upn}).status_code == 404


def test_r_h5_a_paper_file_recorded_without_a_number_is_linked_to_any_pupil_here(client, world):
    sign_in(client, world.diana)
    item = actions.record_arrival(user=world.diana, school=world.oakfield, from_name="Hill Top Academy",
                                  method="paper", arrived_on=timezone.localdate(), where_kept="DSL office")
    assert client.post(reverse("transfers:received", args=[item.id]), {"upn": world.pupil.upn}).status_code == 302
    item.refresh_from_db()
    assert item.pupil == world.pupil
