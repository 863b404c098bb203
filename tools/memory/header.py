"""The PO header: complete, as gettext wants it (``Plural-Forms``, ``Language-Team``, ``Last-Translator``, the
two dates), a value a person set never overwritten, and the dates moved only when what they date changed."""

from __future__ import annotations

import time

import polib

from tools.languages import language
from tools.layout import GENERATOR, explicit_epoch

TOOLKIT = "press (machine translation)"  # Last-Translator of a memory no person has worked on
TEMPLATE_TRANSLATOR = "FULL NAME <EMAIL@ADDRESS>"


def is_person(translator: str) -> bool:
    """A Last-Translator a person set (not empty, not the template's placeholder, not the toolkit)."""
    return bool(translator) and translator not in (TEMPLATE_TRANSLATOR, TOOLKIT) and not translator.startswith("press ")


_HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def complete_header(metadata: dict[str, str], lang: str, entries_changed: bool, sources_changed: bool) -> None:
    """Fill the fields gettext wants; move the dates only when what they date changed. Nothing a person set is overwritten."""
    dates = {"POT-Creation-Date": sources_changed, "PO-Revision-Date": entries_changed}
    stale = [key for key, changed in dates.items() if changed or not metadata.get(key)]
    now = timestamp() if stale else ""
    for key in stale:
        set_field(metadata, key, now)
    defaults = {
        "Last-Translator": TOOLKIT,
        "Language-Team": _language_name(lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
    }
    for key, value in defaults.items():
        if not metadata.get(key, "").strip():
            set_field(metadata, key, value)


def plural_forms(lang: str) -> str:
    """The language's ``Plural-Forms`` header, as gettext's msginit writes it (Babel's table of gettext rules)."""
    return language(lang).plural_forms


def _language_name(lang: str) -> str:
    import babel

    try:
        return babel.Locale.parse(lang).english_name or lang
    except (ValueError, babel.UnknownLocaleError):
        return lang


def timestamp() -> str:
    """Now, as PO headers write dates, in UTC; ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = explicit_epoch()
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(time.time() if epoch is None else epoch))


def set_field(metadata: dict[str, str], key: str, value: str) -> None:
    """Set a header field; a new one goes where gettext puts it (after the standard fields before it)."""
    if key in metadata or key not in _HEADER_ORDER:
        metadata[key] = value
        return
    before = set(_HEADER_ORDER[: _HEADER_ORDER.index(key)])
    items = list(metadata.items())
    at = max((i + 1 for i, (k, _) in enumerate(items) if k in before), default=0)
    items.insert(at, (key, value))
    metadata.clear()
    metadata.update(items)


def entries_state(po: polib.POFile) -> tuple:
    """Everything of the entries that a save writes: what PO-Revision-Date dates."""
    return tuple(
        (
            e.obsolete,
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
            tuple(e.flags),
            e.comment,
            e.tcomment,
            tuple(e.occurrences),
            e.previous_msgctxt,
            e.previous_msgid,
            e.previous_msgid_plural,
        )
        for e in po
    )


def source_state(po: polib.POFile) -> tuple:
    """The sentences and where they occur: what POT-Creation-Date dates."""
    return tuple((e.msgctxt, e.msgid, tuple(e.occurrences)) for e in po if not e.obsolete)


def new_po(lang: str, source: str) -> polib.POFile:
    """An empty memory of ``source`` in ``lang``: the header press starts one with (completed on save)."""
    po = polib.POFile(wrapwidth=0)
    po.header = f"Translation memory of {source} ({lang}), kept by press: machine output stays fuzzy until reviewed."
    po.metadata = {
        "Project-Id-Version": source,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    return po


def new_template(project: str) -> polib.POFile:
    """An empty template (``.pot``) with the header xgettext writes; its ``POT-Creation-Date`` is set by the caller."""
    po = polib.POFile(wrapwidth=0)
    po.metadata_is_fuzzy = ["fuzzy"]
    po.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": TEMPLATE_TRANSLATOR,
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    return po
