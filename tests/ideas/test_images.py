import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from ideas.images import image_process, thumbnails_make
from tests.images import jpeg_bytes, png_bytes, upload


def test_jpeg_is_reencoded_without_exif_and_gps():
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is really there

    processed = image_process(upload("urlaub.jpg", original))

    reencoded = Image.open(io.BytesIO(processed.content))
    assert reencoded.format == "JPEG"
    assert not reencoded.getexif()
    assert b"TestCam" not in processed.content
    assert processed.extension == "jpg"


def test_thumbnail_is_small_webp():
    processed = image_process(upload("gross.jpg", jpeg_bytes(size=(3000, 2000))))
    big, little = thumbnails_make(io.BytesIO(processed.content))
    thumbnail = Image.open(io.BytesIO(big))
    assert thumbnail.format == "WEBP"
    assert thumbnail.width <= 640 and thumbnail.height <= 480
    # A screen at 1x loads the small one: a quarter of the pixels.
    small = Image.open(io.BytesIO(little))
    assert small.format == "WEBP"
    assert small.width == thumbnail.width // 2
    assert abs(small.height - thumbnail.height / 2) <= 1
    assert len(little) < len(big)
    # The stored image is scaled down to a sensible size as well.
    assert max(processed.width, processed.height) == 2000


def test_png_with_transparency_stays_png():
    processed = image_process(upload("plan.png", png_bytes(mode="RGBA"), "image/png"))
    assert Image.open(io.BytesIO(processed.content)).format == "PNG"


def _error_code(content: bytes, name: str = "bild.jpg") -> str:
    # Every refusal names the file, in words the person who sent it understands.
    with pytest.raises(ValidationError, match=f"„{re.escape(name)}“") as caught:
        image_process(upload(name, content))
    return caught.value.code


def test_renamed_non_image_is_refused():
    assert _error_code(b"%PDF-1.4 this is not an image", "foto.jpg") == "invalid_image"


def test_corrupt_image_is_refused():
    truncated = jpeg_bytes(size=(1200, 900))[:600]
    assert _error_code(truncated) == "invalid_image"


def test_gif_is_refused_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    assert _error_code(buffer.getvalue(), "bild.gif") == "invalid_image"


def test_oversized_file_is_refused_before_decoding(settings):
    settings.MITMACHEN_MAX_UPLOAD_BYTES = 1000
    assert _error_code(jpeg_bytes(size=(800, 600), colour=(1, 2, 3)) + b"\0" * 2000) == (
        "too_large"
    )


def test_image_over_pixel_limit_is_refused():
    # 50 megapixels that compress to a few kilobytes.
    assert _error_code(png_bytes(size=(10_000, 5_000), mode="1"), "riesig.png") == (
        "too_many_pixels"
    )


def test_decompression_bomb_is_refused():
    # Beyond Pillow's own bomb limit (2 x 89 megapixels): refused, not decoded.
    assert _error_code(png_bytes(size=(20_000, 10_000), mode="1"), "bombe.png") == (
        "too_many_pixels"
    )


def test_messages_are_german_and_name_the_file():
    with (
        translation.override("de"),
        pytest.raises(
            ValidationError, match=r"Die Datei „kaputt\.jpg“ ist kein gültiges Bild"
        ) as caught,
    ):
        image_process(upload("kaputt.jpg", b"nonsense"))
    message = caught.value.messages[0]
    assert "kaputt.jpg" in message
    assert "kein gültiges Bild" in message
