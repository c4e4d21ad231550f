"""What we accept and what we store: content checks, re-encoding without metadata, sizes, names."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from marketplace.media import processing
from marketplace.media.errors import FileTooLarge, ImageTooLarge, UnsupportedFile
from tests.media import samples


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_camera_jpeg_is_stored_resized_with_a_thumbnail_and_without_exif_or_gps() -> None:
    original = samples.jpeg_with_gps((2400, 1800))
    assert _open(original).getexif().get_ifd(samples.GPS_IFD)  # the sample really carries a position

    photo = processing.process_photo(io.BytesIO(original), "IMG_0042.JPG")

    full, thumbnail = _open(photo.full), _open(photo.thumbnail)
    assert full.format == thumbnail.format == processing.STORED_FORMAT
    assert (photo.width, photo.height) == full.size == (1600, 1200)
    assert thumbnail.size == (400, 300)
    for stored in (full, thumbnail):
        assert not stored.getexif() and "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"Canon" not in photo.full and b"Exif" not in photo.full
    assert photo.filename == "IMG_0042.JPG"


def test_a_photo_taken_sideways_is_stored_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    photo = processing.process_photo(io.BytesIO(buffer.getvalue()), "de-lado.jpg")
    assert (photo.width, photo.height) == (200, 300)


def test_png_keeps_its_transparency_and_small_images_are_not_enlarged() -> None:
    photo = processing.process_photo(io.BytesIO(samples.png((800, 600))), "logo.png")
    full = _open(photo.full)
    assert full.size == (800, 600) and full.mode == "RGBA"
    assert _open(photo.thumbnail).size == (400, 300)


def test_webp_is_accepted() -> None:
    photo = processing.process_photo(io.BytesIO(samples.webp((640, 480))), "producto.webp")
    assert (photo.width, photo.height) == (640, 480)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.TEXT, "foto.jpg"),  # a text file renamed .jpg
        (samples.gif(), "animacion.png"),  # a real image, but not a format we accept
        (samples.pdf(), "foto.jpeg"),
        (samples.jpeg_with_gps((400, 300))[:600], "cortada.jpg"),  # truncated
        (b"", "vacio.jpg"),
    ],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused_whatever_its_name(data: bytes, name: str) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        processing.process_photo(io.BytesIO(data), name)
    assert refused.value.status_code == 415 and refused.value.fields == {"file": refused.value.message}


@pytest.mark.parametrize("size", [(10_000, 5_000), (30_000, 30_000)])
def test_images_with_too_many_pixels_are_refused_before_decoding(size: tuple[int, int]) -> None:
    # 50 megapixels is over our limit; 900 megapixels is also over Pillow's own decompression-bomb limit.
    with pytest.raises(ImageTooLarge):
        processing.process_photo(io.BytesIO(samples.png_claiming(*size)), "bomba.png")


def test_a_photo_over_8_mb_is_refused_without_reading_it_all() -> None:
    stream = io.BytesIO(samples.jpeg_with_gps((100, 100)) + b"\0" * processing.MAX_PHOTO_BYTES)
    with pytest.raises(FileTooLarge):
        processing.process_photo(stream, "grande.jpg")
    assert stream.tell() == processing.MAX_PHOTO_BYTES + 1


def test_a_pdf_is_kept_as_sent_with_a_safe_display_name() -> None:
    data = samples.pdf()
    document = processing.check_document(io.BytesIO(data), "C:\\Users\\ana\\Catálogo <2025>.PDF")
    assert document.data == data
    assert document.filename == "Catálogo _2025_.PDF"


@pytest.mark.parametrize(
    "data",
    [
        samples.TEXT,  # a text file renamed .pdf
        samples.pdf()[:-40],  # cut short: no end-of-file marker
        b"%PDF-1.7\n" + b"x" * 100,  # a header alone
        b"junk" + samples.pdf(),
        samples.jpeg_with_gps((50, 50)),
    ],
)
def test_a_file_without_a_pdf_header_and_ending_is_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedFile):
        processing.check_document(io.BytesIO(data), "catalogo.pdf")


def test_a_document_over_10_mb_is_refused() -> None:
    data = samples.pdf() + b"%" * processing.MAX_DOCUMENT_BYTES
    with pytest.raises(FileTooLarge):
        processing.check_document(io.BytesIO(data), "enorme.pdf")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("  .hidden\x00name\r\n.pdf ", "hidden_name_.pdf"),
        ('a"b*c?.pdf', "a_b_c_.pdf"),
        ("informe", "informe.pdf"),
        ("", "document.pdf"),
        ("...", "document.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_display_names_lose_paths_control_and_quote_characters(raw: str, expected: str) -> None:
    assert processing.display_name(raw, default="document.pdf", extension="pdf") == expected
