"""editions.yml: every mistake is one line naming the line of the bad value and a fix; good files load."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.config import CONFIG_FILE, Config, key_line, load_config
from tools.errors import PressError
from tools.langid import check_seed_language, identify

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("000_*.txt"))

# One short paragraph (two sentences, 120 to 145 letters) in each language, written for these tests.
PARAGRAPHS = {
    "en": "The city council decided on Tuesday to repair the bridge over the river by the autumn. "
    "According to first estimates, the work will cost about four million euros.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss bis zum Herbst zu sanieren. "
    "Die Arbeiten kosten nach ersten Schätzungen rund vier Millionen Euro.",
    "uk": "Міська рада у вівторок вирішила відремонтувати міст через річку до осені. "
    "За першими оцінками, роботи коштуватимуть близько чотирьох мільйонів євро.",
    "ru": "Городской совет во вторник решил отремонтировать мост через реку до осени. "
    "По первым оценкам, работы обойдутся примерно в четыре миллиона евро.",
    "fr": "Le conseil municipal a décidé mardi de rénover le pont sur la rivière d’ici l’automne. "
    "Selon les premières estimations, les travaux coûteront environ quatre millions d’euros.",
    "es": "El ayuntamiento decidió el martes reparar el puente sobre el río antes del otoño. "
    "Según las primeras estimaciones, las obras costarán unos cuatro millones de euros.",
    "pl": "Rada miasta postanowiła we wtorek wyremontować most na rzece do jesieni. "
    "Według pierwszych szacunków prace będą kosztować około czterech milionów euro.",
}
# Texts no language can be told from, or that hold two: never an error, whatever the source language.
UNSURE = {
    "short": "Die Regierung tagt heute in Berlin.",
    "names and numbers": "Donald Trump, Vladimir Putin, Xi Jinping: 90 %, 2025, 2026.",
    "mixed paragraphs": PARAGRAPHS["en"] + "\n\n" + PARAGRAPHS["de"],
    "mixed sentences": PARAGRAPHS["de"] + " " + PARAGRAPHS["en"],
    "empty": "",
}

# (editions.yml, words of the message, the line it must name)
BAD = [
    ("languages: es\n", "languages must be a list, not the text 'es'; fix: write a list: languages: [es]", 1),
    ("languages: [uk]\nengines:\n  es: 5\n", "an engine for es must be an engine's name, not the number 5", 3),
    ("engines: [x]\n", "engines must be a mapping (key: value), not a list", 1),
    ("source_language: [en]\n", "source_language must be a language code, not a list; fix: use one of ca, de", 1),
    ("languages: [1]\n", "a language in languages must be a language code, not the number 1", 1),
    ("- source_language: en\n", "editions.yml must be a mapping (key: value), not a list", 1),
    ("# the editions\nen\n", "editions.yml must be a mapping (key: value), not the text 'en'", 2),
    ("42\n", "editions.yml must be a mapping (key: value), not the number 42", 1),
    ("languages: [uk, xx]\n", "unknown language 'xx'; fix: use one of ca, de, en, es, fr, pl, ru, uk", 1),
    ("# languages es and xx\nsource_language: en\nlanguages: [es, xx]\n", "unknown language 'xx'", 3),
    ("languages:\n  - uk\n  - xx\n", "unknown language 'xx'", 3),
    ("source_language: xx\n", "unknown language 'xx'", 1),
    ("languages: [uk]\nengines: {es: [deepl]}\n", "unknown engine 'deepl' for es; fix: use one of apertium, argos", 2),
    ("engines:\n  es:\n    - argos\n    - deepl\n", "unknown engine 'deepl' for es", 4),
    ("engines: {es: deepl}\n", "unknown engine 'deepl' for es", 1),
    ("engines:\n  es: []\n", "no engines for es", 2),
    ("engines: {es: {argos: 1}}\n", "an engine for es must be an engine's name, not a mapping", 1),
    ("engines: {es: [[argos]]}\n", "an engine for es must be an engine's name, not a list", 1),
    ("engines: {1: [argos]}\n", "a language in engines must be a language code, not the number 1", 1),
    ("engines: {xx: [argos]}\n", "unknown language 'xx'", 1),
    ("engines:\n", "engines must be a mapping (key: value), not an empty value", 1),
    (
        "languages:\n",
        "languages must be a list, not an empty value; fix: write languages: [uk, de] (languages: [] for",
        1,
    ),
    ("languages: [uk, no]\n", "a language in languages must be a language code, not 'no' (read as false)", 1),
    ("source_language: yes\n", "source_language must be a language code, not 'yes' (read as true)", 1),
    ("source_language: ~\n", "source_language must be a language code, not '~' (read as null)", 1),
    ("source_language: 2026-01-01\n", "source_language must be a language code, not the date 2026-01-01", 1),
    ("source_language: 0x10\n", "source_language must be a language code, not the number 0x10", 1),
    ("source_language: 1.5e+3\n", "source_language must be a language code, not the number 1.5e+3", 1),
    ("source_language: 1e3\n", "unknown language '1e3'", 1),  # YAML 1.1 reads 1e3 (no dot, no sign) as text
    ('languages: ["uk\\n"]\n', "unknown language 'uk\\n'", 1),
    ("source_language: de\nlanguages: [uk, de]\n", "de is the source language; fix: remove de from languages", 2),
    ("languages: [uk, ru, uk]\n", "uk is listed twice in languages", 1),
    ("languages: [es]\ncolour: red\n", "unknown key(s): colour; fix: use source_language, languages, engines", 2),
    ("languages: [uk]\nLanguages: [de]\n", "unknown key(s): Languages", 2),
    ("1: [uk]\n", "unknown key(s): 1", 1),
    ("languages: [uk]\nlanguages: [de]\n", "duplicate key 'languages' (first on line 1); fix: keep one of the two", 2),
    ("languages: [es\n", "not valid YAML", 2),
    ("languages: [uk]\n---\nlanguages: [de]\n", "not valid YAML: expected a single document in the stream", 2),
    ("languages: &l [uk]\nengines: {es: *l}\n", "an alias (*l) is not supported", 2),
    ("source_language: !!python/name:os.system en\n", "cannot read the value 'en'", 1),
    ("engines: !!set {es}\n", "the tag 'tag:yaml.org,2002:set' is not supported", 1),
    ("? [languages]\n: [uk]\n", "a key that is a list or a mapping", 1),
    ("<<: {languages: [uk]}\n", "merge keys (<<) are not supported", 1),
    ("languages: [uk]\n\x00\n", "the character U+0000 is not allowed in YAML", 2),
    ("languages: " + "[" * 100 + "]" * 100 + "\n", "values nested more than 64 levels deep", 1),
    # planned: languages off on purpose, checked as languages are
    ("planned: uk\n", "planned must be a list, not the text 'uk'; fix: write a list: planned: [uk]", 1),
    ("planned:\n", "planned must be a list, not an empty value; fix: write planned: [uk, de] (planned: [] for", 1),
    ("planned: {uk: later}\n", "planned must be a list, not a mapping", 1),
    ("planned:\n  - uk\n  - xx\n", "unknown language 'xx'", 3),
    ("planned: [uk, 5]\n", "a language in planned must be a language code, not the number 5", 1),
    ("planned: [uk, en]\n", "en is the source language; fix: remove en from planned", 1),
    ("planned: [uk, de, uk]\n", "uk is listed twice in planned", 1),
    (
        "languages: [es, uk]\nplanned:\n  - pl\n  - uk\n",
        "uk is both in languages and planned; fix: keep uk in one of the two: languages to build its edition",
        4,
    ),
]

# (editions.yml, the configuration it gives)
GOOD = [
    ("", Config()),
    ("# only a comment\n", Config()),
    ("source_language: en\nlanguages: []\n", Config()),
    ("languages: [uk, de]\n", Config("en", ("uk", "de"))),
    ("source_language: de\nlanguages: [en]\n", Config("de", ("en",))),
    ("languages: [es]\nengines: {es: apertium}\n", Config("en", ("es",), {"es": ("apertium",)})),
    ("languages: [es]\nengines:\n  es: [apertium, argos]\n", Config("en", ("es",), {"es": ("apertium", "argos")})),
    ("\ufefflanguages: [uk]\n", Config("en", ("uk",))),
    ("languages: [es]\nplanned: [uk, pl]\n", Config("en", ("es",), planned=("uk", "pl"))),
    ("planned: [uk]  # no engine here yet\n", Config("en", (), planned=("uk",))),
    ("languages: [es]\nplanned: []\n", Config("en", ("es",))),
    (
        "source_language: uk\nplanned: [en]\nengines: {en: [argos]}\n",
        Config("uk", (), {"en": ("argos",)}, None, ("en",)),
    ),
]


def configure(tmp_path: Path, text: str) -> Path:
    (tmp_path / CONFIG_FILE).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text, words, line", BAD, ids=[case[1][:50] for case in BAD])
def test_each_mistake_is_one_line_at_the_bad_value(text: str, words: str, line: int, tmp_path: Path) -> None:
    with pytest.raises(PressError) as caught:
        load_config(configure(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message and "; fix: " in message, message
    assert message.startswith(f"{tmp_path / CONFIG_FILE}:{line}: "), message
    assert caught.value.line == line and words in message, message


@pytest.mark.parametrize("text, config", GOOD, ids=[repr(case[0][:40]) for case in GOOD])
def test_good_files_load(text: str, config: Config, tmp_path: Path) -> None:
    assert load_config(configure(tmp_path, text)) == config


def test_no_file_means_english_only(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_the_project_configuration() -> None:
    config = load_config(ROOT)
    assert config.source_language == "en" and config.languages == ("es",), "what a fresh clone can build"
    assert set(config.planned) == {"uk", "ru", "de", "fr", "pl", "ca"}, "the languages the term base also carries"
    assert config.engines_for("es") == ("argos", "apertium")


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_bytes("# Editions\nlanguages: [uk]  # für\n".encode("latin-1"))
    with pytest.raises(PressError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 2 and caught.value.message == "not UTF-8 text"


def test_a_folder_named_editions_yml_is_no_configuration(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).mkdir()
    assert load_config(tmp_path) == Config()


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("# editions\nlanguages: [uk]\nsource_language: de\n", "source_language", 3),
        ("languages: [uk]\n", "source_language", None),
    ],
)
def test_key_line(text: str, key: str, line: int | None, tmp_path: Path) -> None:
    assert key_line(configure(tmp_path, text) / CONFIG_FILE, key) == line


def seed_check(tmp_path: Path, config: str, source: str, seeds: list[tuple[Path, str]]) -> PressError | None:
    """The error check_seed_language raises for ``seeds`` under this editions.yml, or None."""
    path = configure(tmp_path, config) / CONFIG_FILE
    try:
        check_seed_language(source, seeds, path)
    except PressError as error:
        assert "\n" not in str(error)
        return error
    return None


def test_the_real_seed_reads_as_english(tmp_path: Path) -> None:
    seed = [(SEED.relative_to(ROOT), SEED.read_text(encoding="utf-8"))]
    assert identify(seed[0][1])[0] == "en"
    assert seed_check(tmp_path, "source_language: en\n", "en", seed) is None
    error = seed_check(tmp_path, "# editions\nsource_language: de\nlanguages: [uk]\n", "de", seed)
    expected = f"{tmp_path / CONFIG_FILE}:2: source_language is de, but seeds/{SEED.name} reads as en"
    assert str(error) == expected + "; fix: set source_language: en"


@pytest.mark.parametrize("lang", sorted(PARAGRAPHS))
def test_each_language_is_told_apart(lang: str, tmp_path: Path) -> None:
    seed = [(Path("seeds/001_x.txt"), PARAGRAPHS[lang])]
    assert identify(PARAGRAPHS[lang])[0] == lang
    assert seed_check(tmp_path, f"source_language: {lang}\n", lang, seed) is None
    for other in sorted(set(PARAGRAPHS) - {lang}):
        error = seed_check(tmp_path, f"source_language: {other}\n", other, seed)
        assert error is not None and error.line == 1, other
        assert error.message == f"source_language is {other}, but seeds/001_x.txt reads as {lang}"
        assert error.fix == f"set source_language: {lang}"


@pytest.mark.parametrize("name", sorted(UNSURE))
def test_short_or_mixed_text_is_never_an_error(name: str, tmp_path: Path) -> None:
    for lang in PARAGRAPHS:
        assert seed_check(tmp_path, f"source_language: {lang}\n", lang, [(Path("s.txt"), UNSURE[name])]) is None


def test_without_source_language_the_default_is_named(tmp_path: Path) -> None:
    error = seed_check(tmp_path, "languages: [uk]\n", "en", [(Path("seeds/001_x.txt"), PARAGRAPHS["de"])])
    assert error.line is None
    assert error.message == "source_language is en (the default), but seeds/001_x.txt reads as de"


def test_seeds_in_two_languages(tmp_path: Path) -> None:
    seeds = [(Path("seeds/001_en.txt"), PARAGRAPHS["en"]), (Path("seeds/002_de.txt"), PARAGRAPHS["de"])]
    error = seed_check(tmp_path, "source_language: en\n", "en", seeds)
    assert str(error).endswith("reads as de; fix: write seeds/002_de.txt in en, or take it out")


def test_the_model_loaded_ahead_is_the_one_the_check_uses() -> None:
    """``load_identifier`` starts the model loading in a thread; a check meanwhile waits for it, and every caller
    gets the one model (loaded once)."""
    from concurrent.futures import ThreadPoolExecutor

    from tools import langid

    langid._model.cache_clear()
    langid.load_identifier()
    with ThreadPoolExecutor(4) as pool:
        models = list(pool.map(lambda _: langid._identifier(), range(4)))
    assert all(model is models[0] for model in models)
    assert langid._model.cache_info().misses == 1, "loaded once"
    text = "The talks in Anchorage went on for hours, and nobody left the room before midnight. " * 3
    assert identify(text)[0] == "en"


def test_the_model_kept_in_the_cache_reads_as_the_library_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build keeps the restricted model in the project's cache (zlib, read in a fifth of LZMA's time): it
    classifies every text as the library's model does, to the probability; a damaged or foreign one is
    not used, and the library's is read (and kept) again."""
    from py3langid.langid import LanguageIdentifier

    from tools import langid

    kept = tmp_path / "cache" / "langid-model.npz"
    monkeypatch.setattr(langid, "_kept", kept)
    langid._model.cache_clear()
    try:
        library = langid._identifier()
        assert kept.is_file(), "the first load keeps it"
        loads = []
        real = LanguageIdentifier.from_model_file.__func__
        monkeypatch.setattr(
            LanguageIdentifier, "from_model_file", classmethod(lambda c, *a, **k: loads.append(a) or real(c, *a, **k))
        )
        langid._model.cache_clear()
        from_kept = langid._identifier()
        assert from_kept is not library and not loads, "read from the kept file, not the library's"
        for text in [*PARAGRAPHS.values(), *UNSURE.values(), SEED.read_text(encoding="utf-8")]:
            assert from_kept.classify(text) == library.classify(text)
        for damage in (b"not a zip", kept.read_bytes()[: kept.stat().st_size // 2]):
            kept.write_bytes(damage)
            langid._model.cache_clear()
            assert langid._identifier().classify(PARAGRAPHS["de"]) == library.classify(PARAGRAPHS["de"])
            assert len(loads) == 1 and kept.read_bytes() != damage, "the library's model, kept again"
            loads.clear()
        monkeypatch.setattr(langid, "_model_key", lambda: "py3langid 9.9 another model")
        langid._model.cache_clear()
        langid._identifier()
        assert len(loads) == 1, "a model kept from another py3langid or model file is not used"
    finally:
        langid._model.cache_clear()


@pytest.mark.parametrize(
    "value, epoch",
    [("1700000000", 1_700_000_000), (" 1700000000\n", 1_700_000_000), ("0", 0), ("", None), ("  ", None)],
)
def test_source_date_epoch_set_empty_counts_as_unset(monkeypatch: pytest.MonkeyPatch, value: str, epoch) -> None:
    """``SOURCE_DATE_EPOCH= make`` (set, empty) is unset, as the PO headers always took it; a number is the epoch."""
    from tools.layout import explicit_epoch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert explicit_epoch() == epoch


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.7e9", "１７", "²"])
def test_a_malformed_source_date_epoch_stops_the_build_with_its_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    """A malformed epoch is one line naming it and the fix (reproducible-builds.org: the build stops), for the books
    and the PO headers alike; the books once took it silently for unset, a date the author did not give."""
    from tools.layout import explicit_epoch, source_date_epoch
    from tools.memory.header import timestamp

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for reads in (explicit_epoch, lambda: source_date_epoch(tmp_path), timestamp):
        with pytest.raises(PressError) as raised:
            reads()
        assert str(raised.value) == (
            f"press: SOURCE_DATE_EPOCH={value.strip()!r} is not a number of seconds; fix: set it to a whole number of"
            " seconds since 1970 (git log -1 --format=%ct), or unset it"
        )
