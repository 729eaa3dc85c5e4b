"""Validation and re-encoding of uploaded images. No database access."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_EDGE = 2000
THUMBNAIL_SIZE = (640, 480)
# Shown at 320 px: screens at 1x take the small one, screens at 2x the 640 px one (srcset).
SMALL_THUMBNAIL_SIZE = (320, 240)


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    extension: str
    width: int
    height: int


def image_process(upload) -> ProcessedImage:
    """Check an upload (type by content, bytes, pixel count) and re-encode it without EXIF/GPS.
    The thumbnails are made later, off the request (`thumbnails_make`).

    Raises ValidationError with a message naming the file.
    """
    name = getattr(upload, "name", "") or _("unnamed file")
    if upload.size > settings.MITMACHEN_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is too large: at most %(limit)s MB is allowed."),
            code="too_large",
            params={"name": name, "limit": settings.MITMACHEN_MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    not_an_image = ValidationError(
        _("The file “%(name)s” is not a valid image. Only JPEG, PNG and WebP are allowed."),
        code="invalid_image",
        params={"name": name},
    )
    too_many_pixels = ValidationError(
        _("The image “%(name)s” has too many pixels: at most %(limit)s megapixels are allowed."),
        code="too_many_pixels",
        params={"name": name, "limit": settings.MITMACHEN_MAX_IMAGE_PIXELS // 1_000_000},
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses a decompression bomb; both mean the same to us.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS:
                raise not_an_image
            width, height = image.size
            if width * height > settings.MITMACHEN_MAX_IMAGE_PIXELS:
                raise too_many_pixels
            if image.format == "JPEG":
                # Decode large JPEGs at a reduced scale: far less memory, same result.
                image.draft("RGB", (MAX_EDGE, MAX_EDGE))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise not_an_image from error

    source_format = image.format
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    image = _normalise_mode(image, source_format)
    content = _encode(image, source_format)
    return ProcessedImage(
        content=content,
        extension=ALLOWED_FORMATS[source_format],
        width=image.width,
        height=image.height,
    )


def thumbnails_make(stored) -> tuple[bytes, bytes]:
    """The 640 px and 320 px WebP thumbnails of an image `image_process` has stored (a file
    object): already checked and re-encoded, so no checks here."""
    with Image.open(stored) as image:
        image.load()
        thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb = thumb.convert("RGB") if thumb.mode not in ("RGB", "RGBA") else thumb
    thumbnail = _encode(thumb, "WEBP", quality=75)
    thumb.thumbnail(SMALL_THUMBNAIL_SIZE)
    return thumbnail, _encode(thumb, "WEBP", quality=70)


def _normalise_mode(image: Image.Image, image_format: str) -> Image.Image:
    if image_format == "JPEG":
        return image.convert("RGB")
    if image.mode not in ("RGB", "RGBA"):
        return image.convert("RGBA")
    return image


def _encode(image: Image.Image, image_format: str, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    # Saving without exif= or pnginfo= drops all metadata, GPS included.
    options = {"optimize": True} if image_format in ("JPEG", "PNG") else {}
    if image_format in ("JPEG", "WEBP"):
        options["quality"] = quality
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()
