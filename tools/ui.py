"""What an edition says around the article, in its own language: labels, dates, provenance.

One table for every page and book the toolkit writes, so adding a language
is adding one entry here (and its typography style). Unknown languages get
the English words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """The words of one language; ``provenance`` and ``minutes`` are format strings."""

    language: str  # the language's name in itself
    site: str
    articles: str
    minutes: str  # reading time: {n}
    glossary: str
    see_also: str
    in_articles: str
    sources: str
    untranslated: str
    downloads: str
    original: str
    provenance: str  # {engine} {model} {reviewed}
    page: str  # abbreviation before a page number
    months: str
    date: str  # {day} {month} {year}, and {of} for Catalan's de/d’
    machine_translated: str  # a glossary entry whose texts a machine translated


WORDS = {
    "en": Words(
        "English", "Press editions", "Articles", "{n} min read", "Glossary", "See also", "In the articles",
        "Sources", "Shown in English until translated.", "Downloads", "Original",
        "Machine translation by {engine} ({model}); {reviewed} % of its sentences reviewed by a person.", "p.",
        "January February March April May June July August September October November December",
        "{day} {month} {year}", "Machine translation from English.",
    ),
    "uk": Words(
        "Українська", "Видання Press", "Статті", "{n} хв читання", "Глосарій", "Див. також", "У статтях",
        "Джерела", "Показано англійською, доки не перекладено.", "Завантаження", "Оригінал",
        "Машинний переклад: {engine} ({model}); людина переглянула {reviewed} % речень.", "с.",
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
        "{day} {month} {year} року", "Машинний переклад з англійської.",
    ),
    "ru": Words(
        "Русский", "Издания Press", "Статьи", "{n} мин чтения", "Глоссарий", "См. также", "В статьях",
        "Источники", "Показано на английском, пока не переведено.", "Загрузки", "Оригинал",
        "Машинный перевод: {engine} ({model}); человек проверил {reviewed} % предложений.", "с.",
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        "{day} {month} {year} года", "Машинный перевод с английского.",
    ),
    "de": Words(
        "Deutsch", "Press-Ausgaben", "Artikel", "{n} Min. Lesezeit", "Glossar", "Siehe auch", "In den Artikeln",
        "Quellen", "Bis zur Übersetzung auf Englisch.", "Downloads", "Original",
        "Maschinelle Übersetzung mit {engine} ({model}); {reviewed} % der Sätze von Menschen geprüft.", "S.",
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "{day}. {month} {year}", "Maschinelle Übersetzung aus dem Englischen.",
    ),
    "fr": Words(
        "Français", "Éditions Press", "Articles", "{n} min de lecture", "Glossaire", "Voir aussi",
        "Dans les articles", "Sources", "En anglais en attendant la traduction.", "Téléchargements", "Original",
        "Traduction automatique par {engine} ({model}) ; {reviewed} % des phrases relues.", "p.",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "{day} {month} {year}", "Traduction automatique de l’anglais.",
    ),
    "es": Words(
        "Español", "Ediciones Press", "Artículos", "{n} min de lectura", "Glosario", "Véase también",
        "En los artículos", "Fuentes", "En inglés hasta que se traduzca.", "Descargas", "Original",
        "Traducción automática de {engine} ({model}); {reviewed} % de las frases revisadas por una persona.", "p.",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "{day} de {month} de {year}", "Traducción automática del inglés.",
    ),
    "pl": Words(
        "Polski", "Wydania Press", "Artykuły", "{n} min czytania", "Słowniczek", "Zobacz też", "W artykułach",
        "Źródła", "Po angielsku do czasu przekładu.", "Do pobrania", "Oryginał",
        "Tłumaczenie maszynowe: {engine} ({model}); {reviewed} % zdań sprawdzonych przez człowieka.", "s.",
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
        "{day} {month} {year}", "Tłumaczenie maszynowe z angielskiego.",
    ),
    "ca": Words(
        "Català", "Edicions Press", "Articles", "{n} min de lectura", "Glossari", "Vegeu també", "Als articles",
        "Fonts", "En anglès fins que es tradueixi.", "Baixades", "Original",
        "Traducció automàtica de {engine} ({model}); {reviewed} % de les frases revisades.", "p.",
        "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
        "{day} {of}{month} de {year}", "Traducció automàtica de l’anglès.",
    ),
}  # fmt: skip


def words(lang: str) -> Words:
    """The words of ``lang``, or English ones."""
    return WORDS.get(lang, WORDS["en"])


def format_date(date: dt.date, lang: str) -> str:
    """The date as the language writes it: ``2 February 2026``, ``2 лютого 2026 року``, ``2. Februar 2026``."""
    month = words(lang).months.split(" ")[date.month - 1]
    of = "d’" if month[0] in "aeiou" else "de "  # Catalan: d’abril, de febrer
    return words(lang).date.format(day=date.day, month=month, year=date.year, of=of)


def provenance_note(provenance: dict, lang: str) -> str:
    """One sentence: which engine and model translated the edition, how much a person reviewed."""
    share = round(100 * provenance["reviewed_share"])
    return words(lang).provenance.format(engine=provenance["engine"], model=provenance["model"], reviewed=share)
