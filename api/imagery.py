"""Rule A3 at the API's door: no image, video or archive arrives, not even written as text.

A JSON body can carry a picture three ways: a field meant for one (`screenshot`,
`image`...), a data: URI, or base64. Each is refused, and the refusal says why.
"""

import base64
import binascii
import re

from lib.sniff import ARCHIVE, DOCUMENT_WITH_IMAGES, IMAGE, VIDEO, classify

# Field names that only ever hold a picture or a file.
_PICTURE_FIELD = re.compile(r"screen.?shot|image|photo|picture|thumbnail|snapshot|video|attachment|^file", re.I)
_DATA_URI = re.compile(r"data:\s*(?:image|video|application/(?:zip|x-|octet))", re.I)
_SVG = re.compile(r"<svg|www\.w3\.org/2000/svg", re.I)
# Long enough to hold a picture's header; the evidence register refuses any run of 200 or more.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
_ALWAYS_REFUSED = 200
_PICTURES = {IMAGE, VIDEO, ARCHIVE, DOCUMENT_WITH_IMAGES}

EXPLANATION = (
    "Harbour never accepts an image, a video or an archive, and that includes a screenshot or a picture "
    "written as base64 or a data: address. If it might show a child, the law does not allow anyone to copy, "
    "save or send it on. Send the alert or concern again without it: describe in words what was seen, with "
    "the web address, device or user, and the time."
)


def _decoded(run):
    data = run.rstrip("=")
    data += "=" * (-len(data) % 4)
    try:
        return base64.b64decode(data.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return b""


def text_carries_imagery(text: str) -> bool:
    if _DATA_URI.search(text) or _SVG.search(text):
        return True
    for match in _BASE64_RUN.finditer(text):
        run = match.group()
        if len(run) >= _ALWAYS_REFUSED:
            return True
        decoded = _decoded(run)
        if decoded and classify(decoded).category in _PICTURES:
            return True
    return False


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
