"""A captcha image drawn with half-block characters: two pixel rows per terminal row."""

from __future__ import annotations

import io

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

MAX_COLUMNS = 48
MAX_ROWS = 6


def half_blocks(image_bytes: bytes, max_columns: int = MAX_COLUMNS, max_rows: int = MAX_ROWS) -> Text:
    """The image as rows of ``▀``: foreground is the upper pixel, background the lower one.

    Raises ``ValueError`` when the bytes are not an image Pillow can read.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image_bytes)) as source:
            image = source.convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"not a readable image: {error}") from error
    scale = min(1.0, max_columns / image.width, (max_rows * 2) / image.height)
    width = max(1, round(image.width * scale))
    height = max(2, round(image.height * scale))
    height += height % 2
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    pixels = image.load()
    text = Text(no_wrap=True)
    for top in range(0, height, 2):
        for x in range(width):
            upper, lower = pixels[x, top], pixels[x, top + 1]
            text.append("▀", Style(color=f"rgb{upper}", bgcolor=f"rgb{lower}"))
        if top + 2 < height:
            text.append("\n")
    return text


class CaptchaImage(Static):
    """Shows a captcha challenge's image (or says it cannot) with the image's address."""

    DEFAULT_CSS = """
    CaptchaImage { height: auto; width: auto; }
    """

    def show_image(self, image: bytes, url: str) -> None:
        try:
            picture = half_blocks(image)
        except ValueError:
            picture = Text("(the captcha image could not be drawn here; open the address below)")
        self.update(Text.assemble(picture, "\n", Text(url, style="dim")))
