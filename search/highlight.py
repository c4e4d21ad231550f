"""Highlighted snippets as safe HTML, shared by both backends.

Engines mark matched words with two private-use characters (which documents never contain, see
`search.documents.clean_text`); the text is HTML-escaped *before* the markers become `<mark>` tags, so a
listing titled `<script>` shows as text and only our tags reach the page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from search.documents import MARK_END, MARK_START

CROP_MARKER = "…"
CROP_WORDS = 30  # words kept around the first match in a description (Meilisearch's cropLength)


def render_marked(text: str) -> str:
    """HTML of text carrying MARK_START/MARK_END markers: escaped, markers turned into <mark> tags."""
    return html.escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def mark_spans(
    text: str,
    tokens: Sequence[tuple[int, int]],
    matched: Sequence[bool],
    *,
    crop_words: int | None = None,
) -> str:
    """HTML of `text` with matched token spans marked, optionally cropped to `crop_words` words.

    `tokens` are (start, end) character offsets of each word, `matched` says which matched the query.
    Cropping keeps a window that starts shortly before the first matched word.
    """
    start_char, end_char = 0, len(text)
    first, last = 0, len(tokens)
    if crop_words is not None and len(tokens) > crop_words:
        hit = next((i for i, m in enumerate(matched) if m), 0)
        first = max(0, min(hit - crop_words // 4, len(tokens) - crop_words))
        last = first + crop_words
        start_char = tokens[first][0] if first > 0 else 0
        end_char = tokens[last - 1][1] if last < len(tokens) else len(text)
    pieces: list[str] = [CROP_MARKER] if start_char > 0 else []
    cursor = start_char
    for (begin, end), is_match in zip(tokens[first:last], matched[first:last], strict=True):
        if is_match:
            pieces += [text[cursor:begin], MARK_START, text[begin:end], MARK_END]
            cursor = end
    pieces.append(text[cursor:end_char])
    if end_char < len(text):
        pieces.append(CROP_MARKER)
    return render_marked("".join(pieces))
