"""Checks on uploaded content and the copies we store: photos re-encoded without metadata, PDFs as sent.

What a file is comes from its bytes only: the uploader's file name and content type are never trusted.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

from marketplace.media.errors import FileTooLarge, ImageTooLarge, UnsupportedFile

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Decoding a 40-megapixel image takes ~160 MB of memory; a tiny file claiming more is a decompression bomb.
MAX_PIXELS = 40_000_000
FULL_SIZE = 1600  # longest side of the stored photo
THUMB_SIZE = 400  # longest side of its thumbnail
ACCEPTED_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
# WebP keeps transparency and is smaller; a Pillow built without it falls back to JPEG.
STORED_FORMAT, STORED_EXTENSION, STORED_CONTENT_TYPE = (
    ("WEBP", "webp", "image/webp") if features.check("webp") else ("JPEG", "jpg", "image/jpeg")
)
PDF_CONTENT_TYPE = "application/pdf"
_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_PDF_TAIL = 2048  # %%EOF and startxref sit at the very end (trailing whitespace allowed)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]+')
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: the resized image and its thumbnail, both re-encoded without metadata."""

    filename: str
    full: bytes
    thumbnail: bytes
    width: int
    height: int


@dataclass(frozen=True)
class CheckedDocument:
    filename: str
    data: bytes


def read_limited(stream: BinaryIO, limit: int) -> bytes | None:
    """The stream's content, or None when it is longer than `limit` bytes (never reads much past it)."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def display_name(raw: str | None, *, default: str, extension: str | None = None) -> str:
    """The uploader's file name made safe to show: no path, control or quote characters, not too long."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_NAME.sub("_", name)
    name = " ".join(name.split()).strip(" ._")
    if extension and not name.lower().endswith(f".{extension}"):
        name = f"{name}.{extension}" if name else ""
    if not name:
        return default
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and len(suffix) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def process_photo(stream: BinaryIO, filename: str | None) -> ProcessedPhoto:
    """Check that the content is a JPEG, PNG or WebP image of sane size; return the copies we store."""
    data = read_limited(stream, MAX_PHOTO_BYTES)
    if data is None:
        raise FileTooLarge("photo_too_large")
    try:
        # Only the decoders we accept are tried: no exotic format parser ever sees uploaded bytes.
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_IMAGE_FORMATS)
    except Image.DecompressionBombError:
        raise ImageTooLarge("too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UnsupportedFile("not_an_image") from None
    with image:
        # Opening reads only the header: check the pixel count before decoding anything.
        if image.width * image.height > MAX_PIXELS:
            raise ImageTooLarge("too_many_pixels")
        try:
            if image.format == "JPEG":
                # Let the decoder scale down by 1/2, 1/4 or 1/8 while reading: far less time and memory.
                image.draft(None, (FULL_SIZE, FULL_SIZE))
            image.load()  # the first frame of an animation is the photo
            clean = _clean_copy(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise UnsupportedFile("not_an_image") from None
    full = _fit(clean, FULL_SIZE)
    thumbnail = _fit(clean, THUMB_SIZE)
    return ProcessedPhoto(
        filename=display_name(filename, default="photo"),
        full=_encode(full, quality=85),
        thumbnail=_encode(thumbnail, quality=80),
        width=full.width,
        height=full.height,
    )


def _clean_copy(image: Image.Image) -> Image.Image:
    """Upright pixels in sRGB RGB(A), with no metadata attached (EXIF, GPS, XMP, ICC, comments)."""
    upright = ImageOps.exif_transpose(image) or image  # the camera's rotation, before EXIF is dropped
    has_alpha = "A" in upright.getbands() or "transparency" in upright.info
    mode = "RGBA" if has_alpha and STORED_FORMAT == "WEBP" else "RGB"
    icc = image.info.get("icc_profile")
    converted = _to_srgb(upright, icc, mode) if icc else None
    if converted is None:
        converted = upright.convert(mode)
    # A new image from the pixels alone: nothing of the original's `info` can reach the encoder.
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def _to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image | None:
    """The image converted from its embedded colour profile to sRGB (the profile itself is not kept)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # an unusable profile or a mode it does not fit: convert without it


def _fit(image: Image.Image, size: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    return copy


def _encode(image: Image.Image, *, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=STORED_FORMAT, quality=quality)
    return buffer.getvalue()


def check_document(stream: BinaryIO, filename: str | None) -> CheckedDocument:
    """Check that the content looks like a whole PDF (header and end-of-file marker); stored as sent."""
    data = read_limited(stream, MAX_DOCUMENT_BYTES)
    if data is None:
        raise FileTooLarge("document_too_large")
    tail = data[-_PDF_TAIL:]
    if not _PDF_HEADER.match(data) or b"%%EOF" not in tail or b"startxref" not in tail:
        raise UnsupportedFile("not_a_pdf")
    name = display_name(filename, default="document.pdf", extension="pdf")
    return CheckedDocument(filename=name, data=data)
