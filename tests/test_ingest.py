"""Ingest: the real seed parses; every kind of bad seed gets a one-line error naming file, line and fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tools.errors import PressError
from tools.ingest import load_seeds, parse_seed, read_seed, repair_text, slugify

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_665afb2dddca8924.txt"
GOOD = " date 2026-02-02 A «quoted» title\n\nFirst paragraph.\n\nSecond paragraph.\n".encode()
CYRILLIC = " date 2026-02-02 Політика «особистої дипломатії»\n\nПерший абзац.\n"

# (name, bytes, line the error names, words the message must contain)
BAD_SEEDS = [
    ("empty", b"", 1, "empty"),
    ("blank", b"  \n\n \n", 1, "empty"),
    ("no header", b"Just a paragraph.\n\nAnother one.\n", 1, "no header"),
    ("header without title", b" date 2026-02-02\n\nText.\n", 1, "no header"),
    ("bad month", b" date 2026-13-02 Title\n\nText.\n", 1, "bad date '2026-13-02'"),
    ("bad day", b" date 2026-02-30 Title\n\nText.\n", 1, "bad date"),
    ("not ISO", b" date 02.02.2026 Title\n\nText.\n", 1, "bad date '02.02.2026'"),
    ("header only", b" date 2026-02-02 Title\n", 2, "no text"),
    ("cp1251", CYRILLIC.encode("cp1251"), 1, "not UTF-8"),
    ("cp1252", " date 2026-02-02 Café «x»\n\nText.\n".encode("cp1252"), 1, "not UTF-8"),
    ("utf-16", CYRILLIC.encode("utf-16"), 1, "UTF-16"),
    ("mojibake cp1252", " date 2026-02-02 Title\n\nPutin’s army.\n".encode().decode("cp1252").encode(), 3, "mojibake"),
    ("mojibake cp1251", CYRILLIC.encode().decode("cp1251").encode(), 1, "mojibake"),
    ("control character", b" date 2026-02-02 Title\n\nText\x07 here.\n", 3, "U+0007"),
    ("NUL bytes", b" date 2026-02-02 Title\n\nText\x00\x00.\n", 3, "U+0000"),
]


def test_the_real_seed() -> None:
    article = read_seed(SEED)
    assert article.date == dt.date(2026, 2, 2)
    assert article.title.startswith("The policy of «personal diplomacy» that Donald Trump")
    assert article.title.endswith("has reached a strategic impasse")
    assert len(article.paragraphs) == 20
    assert article.paragraphs[0].text.startswith("In early 2026, American foreign policy")
    assert article.paragraphs[0].line == 3
    assert article.slug == "policy-of-personal-diplomacy-that-donald-trump-has"
    assert article.sha256 == "a031b011718467c2ec9155d6b94162936f1e85e2dd5a55bb6fbb450a1c8d4167"
    assert article.repairs == ()


@pytest.mark.parametrize("name, raw, line, words", BAD_SEEDS, ids=[case[0] for case in BAD_SEEDS])
def test_bad_seed_gets_one_line_error(name: str, raw: bytes, line: int, words: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    with pytest.raises(PressError) as caught:
        parse_seed(raw, path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert words in message
    assert "; fix: " in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "raw, repair",
    [
        (b"\xef\xbb\xbf" + GOOD, "byte order mark"),
        (GOOD.replace(b"\n", b"\r\n"), "CRLF"),
        (GOOD.replace(b"\n", b"\r"), "CRLF"),
    ],
    ids=["BOM", "CRLF", "CR"],
)
def test_documented_repairs(raw: bytes, repair: str, tmp_path: Path) -> None:
    article = parse_seed(raw, tmp_path / "seed.txt")
    assert [p.text for p in article.paragraphs] == ["First paragraph.", "Second paragraph."]
    assert article.title == "A «quoted» title"
    assert any(repair in note for note in article.repairs)


def test_hard_wrapped_paragraphs_are_joined(tmp_path: Path) -> None:
    raw = b" date 2026-02-02 Title\n\nOne line\n  and its continuation.\n\n\n\nNext.\n"
    article = parse_seed(raw, tmp_path / "s.txt")
    assert [(p.text, p.line) for p in article.paragraphs] == [("One line and its continuation.", 3), ("Next.", 8)]


@pytest.mark.parametrize(
    "name, raw",
    [
        ("cp1251", CYRILLIC.encode("cp1251")),
        ("utf-16", CYRILLIC.encode("utf-16")),
        ("mojibake", CYRILLIC.encode().decode("cp1251").encode()),
        ("BOM and CRLF", b"\xef\xbb\xbf" + CYRILLIC.replace("\n", "\r\n").encode()),
    ],
)
def test_repair_gives_a_valid_seed(name: str, raw: bytes, tmp_path: Path) -> None:
    repaired = repair_text(raw)
    assert repaired == CYRILLIC
    article = parse_seed(repaired.encode(), tmp_path / "fixed.txt")
    assert article.title == "Політика «особистої дипломатії»"


def test_several_seeds_and_duplicate_slugs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(GOOD)
    (tmp_path / "b.txt").write_text(CYRILLIC, encoding="utf-8")
    assert [a.slug for a in load_seeds(tmp_path)] == ["quoted-title", "polityka-osobystoyi-dyplomatiyi"]
    (tmp_path / "c.txt").write_bytes(GOOD)
    with pytest.raises(PressError, match="c.txt:1: its title gives the slug 'quoted-title'"):
        load_seeds(tmp_path)


def test_no_seeds(tmp_path: Path) -> None:
    with pytest.raises(PressError, match="no seed"):
        load_seeds(tmp_path)


@pytest.mark.parametrize(
    "title, slug",
    [
        ("The «Anchorage formula»: what it means", "anchorage-formula-what-it-means"),
        ("Україна і «мирна рада»", "ukrayina-i-myrna-rada"),
        ("Économie — 0.8 % de croissance", "economie-0-8-de-croissance"),
        ("«»", "article"),
        ("A " + "very-long-word " * 10, "very-long-word-very-long-word-very-long-word-very"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slug) <= 50


@pytest.mark.parametrize(
    ("name", "header", "article_id", "by"),
    [
        ("the file name", "", "000_665afb2dddca8924", ""),
        ("an id field", "id: cabinet-2026\n", "cabinet-2026", ""),
        ("id and author", "id: x.1\nby: Jane Doe\n", "x.1", "Jane Doe"),
        ("author only", "by: Олена Петренко\n", "000_665afb2dddca8924", "Олена Петренко"),
    ],
)
def test_article_identity(name: str, header: str, article_id: str, by: str) -> None:
    raw = b" date 2026-02-02 A title\n" + header.encode() + b"\nFirst paragraph.\n"
    article = parse_seed(raw, Path("seeds/000_665afb2dddca8924.txt"))
    assert (article.id, article.by) == (article_id, by)
    assert [p.text for p in article.paragraphs] == ["First paragraph."]
    assert article.paragraphs[0].line == 3 + header.count("\n"), "line numbers still point into the seed"


@pytest.mark.parametrize(
    ("file_name", "article_id"),
    [("My First Article.txt", "my-first-article"), ("Über & Дім.txt", "uber-dim"), ("ok_name-1.txt", "ok_name-1")],
)
def test_an_id_from_any_file_name_is_safe(file_name: str, article_id: str) -> None:
    assert parse_seed(GOOD, Path(file_name)).id == article_id


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("id: ../etc\n", 2, "bad id '../etc'"),
        ("id: Has Space\n", 2, "bad id 'Has Space'"),
        ("id: a\nid: b\n", 3, "'id:' given twice"),
        ("by:\n", 2, "'by:' has no value"),
    ],
)
def test_bad_fields_are_one_line(header: str, line: int, message: str) -> None:
    raw = b" date 2026-02-02 A title\n" + header.encode() + b"\nText.\n"
    with pytest.raises(PressError) as error:
        parse_seed(raw, Path("seeds/a.txt"))
    assert (error.value.line, error.value.message) == (line, message)


def test_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b" date 2026-02-02 One\nid: same\n\nText.\n")
    (tmp_path / "b.txt").write_bytes(b" date 2026-02-02 Two\nid: same\n\nText.\n")
    with pytest.raises(PressError, match="b.txt:1: its id is 'same', as is that of"):
        load_seeds(tmp_path)
