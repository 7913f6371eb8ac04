"""Rule A3 at the API's door: no image, video or archive arrives, not even written as text.

A JSON body can carry a picture two ways: a field meant for one (`screenshot`, `image`...),
or a picture written as text in any string (a data: address, base64, hex, a MIME part...,
found by `lib.imagery`, the check every form uses). Each is refused, and the refusal says why.
"""

import re

from lib.imagery import find_imagery as _find_in_text

# Field names that only ever hold a picture or a file.
_PICTURE_FIELD = re.compile(r"screen.?shot|image|photo|picture|thumbnail|snapshot|video|attachment|^file", re.I)

EXPLANATION = (
    "Harbour never accepts an image, a video or an archive, and that includes a screenshot or a picture "
    "written as base64 or a data: address. If it might show a child, the law does not allow anyone to copy, "
    "save or send it on. Send the alert or concern again without it: describe in words what was seen, with "
    "the web address, device or user, and the time."
)


def text_carries_imagery(text: str) -> bool:
    """Rule A3's one check for text (lib.imagery): data: addresses of any type, MIME parts, base64 of any
    length and alphabet, hex, quoted-printable..., decoded and judged by content like an uploaded file."""
    return _find_in_text(text) is not None


def find_imagery(value, path="body"):
    """Return where in a parsed JSON value a picture is (a field name or path), or None.

    Walks with its own stack, not recursion, so however deeply the JSON nests it cannot fail.
    """
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}"
                if isinstance(key, str) and _PICTURE_FIELD.search(key) and item not in (None, "", [], {}):
                    return where
                stack.append((item, where))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str) and text_carries_imagery(value):
            return path
    return None
