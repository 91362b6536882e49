"""What a site asks before a form: a captcha image drawn with half-block characters (two pixel
rows per terminal row) and a verification question, with their answers (``ChallengeForm``)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

if TYPE_CHECKING:
    from tui.model import CaptchaChallenge

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


class ChallengeForm(Vertical):
    """What a site asks before it takes a form: the captcha picture, a question, or both.

    Hidden until ``show`` gets a challenge. Child ids start with ``prefix``:
    ``-image``, ``-answer`` (the picture's characters), ``-question``, ``-question-answer``.
    """

    DEFAULT_CSS = """
    ChallengeForm { height: auto; }
    ChallengeForm .challenge-row { height: 1; margin-bottom: 1; }
    ChallengeForm .challenge-row Label { width: 19; }
    ChallengeForm .challenge-row Input { width: 1fr; }
    """

    def __init__(self, prefix: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prefix = prefix
        self.challenge: CaptchaChallenge | None = None
        self.display = False

    def _build(self) -> None:
        """Make the fields the first time a site asks for a challenge: most forms never show
        one, and a form's first frame is drawn sooner without them."""
        if self.children:
            return
        answer_row, question_row = (
            Horizontal(classes="challenge-row", id=f"{self.prefix}-{row}")
            for row in ("answer-row", "question-row")
        )
        title, question = Label("", id=f"{self.prefix}-title"), Label("", id=f"{self.prefix}-question")
        self.mount_all([title, CaptchaImage(id=f"{self.prefix}-image"), answer_row, question, question_row])
        fields = ((answer_row, "Captcha", "answer"), (question_row, "Answer", "question-answer"))
        for row, label, field in fields:
            row.mount_all([Label(label), Input(id=f"{self.prefix}-{field}", compact=True)])

    def show(self, challenge: CaptchaChallenge | None) -> None:
        """Show ``challenge`` with empty answers (an answer is good for one try), or hide."""
        self.challenge = challenge
        self.display = challenge is not None
        if challenge is None:
            return
        self._build()
        picture = bool(challenge.image or challenge.image_url)
        title = "Captcha: type the characters in the picture" if picture else "Verification question"
        if not challenge.required:
            title = "Captcha (optional: this forum shows one but may not check it)"
        self.query_one(f"#{self.prefix}-title", Label).update(title)
        for part in (f"#{self.prefix}-image", f"#{self.prefix}-answer-row"):
            self.query_one(part).display = picture
        if picture:
            self.query_one(f"#{self.prefix}-image", CaptchaImage).show_image(
                challenge.image, challenge.image_url
            )
        from tui.content import clean_text  # the parser and its HTML library: not on the start path

        question = self.query_one(f"#{self.prefix}-question", Label)
        question.update(Text(f"Question: {clean_text(challenge.question)}"))
        for part in (question, self.query_one(f"#{self.prefix}-question-row")):
            part.display = bool(challenge.question)
        for answer in self.query(Input):
            answer.value = ""

    def _answer(self, part: str) -> str:
        """What is typed in one answer field ("" while no challenge was ever shown)."""
        if not self.children:
            return ""
        return self.query_one(f"#{self.prefix}-{part}", Input).value.strip()

    @property
    def captcha_answer(self) -> str:
        return self._answer("answer")

    @property
    def question_answer(self) -> str:
        return self._answer("question-answer")

    def first_input(self) -> Input:
        """Where typing the answers starts: the picture's characters, else the question's answer."""
        has_picture = self.challenge is not None and bool(self.challenge.image or self.challenge.image_url)
        self._build()
        return self.query_one(f"#{self.prefix}-{'answer' if has_picture else 'question-answer'}", Input)
