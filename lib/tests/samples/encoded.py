"""Samples for rule A3: pictures written as text, and ordinary text that only looks encoded.

`CARRIERS` turns any file's bytes into text the way a person or a tool could: base64 in a
data: address, bare, wrapped at 76 or 64 inside a sentence, url-safe, split by spaces;
hex plain, spaced, 0x-listed, as an xxd or hexdump -C dump; a MIME part; quoted-printable;
%-escapes; \\x escapes; uuencode. `ORDINARY` is text a member of staff might really type that
must never be mistaken for any of them.
"""

import base64
import binascii
from urllib.parse import quote_from_bytes

SENTENCE_BEFORE = "The pupil showed me this on his phone and I copied it from the chat: "
SENTENCE_AFTER = " That is all I saw; I did not open anything else."


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i: i + width] for i in range(0, len(text), width))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def data_uri_declared(data: bytes) -> str:
    return f"See data:image/jpeg;base64,{_b64(data)} in the chat."


def data_uri_any_type(data: bytes) -> str:
    return f"See data:application/octet-stream;base64,{_b64(data)} in the chat."


def bare_base64(data: bytes) -> str:
    return _b64(data)


def base64_76_in_sentence(data: bytes) -> str:
    return SENTENCE_BEFORE + "\n" + _wrap(_b64(data), 76) + "\n" + SENTENCE_AFTER


def base64_64_wrapped(data: bytes) -> str:
    return _wrap(_b64(data), 64)


def urlsafe_base64(data: bytes) -> str:
    return SENTENCE_BEFORE + base64.urlsafe_b64encode(data).decode().rstrip("=") + SENTENCE_AFTER


def base64_spaced_in_sentence(data: bytes) -> str:
    encoded = _b64(data)
    return SENTENCE_BEFORE + " ".join(encoded[i: i + 8] for i in range(0, len(encoded), 8)) + SENTENCE_AFTER


def hex_plain(data: bytes) -> str:
    return SENTENCE_BEFORE + data.hex() + SENTENCE_AFTER


def hex_spaced(data: bytes) -> str:
    return SENTENCE_BEFORE + data.hex(" ") + SENTENCE_AFTER


def hex_0x_list(data: bytes) -> str:
    return "unsigned char photo[] = {" + ", ".join(f"0x{b:02x}" for b in data) + "};"


def xxd_dump(data: bytes) -> str:
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset: offset + 16]
        groups = " ".join(chunk[i: i + 2].hex() for i in range(0, len(chunk), 2))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}: {groups:<39}  {text}")
    return SENTENCE_BEFORE + "\n" + "\n".join(lines) + "\n"


def hexdump_c(data: bytes) -> str:
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset: offset + 16]
        left, right = chunk[:8].hex(" "), chunk[8:].hex(" ")
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {left:<23}  {right:<23}  |{text}|")
    lines.append(f"{len(data):08x}")
    return "\n".join(lines) + "\n"


def mime_part(data: bytes) -> str:
    return ("--boundary42\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
            + _wrap(_b64(data), 76) + "\n--boundary42--\n")


def quoted_printable(data: bytes) -> str:
    # istext=False: binary-safe quoted-printable, with line breaks in the data written as =0D=0A
    return SENTENCE_BEFORE + "\n" + binascii.b2a_qp(data, quotetabs=True, istext=False).decode("ascii") + "\n"


def percent_escaped(data: bytes) -> str:
    return "https://example.org/view?file=" + quote_from_bytes(data, safe="") + " was the link."


def backslash_x(data: bytes) -> str:
    return "b'" + "".join(f"\\x{b:02x}" for b in data) + "'"


def uuencoded(data: bytes) -> str:
    lines = [binascii.b2a_uu(data[i: i + 45]).decode("ascii") for i in range(0, len(data), 45)]
    return "begin 644 statement.txt\n" + "".join(lines) + "`\nend\n"


def uuencoded_mid_line(data: bytes) -> str:
    """The begin line typed after words on the same line, as when pasted into a sentence."""
    return "Here is what he sent: " + uuencoded(data)


CARRIERS = {
    "data URI (image/jpeg)": data_uri_declared,
    "data URI (octet-stream)": data_uri_any_type,
    "bare base64": bare_base64,
    "base64 wrapped at 76 in a sentence": base64_76_in_sentence,
    "base64 wrapped at 64": base64_64_wrapped,
    "url-safe base64": urlsafe_base64,
    "base64 split by spaces": base64_spaced_in_sentence,
    "hex": hex_plain,
    "hex, spaced": hex_spaced,
    "hex, 0x list": hex_0x_list,
    "hex dump (xxd)": xxd_dump,
    "hex dump (hexdump -C)": hexdump_c,
    "MIME part": mime_part,
    "quoted-printable": quoted_printable,
    "%-escapes": percent_escaped,
    "\\x escapes": backslash_x,
    "uuencode": uuencoded,
    "uuencode, begun mid-line": uuencoded_mid_line,
}

# A TIFF header and nothing else: 14 bytes, 20 characters of base64 (the API hole in issue 17).
TIFF_HEADER_14 = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"

# Text people really type that has long runs of letters and digits, hex, escapes or base64-looking parts.
ORDINARY = [
    "The link was https://www.instagram.com/p/C4xYzAbCdEf/?igsh=MWQ1ZGUxMzBkMDdiNQ%3D%3D&utm_source=qr",
    "He sent https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-aBcD/edit?usp=sharing",
    "Reset link: https://accounts.example.com/reset?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U&expires=1735689600",
    "SHA-256 of the file the police hold: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "sha256 e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 649b934c a495991b 7852b855",
    "MD5 d41d8cd98f00b204e9800998ecf8427e and SHA-1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "Random token in the message: 3q2+7w/4F0r8kYq1Zp9XvB2mN6tLc5Hd and another pK9_x-Lm2QwErTy7UiOp",
    "Message-ID: <CAF=Yx3p+9QeVd1M2k8n0Z5_rT7wL4mH6jB-cA@mail.gmail.com>",
    "Message-ID: <20240305101502.3F2A61C0042@smtp.school.example.org>",
    "Gift card codes he was asked for: X4TR-9QPL-22MN-7KDF, 6012 3456 7890 1234, AB12CD34EF56GH78",
    "UUID of the report: 123e4567-e89b-12d3-a456-426614174000",
    "Crime reference number 01/123456/24, also CAD 4567 and MPS-20240305-0042, occurrence 4200123456789",
    "Call 07700 900123 or +44 7700 900123 or 020 7946 0958 or 0161 496 0000.",
    "Snapchat username: xX_dark_angel_2011_Xx, TikTok @user8472639104",
    "Bitcoin address given: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh and 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "Wi-Fi key on the card: 4f3a9c1b7e2d5a8f and MAC address 00:1A:2B:3C:4D:5E",
    "The dates: 2024-03-05 10:15, 05/03/2024 and 5 March 2024. Room B12, Year 9, set 9X2.",
    "Quoted: =E2=80=9CSend it or else=E2=80=9D was the message (copied from an email).",
    "The URL had %20 spaces: https://example.org/a%20b/c%2Fd?q=hello%20world",
    "Windows path C:\\Users\\pupil\\Downloads\\x64\\setup.exe and C:\\xampp\\htdocs",
    "He typed AAAAAAAAAAAAAAAAAAAAAAAA and then ////////////////////// to fill the box.",
    "Order numbers: 112-4567890-1234567, #A1B2C3D4E5F6, INV-0000001024",
    "P3 2 4\nThe three of them said so.",
    "P1 pupils and P2 pupils were told. SIMPLE instructions were given.",
    "#define was written on the board in the computing lesson, nothing else.",
    "His code had #define screen_width 800 in it and a loop; nothing else.",
    "IBAN GB82 WEST 1234 5698 7654 32, sort code 12-34-56, account 12345678",
    "Ticket 0x1F4 was raised; error code 0xC0000005 appeared on the laptop.",
    "He said 'be a dad, add a bee, face the cafe' as a joke in class.",
    "Deadbeef cafebabe feedface: the words on his hoodie.",
    "The email said: Content-Type: text/plain; charset=utf-8 and nothing else.",
    "data: the child gave me the data, which I wrote down: 3 messages, 2 calls.",
    "PGP fingerprint: 4E5F 6A7B 8C9D 0E1F 2A3B 4C5D 6E7F 8A9B 0C1D 2E3F",
    "Dropbox link https://www.dropbox.com/scl/fi/a1b2c3d4e5f6g7h8i9j0k/statement.pdf?rlkey=abcdefghij0123456789klmno&dl=0",
    "YouTube https://youtu.be/dQw4w9WgXcQ?si=Q5v1m0dJx8nR7kPZ and https://www.youtube.com/watch?v=9bZkp7q19f0",
    "Welsh: Dywedodd y disgybl wrtha i am negeseuon ar ei ffôn. Emoji 🙂💬 and ŵ ŷ.",
]


# --- Files that hold a picture written as text (issue 17's holes), as samples of their own ------------------

def text_with_base64_jpeg() -> bytes:
    """A .txt statement with a JPEG pasted as 76-column base64 inside a sentence."""
    from lib.tests.samples.images import jpeg

    return base64_76_in_sentence(jpeg()).encode()


def text_with_data_uri_octet_stream() -> bytes:
    """A .txt statement with a data: address of a type that says nothing about pictures."""
    from lib.tests.samples.images import png

    return data_uri_any_type(png()).encode()


def text_with_hex_dump_png() -> bytes:
    from lib.tests.samples.images import png

    return xxd_dump(png()).encode()


def text_with_mime_part_jpeg() -> bytes:
    """A MIME part declared as application/octet-stream whose base64 body is a JPEG."""
    from lib.tests.samples.images import jpeg

    return ("Forwarded:\n" + mime_part(jpeg())).encode()


def text_with_tiff_header_only() -> bytes:
    """Fourteen bytes of TIFF header, as 20 characters of base64: as short as a picture's opening gets."""
    return ("The code in the message was " + base64.b64encode(TIFF_HEADER_14).decode() + " and nothing else.").encode()


def email_with_octet_stream_jpeg() -> bytes:
    """A saved email (.eml) whose attachment calls itself application/octet-stream but is a JPEG."""
    from lib.tests.samples.images import jpeg

    return (
        "From: someone@example.org\r\nTo: dsl@school.example\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        "--XYZ\r\nContent-Type: application/octet-stream; name=notes.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + _wrap(_b64(jpeg()), 76).replace("\n", "\r\n") + "\r\n--XYZ--\r\n"
    ).encode()


def fits_ascii() -> bytes:
    """A FITS image: 80-column ASCII header cards, then pixels kept within 1-127 so the file is valid text."""
    cards = ["SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    2",
             "NAXIS1  =                    4", "NAXIS2  =                    4", "END"]
    header = "".join(card.ljust(80) for card in cards).ljust(2880)
    return header.encode() + bytes(range(1, 17)) * 180


def radiance_hdr() -> bytes:
    return b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\nEXPOSURE=1.0\n\n-Y 2 +X 2\n" + bytes([64, 64, 64, 100]) * 4


def pgm_binary_with_ascii_pixels() -> bytes:
    """A binary PGM (P5) whose pixel bytes are all below 128, so the whole file is valid UTF-8."""
    return b"P5\n# made by a phone app\n4 4\n127\n" + bytes(range(40, 56))


def pam() -> bytes:
    return b"P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 127\nTUPLTYPE GRAYSCALE\nENDHDR\n" + b"\x10\x20\x30\x40"


def xbm() -> bytes:
    return b"#define smile_width 8\n#define smile_height 2\nstatic unsigned char smile_bits[] = { 0x3c, 0x42 };\n"


def xpm2() -> bytes:
    return b"! XPM2\n2 2 1 1\na c #FF0000\naa\naa\n"


ENCODED_SAMPLES = {"text_with_base64_jpeg", "text_with_data_uri_octet_stream", "text_with_hex_dump_png",
                   "text_with_mime_part_jpeg", "text_with_tiff_header_only", "email_with_octet_stream_jpeg",
                   "docx_with_base64_picture_in_text", "pdf_with_base64_picture_in_text"}
