from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PLAN_BYTES = 10 * 1024 * 1024
MAX_PLAN_PIXELS = 40_000_000
PLAN_FORMATS = {"PNG", "JPEG", "WEBP"}


def read_image_size(file) -> tuple[int, int]:
    """Return (width, height) of an uploaded image after checking it really is a sane image.

    Pillow reads only the header here; `verify()` then walks the data without decoding it, so
    a decompression bomb is refused before it can take the memory.
    """
    if file.size is not None and file.size > MAX_PLAN_BYTES:
        raise ValidationError(_("The image is larger than 10 MB."))
    file.seek(0)
    try:
        with Image.open(file) as image:
            if image.format not in PLAN_FORMATS:
                raise ValidationError(_("Upload a PNG, JPEG or WebP image."))
            width, height = image.size
            if width * height > MAX_PLAN_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError(_("The image has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("This file is not an image we can read.")) from None
    finally:
        file.seek(0)
    return width, height


def validate_plan_image(file) -> None:
    if getattr(file, "_committed", False):
        # A stored plan was checked when it was uploaded; it only has to still be there.
        if not file.storage.exists(file.name):
            raise ValidationError(
                _("The stored floor plan is missing. Upload it again, or clear it."),
                code="plan_missing",
            )
        return
    read_image_size(file)
