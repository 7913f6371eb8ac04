"""Samples for rule A3: Archives."""

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile

from lib.tests.samples.images import jpeg

def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_with_photo() -> bytes:
    return _zip({"photo.jpg": jpeg()})


def zip_with_text() -> bytes:
    return _zip({"statement.txt": b"What I saw on Tuesday."})


def zip_empty() -> bytes:
    return _zip({})


def rar4() -> bytes:
    return b"Rar!\x1a\x07\x00" + b"\xcf\x90\x73\x00\x00\x0d\x00\x00\x00\x00\x00\x00\x00"


def rar5() -> bytes:
    return b"Rar!\x1a\x07\x01\x00" + b"\x33\x92\xb5\xe5\x0a\x01\x05\x06\x00\x05\x01\x01\x80\x80\x00"


def seven_zip() -> bytes:
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 24


def gzip_file() -> bytes:
    return gzip.compress(b"What I saw on Tuesday.")


def bzip2_file() -> bytes:
    return bz2.compress(b"What I saw on Tuesday.")


def xz_file() -> bytes:
    return lzma.compress(b"What I saw on Tuesday.")


def zstd_file() -> bytes:
    """A zstd frame holding one raw block of five bytes."""
    return b"\x28\xb5\x2f\xfd\x20\x05" + (1 | 5 << 3).to_bytes(3, "little") + b"hello"


def _tar(format: int) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=format) as archive:
        content = b"What I saw on Tuesday."
        info = tarfile.TarInfo("statement.txt")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def tar_posix() -> bytes:
    return _tar(tarfile.PAX_FORMAT)


def tar_gnu() -> bytes:
    return _tar(tarfile.GNU_FORMAT)
