"""The synthetic generators' text layout: lines of tokens carrying marks (the truth spans),
wrapped to a page's width, paginated with page decorations, assembled into page texts, and
the marks turned back into exact character spans."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence, Union


# --- drawing: lines of tokens with marks --------------------------------------------------


@dataclass(eq=False)
class Mark:
    """A run of characters that is an entity (label) and/or a value some count points at."""

    label: str | None = None
    name: str = ""  # for debugging
    page: int = 0
    start: int = -1
    end: int = -1
    text: str = ""

    @property
    def placed(self) -> bool:
        return self.page > 0


@dataclass(frozen=True, eq=False)
class Open:
    mark: Mark


@dataclass(frozen=True, eq=False)
class Close:
    mark: Mark


Token = Union[str, Open, Close]
Line = list  # list[Token]


def wrap(tokens: list[Token], m: Mark) -> list[Token]:
    return [Open(m), *tokens, Close(m)]


def line_text(line: Line) -> str:
    return "".join(t for t in line if isinstance(t, str))


def line_len(line: Line) -> int:
    return len(line_text(line))


def pad_to(line: Line, col: int) -> Line:
    """Append spaces so the line's text reaches column `col` (at least one space)."""
    n = max(1, col - line_len(line))
    return [*line, " " * n]


BREAKABLE_LABELS = frozenset({"SENTENCE", "UPDATE"})  # long values that may run over lines


def wrap_tokens(
    tokens: list[Token],
    width: int,
    indent: int = 0,
    first_indent: int = 0,
    breakable: frozenset[str] = BREAKABLE_LABELS,
) -> list[Line]:
    """Greedy word wrap of a token stream, keeping runs of spaces between words. Marks with a
    label in `breakable` may run across lines; any other mark moves down whole."""
    nobreak = {id(t.mark) for t in tokens if isinstance(t, Open) and t.mark.label not in breakable}
    words: list[tuple[int, list[Token]]] = []  # (spaces before the word, its tokens)
    cur: list[Token] = []
    cur_sep = 0
    pending = 0
    depth = 0

    def flush() -> None:
        nonlocal cur, cur_sep
        if cur:
            words.append((cur_sep, cur))
        cur, cur_sep = [], 0

    def start_word() -> None:
        nonlocal pending, cur_sep
        if pending:
            flush()
            cur_sep, pending = pending, 0

    for t in tokens:
        if isinstance(t, Open):
            start_word()
            if id(t.mark) in nobreak:
                depth += 1
            cur.append(t)
        elif isinstance(t, Close):
            if id(t.mark) in nobreak:
                depth -= 1
            cur.append(t)
        else:
            for i, part in enumerate(t.split(" ")):
                if i > 0:
                    if depth:
                        cur.append(" ")
                    else:
                        pending += 1
                if part:
                    start_word()
                    cur.append(part)
    flush()
    lines: list[Line] = []
    line: Line = [" " * first_indent] if first_indent else []
    length = first_indent
    empty = True
    for sep, w in words:
        wl = sum(len(x) for x in w if isinstance(x, str))
        sep = max(sep, 1)
        if not empty and length + sep + wl > width:
            lines.append(line)
            line, length, empty = ([" " * indent] if indent else []), indent, True
        if not empty:
            line.append(" " * sep)
            length += sep
        line.extend(w)
        length += wl
        empty = False
    lines.append(line)
    return lines


@dataclass
class Body:
    """A document's lines, before pagination."""

    lines: list[Line] = field(default_factory=list)
    keep: set[int] = field(default_factory=set)  # never break right after these line indexes

    def add(self, *tokens: Token | list[Token], keep_with_next: bool = False) -> None:
        flat: Line = []
        for t in tokens:
            if isinstance(t, list):
                flat.extend(t)
            else:
                flat.append(t)
        self.lines.append(flat)
        if keep_with_next:
            self.keep.add(len(self.lines) - 1)

    def extend(self, lines: Iterable[Line], keep_together: bool = False) -> None:
        lines = list(lines)
        for i, ln in enumerate(lines):
            self.add(ln, keep_with_next=keep_together and i < len(lines) - 1)

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.lines.append([""])


def _open_after(lines: Sequence[Line]) -> list[bool]:
    """For each line: is some mark still open after it?"""
    open_marks: set[int] = set()
    out = []
    for ln in lines:
        for t in ln:
            if isinstance(t, Open):
                open_marks.add(id(t.mark))
            elif isinstance(t, Close):
                open_marks.discard(id(t.mark))
        out.append(bool(open_marks))
    return out


PageDecor = Callable[[int, int], list[Line]]


def paginate(
    body: Body,
    lines_per_page: int,
    rng: random.Random,
    *,
    header: PageDecor | None = None,
    footer: PageDecor | None = None,
    first_header: PageDecor | None = None,
    slack: int = 2,
    prefer_break: Callable[[int], bool] | None = None,
) -> list[list[Line]]:
    """Break `body` into pages of at most `lines_per_page` lines, decorations included.

    Never breaks inside an open mark or after a `keep` line; otherwise anywhere (in the
    middle of a count too, as real printouts do). `header(n, m)`/`footer(n, m)` must return
    the same number of lines whatever n and m. `prefer_break(i)` may pull a break a few
    lines earlier onto a line it likes.
    """
    head_n = len(header(2, 9)) if header else 0
    first_n = len(first_header(1, 9)) if first_header else (len(header(1, 9)) if header else 0)
    foot_n = len(footer(1, 9)) if footer else 0
    opened = _open_after(body.lines)
    lines = body.lines
    # drop trailing blank lines
    while lines and not line_text(lines[-1]).strip() and not any(not isinstance(t, str) for t in lines[-1]):
        lines = lines[:-1]
    chunks: list[list[Line]] = []
    i = 0
    page_no = 1
    while i < len(lines):
        room = lines_per_page - (first_n if page_no == 1 else head_n) - foot_n - rng.randint(0, slack)
        room = max(room, 8)
        end = min(len(lines), i + room)
        if end < len(lines):
            j = end
            while j > i + 1 and (opened[j - 1] or (j - 1) in body.keep):
                j -= 1
            if prefer_break is not None:
                for k in range(j, max(i + 1, j - 4), -1):
                    if prefer_break(k) and not opened[k - 1] and (k - 1) not in body.keep:
                        j = k
                        break
            if j <= i + 1:  # a mark longer than a page: should not happen; break anyway
                j = end
            end = j
        chunk = lines[i:end]
        # no page starts with blank lines
        while len(chunk) > 1 and not line_text(chunk[0]).strip() and all(isinstance(t, str) for t in chunk[0]):
            chunk = chunk[1:]
        chunks.append(chunk)
        i = end
        page_no += 1
    m = len(chunks)
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        top = first_header(n, m) if (n == 1 and first_header) else header(n, m) if header else []
        bottom = footer(n, m) if footer else []
        if bottom:
            pad = lines_per_page - len(top) - len(chunk) - len(bottom)
            chunk = chunk + [[""]] * max(0, min(pad, 3))
        pages.append([*top, *chunk, *bottom])
    return pages


def assemble(pages: Sequence[Sequence[Line]]) -> list[str]:
    """Each page's exact text; every mark gets its page and offsets (must not span pages)."""
    texts = []
    for page_no, lines in enumerate(pages, start=1):
        parts: list[str] = []
        pos = 0
        open_here: dict[int, Mark] = {}
        for li, ln in enumerate(lines):
            if li:
                parts.append("\n")
                pos += 1
            for t in ln:
                if isinstance(t, Open):
                    t.mark.page, t.mark.start = page_no, pos
                    open_here[id(t.mark)] = t.mark
                elif isinstance(t, Close):
                    if id(t.mark) not in open_here:
                        raise ValueError(
                            f"mark {t.mark.name or t.mark.label} closes on page {page_no} but opened elsewhere"
                        )
                    del open_here[id(t.mark)]
                    t.mark.end = pos
                else:
                    if "\n" in t:
                        raise ValueError("a token may not contain a newline")
                    parts.append(t)
                    pos += len(t)
        if open_here:
            raise ValueError(f"marks left open at the end of page {page_no}")
        # strip trailing spaces of each line? No: offsets were computed on the text as is.
        text = "".join(parts)
        texts.append(text)
    for page_no, lines in enumerate(pages, start=1):
        for ln in lines:
            for t in ln:
                if isinstance(t, Close):
                    t.mark.text = texts[page_no - 1][t.mark.start : t.mark.end]
    return texts


def spans_of(
    pages: Sequence[Sequence[Line]], texts: Sequence[str], allowed: frozenset[str] | None = None
) -> list[list[dict]]:
    """Per page, the labelled marks as `{"start","end","label","text"}`, sorted, no overlaps."""
    out: list[list[dict]] = []
    for page_no, lines in enumerate(pages, start=1):
        seen: set[int] = set()
        spans = []
        for ln in lines:
            for t in ln:
                if isinstance(t, Open) and t.mark.label and id(t.mark) not in seen:
                    if allowed is not None and t.mark.label not in allowed:
                        continue
                    seen.add(id(t.mark))
                    m = t.mark
                    if m.end > m.start:
                        spans.append({"start": m.start, "end": m.end, "label": m.label, "text": m.text})
        spans.sort(key=lambda s: (s["start"], s["end"]))
        for a, b in zip(spans, spans[1:]):
            if b["start"] < a["end"]:
                raise ValueError(f"overlapping spans on page {page_no}: {a} / {b}")
        out.append(spans)
    return out


def collapse(text: str) -> str:
    return " ".join(text.split())
