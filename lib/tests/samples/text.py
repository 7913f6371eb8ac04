"""Samples for rule A3: Text."""


WELSH_STATEMENT = (
    "Datganiad / Statement\n"
    "Dywedodd y disgybl wrtha i am negeseuon ar ei ffôn. Roedd hi'n poeni'n fawr. "
    "Ŵyr, ŷd, â, ê, î, ô, û. The pupil sent 🙂 and 💬 afterwards.\n"
)


def text_utf8() -> bytes:
    return WELSH_STATEMENT.encode("utf-8")


def text_utf8_with_bom() -> bytes:
    return b"\xef\xbb\xbf" + WELSH_STATEMENT.replace("\n", "\r\n").encode("utf-8")


def text_starting_like_magic() -> list:
    """Statements whose first letters look a little like file signatures, but are just words."""
    return [
        b"GIFT aid form was mentioned.\n",
        b"BMX track behind the school, 4pm.\n",
        b"RIFF-RAFF was the group chat's name.\n",
        b"PK told me first.\n",
        b"P7 pupils were present at break.\n",
        b"P3 2 4\nThe three of them said so.\n",
        b"ID badge was lost; BI weekly check done.\n",
        b"%PDFs were sent? No, only messages.\n",
    ]
