"""Stage 1, ingest: a seed file (bytes) becomes an :class:`Article`.

A seed is plain text. Its first line is a header, `` date YYYY-MM-DD Title``;
fields may follow it directly, one a line (``id: cabinet-2026`` names the
article for good, ``by: Jane Doe`` is its author); paragraphs follow,
separated by blank lines. Lines of one paragraph are joined with a space, so
hard-wrapped seeds work too.

An article's identity is its ``id``: the ``id:`` field, else the seed's file
name (``000_665afb2dddca8924.txt`` → ``000_665afb2dddca8924``; a name with
other characters is lowered and its runs of them become ``-``). Its memories
are keyed by the id, so editing a title keeps every translation; the slug,
from the title, only makes the URL.

Repairs made silently, and recorded in ``Article.repairs``: a UTF-8 byte
order mark is dropped; Windows (CRLF) and old Mac (CR) line ends become LF.
Everything else that is wrong (empty, not UTF-8, mojibake, control
characters, no or bad header, no text) is a :class:`PressError` naming the
file, the line and the fix. ``press repair`` writes a cleaned copy of a seed
that is in another encoding or holds mojibake; a seed itself is never edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tools.errors import PressError

HEADER_FORMAT = "' date YYYY-MM-DD Title of the article'"
_HEADER = re.compile(r"^\s*date\s+(?P<date>\S+)\s+(?P<title>\S.*?)\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST = dt.date(1000, 1, 1)  # a year of four digits: ISO 8601 dates, month pages, feeds all write four
_BOM = b"\xef\xbb\xbf"
_LEGACY_CODECS = ("cp1251", "cp1252")
_MOJIBAKE_CODECS = ("cp1252", "cp1251", "latin-1")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SLUG_MAX = 50
_FILE_SLUG_MAX = 40  # the slug in a new seed's file name (press new), also cut at a word
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
_FIELD = re.compile(r"^(?P<key>id|by):\s*(?P<value>.*?)\s*$")
_CYRILLIC_TO_LATIN = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёыэъ",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "ye",
            "zh",
            "z",
            "y",
            "i",
            "yi",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "yu",
            "ya",
            "yo",
            "y",
            "e",
            "",
        ],
    )
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a seed and the line it starts on."""

    text: str
    line: int


@dataclass(frozen=True)
class Article:
    """A seed, parsed: what every later stage reads."""

    source: Path
    slug: str
    date: dt.date
    title: str
    paragraphs: tuple[Paragraph, ...]
    sha256: str
    repairs: tuple[str, ...] = ()
    id: str = ""
    by: str = ""


def read_seed(path: Path) -> Article:
    """Read and parse one seed file; only a regular file is read (a named pipe would never end)."""
    return parse_seed(_read_regular(path), path)


def article_data(article: Article) -> dict:
    """A parsed seed as JSON data, but its path (the build's record of the seeds keeps it: :func:`article_from_data`)."""
    return {
        "slug": article.slug,
        "date": article.date.isoformat(),
        "title": article.title,
        "paragraphs": [[p.text, p.line] for p in article.paragraphs],
        "sha256": article.sha256,
        "repairs": list(article.repairs),
        "id": article.id,
        "by": article.by,
    }


def article_from_data(data: object, path: Path) -> Article | None:
    """The article :func:`article_data` saved, as the seed at ``path``; None when the data is not that."""
    try:
        texts = [data["slug"], data["title"], data["sha256"], data["id"], data["by"], *data["repairs"]]  # type: ignore[index]
        paragraphs = tuple(Paragraph(text, line) for text, line in data["paragraphs"])  # type: ignore[index]
        if not all(isinstance(t, str) for t in texts) or not all(
            isinstance(p.text, str) and type(p.line) is int for p in paragraphs
        ):
            return None
        fields = dict(data, source=path, date=dt.date.fromisoformat(data["date"]), paragraphs=paragraphs)  # type: ignore[arg-type,index]
        fields["repairs"] = tuple(fields["repairs"])
        return Article(**fields)
    except (KeyError, TypeError, ValueError):
        return None


Known = Callable[[Path, os.stat_result], "Article | None"]  # a seed's article as recorded, by its path and stat


def load_seeds(folder: Path) -> list[Article]:
    """Parse every ``*.txt`` seed of ``folder``, in file-name order; ids and slugs must be unique.

    A seed is a regular file in the project (the folder's parent): a symbolic link that leads out of it is refused.
    """
    return [article for article, _ in load_seeds_stamped(folder)]


def load_seeds_stamped(folder: Path, known: Known | None = None) -> list[tuple[Article, os.stat_result | None]]:
    """:func:`load_seeds`, each seed with its stat taken before it was read (None when there was none); a seed
    ``known`` gives an article for (by its path and that stat) is not read at all."""
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise PressError(folder, None, "no seed (*.txt) found", f"put the article as a .txt file into {folder}/")
    project = folder.resolve().parent
    for path in paths:
        target = path.resolve()
        if path.is_symlink() and not target.is_relative_to(project):
            raise PressError(path, None, f"a symbolic link to {target}, outside the project", _NOT_A_SEED_FIX)
    seeds = [_seed(path, known) for path in paths]
    articles = [article for article, _ in seeds]
    _unique(articles, "id", "its id is '{}', as is that of {}", "give one of them an id: line after its header")
    _unique(articles, "slug", "its title gives the slug '{}', as does {}", "give one of the two articles another title")
    return seeds


def _seed(path: Path, known: Known | None) -> tuple[Article, os.stat_result | None]:
    """The seed's article (``known``'s, or read) and its stat before reading."""
    try:
        before = os.stat(path)
    except OSError:
        before = None  # reading it says why
    if known is not None and before is not None and stat.S_ISREG(before.st_mode):
        article = known(path, before)
        if article is not None:
            return article, before
    return read_seed(path), before


_NOT_A_SEED_FIX = "put the article's text in a regular file there, or move this out of seeds/"
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))  # fmt: skip


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file; anything else (a folder, a FIFO, a socket, a device) is one line, never opened
    in a way that could wait (a FIFO is opened without blocking, and its type checked on the open file too)."""
    try:
        _refuse_special(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        try:
            _refuse_special(path, os.fstat(fd).st_mode)
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read()
        finally:
            os.close(fd)
    except OSError as exc:
        raise PressError(path, None, f"cannot read the seed: {exc.strerror}", "check the path") from None


def _refuse_special(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise PressError(path, None, f"{kind}, not a seed: only regular files are read", _NOT_A_SEED_FIX)


def _unique(articles: list[Article], field: str, message: str, fix: str) -> None:
    seen: dict[str, Path] = {}
    for article in articles:
        value = getattr(article, field)
        if value in seen:
            raise PressError(article.source, 1, message.format(value, seen[value]), fix)
        seen[value] = article.source


def parse_seed(raw: bytes, path: Path) -> Article:
    """Parse a seed's bytes; ``path`` is used for messages and provenance."""
    text, repairs = decode_seed(raw, path)
    lines = text.split("\n")
    date, title = _parse_header(lines[0], path)
    fields = _fields(lines, path)
    paragraphs = _paragraphs(lines, first=2 + len(fields))
    if not paragraphs:
        raise PressError(
            path, 2, "the seed has a header but no text", "add the article's paragraphs after the header line"
        )
    return Article(
        source=path,
        slug=slugify(title),
        date=date,
        title=title,
        paragraphs=tuple(paragraphs),
        sha256=hashlib.sha256(raw).hexdigest(),
        repairs=tuple(repairs),
        id=fields.get("id") or article_id(path),
        by=fields.get("by", ""),
    )


def seed_text(headline: str, date: str, by: str | None, body: str) -> str:
    """A seed's text: the header, the byline field if any, then the paragraphs."""
    fields = f"by: {by.strip()}\n" if by and by.strip() else ""
    paragraphs = "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip())
    return f" date {date} {' '.join(headline.split())}\n{fields}\n" + (paragraphs + "\n" if paragraphs else "")


def new_seed_path(folder: Path, headline: str) -> Path:
    """The next seed file for a headline: ``NNN_<slug>.txt``, numbered after the seeds there."""
    numbers = [int(m.group(1)) for p in folder.glob("*.txt") if (m := re.match(r"^(\d+)_", p.name))]
    return folder / f"{max(numbers, default=-1) + 1:03d}_{slugify(headline, _FILE_SLUG_MAX)}.txt"


def check_header(line: str, path: Path) -> None:
    """Refuse a header line a seed could not start with (the date, the title)."""
    _parse_header(line, path)
    _reject_controls(line, path)


def article_id(path: Path) -> str:
    """The id of a seed without an ``id:`` field: its file name (folded to ASCII, other characters as ``-``)."""
    stem = path.stem if _ID.match(path.stem) else re.sub(r"[^a-z0-9_.]+", "-", _fold(path.stem)).strip("-.")
    return stem[:100] or "article"


def _fields(lines: list[str], path: Path) -> dict[str, str]:
    """The ``key: value`` lines right after the header (id, by)."""
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        match = _FIELD.match(line)
        if not match:
            break
        key, value = match.group("key"), match.group("value")
        if key in fields:
            raise PressError(path, number, f"'{key}:' given twice", f"keep one {key}: line")
        if key == "id" and not _ID.match(value):
            raise PressError(
                path,
                number,
                f"bad id {value!r}",
                "use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (at most 100)",
            )
        if not value:
            raise PressError(
                path, number, f"'{key}:' has no value", f"write the value after {key}:, or delete the line"
            )
        fields[key] = value
    return fields


def decode_seed(raw: bytes, path: Path) -> tuple[str, list[str]]:
    """Bytes → text with LF line ends; raise on anything not safely repairable."""
    if not raw.strip():
        raise PressError(path, 1, "the seed is empty", f"write the header {HEADER_FORMAT} and the article's text")
    repairs = []
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
        repairs.append("dropped the UTF-8 byte order mark")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise PressError(
            path, 1, "the seed is UTF-16, not UTF-8", f"re-save it as UTF-8, e.g. press repair {path} OUT.txt"
        )
    text = _decode_utf8(raw, path)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repairs.append("converted Windows (CRLF) line ends to LF")
    _reject_mojibake(text, path)
    _reject_controls(text, path)
    return text, repairs


def repair_text(raw: bytes) -> str:
    """Best-effort clean UTF-8 text from a seed in a legacy encoding or with mojibake."""
    raw = raw.removeprefix(_BOM)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode(_guess_legacy_codec(raw) or "cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NON_ASCII_RUN.sub(lambda m: _unmojibake(m.group()) or m.group(), text)


def slugify(title: str, limit: int = _SLUG_MAX) -> str:
    """A stable, readable, ASCII file and URL name from a title.

    At most ``limit`` characters, cut at a word (a first word longer than that, at ``limit``); a leading English
    article is dropped; Cyrillic is transliterated, other accents stripped.
    """
    words = re.findall(r"[a-z0-9]+", _fold(title))
    if len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit and slug:
            break
        slug = candidate[:limit]
    return slug or "article"


def _fold(text: str) -> str:
    """Lower-case ASCII: Cyrillic transliterated, other accents stripped."""
    folded = "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in text.lower())
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


def _decode_utf8(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        codec = _guess_legacy_codec(raw)
        reads_as = f"; it reads as {codec}" if codec else ""
        fix = f"convert it: iconv -f {codec} -t utf-8 {path} > OUT.txt, or press repair {path} OUT.txt"
        raise PressError(
            path,
            line,
            f"not UTF-8 (byte 0x{raw[exc.start]:02X} at column {column}){reads_as}",
            fix if codec else "re-save the file as UTF-8",
        ) from None


def _guess_legacy_codec(raw: bytes) -> str | None:
    """cp1251 if the high bytes read as Cyrillic words, cp1252 if as Latin ones."""
    high = [b for b in raw if b >= 0x80]
    if not high:
        return None
    cyrillic = sum(1 for ch in raw.decode("cp1251", errors="replace") if "\u0400" <= ch <= "\u04ff")
    return _LEGACY_CODECS[0] if cyrillic >= 0.8 * len(high) else _LEGACY_CODECS[1]


def _unmojibake(run: str) -> str | None:
    """The text a mojibake run stood for (UTF-8 read as a legacy codec), or None."""
    for codec in _MOJIBAKE_CODECS:
        try:
            fixed = run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != run:
            return fixed
    return None


def _reject_mojibake(text: str, path: Path) -> None:
    for match in _NON_ASCII_RUN.finditer(text):
        fixed = _unmojibake(match.group())
        if fixed is not None:
            line = text.count("\n", 0, match.start()) + 1
            raise PressError(
                path,
                line,
                f"mojibake: '{match.group()}' is '{fixed}' decoded with the wrong code page",
                f"press repair {path} OUT.txt, then use OUT.txt as the seed",
            )


def _reject_controls(text: str, path: Path) -> None:
    match = _CONTROL.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        raise PressError(
            path,
            line,
            f"control character U+{ord(match.group()):04X} at column {column}",
            "delete it (is this a binary file?)",
        )


def _parse_header(first: str, path: Path) -> tuple[dt.date, str]:
    match = _HEADER.match(first)
    if not match:
        raise PressError(path, 1, f"no header: the first line must read {HEADER_FORMAT}", "add that line at the top")
    raw_date = match.group("date")
    try:
        if not _ISO_DATE.match(raw_date):
            raise ValueError(raw_date)
        date = dt.date.fromisoformat(raw_date)
    except ValueError:
        raise PressError(
            path, 1, f"bad date '{raw_date}' in the header", "write a real date as YYYY-MM-DD, e.g. 2026-02-02"
        ) from None
    if date < EARLIEST:
        raise PressError(
            path, 1, f"the date '{raw_date}' is before the year 1000", "write the year in full, e.g. 2026-02-02"
        )
    return date, match.group("title")


def _paragraphs(lines: list[str], first: int = 2) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    start = 0
    for number, line in enumerate(lines[first - 1 :], start=first):
        if line.strip():
            if not block:
                start = number
            block.append(line.strip())
        elif block:
            paragraphs.append(Paragraph(" ".join(block), start))
            block = []
    if block:
        paragraphs.append(Paragraph(" ".join(block), start))
    return paragraphs
