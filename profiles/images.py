"""Profile pictures: only what Pillow can read, re-encoded so nothing of the original survives."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PICTURE_BYTES = 10 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000
PICTURE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
PICTURE_SIZE = (512, 512)
JPEG_QUALITY = 85


def process_picture(file) -> ContentFile:
    """Return the upload as a JPEG of at most 512x512, with no EXIF (so no GPS) left in it.

    Raise ValidationError for anything that is not a sane image: too many bytes, not an image
    Pillow can read, or more pixels than a picture needs (a decompression bomb). The name of
    the stored file comes from the field's upload_to, never from the upload.
    """
    if file.size is not None and file.size > MAX_PICTURE_BYTES:
        raise ValidationError(_("The picture is larger than 10 MB."))
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; we refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            # verify() walks the data without decoding it; it leaves the image unusable, so
            # the file is opened a second time to decode it.
            with Image.open(file) as image:
                _check_header(image)
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                _check_header(image)
                image.load()
                picture = ImageOps.exif_transpose(image).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The picture has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a picture we can read.")) from None
    finally:
        file.seek(0)
    picture.thumbnail(PICTURE_SIZE, Image.Resampling.LANCZOS)
    # Pillow writes XMP, ICC and comments it finds in .info; XMP can hold a GPS position too.
    picture.info.clear()
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"")
    return ContentFile(output.getvalue(), name="picture.jpg")


def _check_header(image: Image.Image) -> None:
    if image.format not in PICTURE_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF picture."))
    width, height = image.size
    if width * height > MAX_PICTURE_PIXELS:
        raise ValidationError(_("The picture has too many pixels."))
