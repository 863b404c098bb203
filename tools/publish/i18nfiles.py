"""mkdocs-static-i18n's ``folder.create_i18n_file`` and ``I18nFiles.get_file_from_path``, in string operations
instead of ``pathlib``.

The i18n plugin remakes every file of the docs folder for every edition it builds: at 1,000 articles 4,400 files
twice (13,000 before the hooks took the books out of its pass), and its version spends most of that on
``PurePath`` objects (several a file): 3.5 s of an edit's site build when the books were in. :func:`create_i18n_file` computes the same File, attribute for attribute, with
string operations on the ``/``-separated paths mkdocs gives (tests/test_i18n_files.py runs both on every kind of
path, for every edition, and compares them); :func:`install` puts it where the plugin looks it up at each build
(``folder.create_i18n_file``), for the plugin version it was written against only. The same for the lookup of a
link's target (:func:`get_file_from_path`): every page's links are looked up through it, 16 a page, three of them
new (each relative to its own page's folder): 65 µs each in ``pathlib``, a second of an edition's build at 3,000
articles. And mkdocs' own ``File`` sets its source and target paths through ``PurePath(value).as_posix()``: 20 µs
a file, 14,000 files an edition at 1,000 articles (the books among them); :func:`posix_path` does the same in string
operations (:func:`install_paths`, for the mkdocs version it was written against).
"""

from __future__ import annotations

import importlib.metadata
import os
from typing import Any

from mkdocs.structure.files import File
from mkdocs_static_i18n import folder
from mkdocs_static_i18n.config import RE_LOCALE

PLUGIN_VERSION = "1.3.1"  # the version whose function this one reproduces; another keeps its own
MKDOCS_VERSION = "1.6.1"  # the version whose File path setters posix_path reproduces


def install() -> bool:
    """Use :func:`create_i18n_file` in the i18n plugin (when it is the version this reproduces); returns whether."""
    if importlib.metadata.version("mkdocs-static-i18n") != PLUGIN_VERSION:
        return False
    if not hasattr(folder, "_press_create_i18n_file"):
        folder._press_create_i18n_file = folder.create_i18n_file  # type: ignore[attr-defined]
        folder.create_i18n_file = create_i18n_file
    if not hasattr(folder.I18nFiles, "_press_get_file_from_path"):
        folder.I18nFiles._press_get_file_from_path = folder.I18nFiles.get_file_from_path  # type: ignore[attr-defined]
        folder.I18nFiles.get_file_from_path = get_file_from_path  # type: ignore[method-assign]
    return True


def install_paths() -> bool:
    """``File.src_path`` and ``File.dest_path`` set through :func:`posix_path` (with the mkdocs version they were
    written against); returns whether."""
    if importlib.metadata.version("mkdocs") != MKDOCS_VERSION:
        return False
    for name in ("src_path", "dest_path"):
        if not hasattr(File, f"_press_{name}"):
            original = getattr(File, name)
            setattr(File, f"_press_{name}", original)
            setattr(File, name, property(original.fget, _setter(name)))
    return True


def _setter(name: str) -> Any:
    uri = {"src_path": "src_uri", "dest_path": "dest_uri"}[name]

    def set_path(file: File, value: Any) -> None:
        setattr(file, uri, posix_path(value))

    return set_path


def posix_path(value: Any) -> str:
    """``PurePosixPath(value).as_posix()``: '.' and empty parts dropped, two leading slashes kept (POSIX leaves
    their meaning to the system), one kept for any other number; '.' for nothing."""
    text = os.fspath(value)
    if not isinstance(text, str):
        raise TypeError(f"not a text path: {value!r}")
    lead = "//" if text.startswith("//") and not text.startswith("///") else "/" if text.startswith("/") else ""
    joined = "/".join(part for part in text.split("/") if part not in ("", "."))
    return lead + joined if lead or joined else "."


def _parts(path: Any) -> list[str]:
    """A path's parts as ``PurePosixPath`` splits them ('.' and empty parts dropped; a leading '/' kept)."""
    text = os.fspath(path)
    parts = [part for part in text.split("/") if part not in ("", ".")]
    return ["/", *parts] if text.startswith("/") else parts


def _under(parts: list[str], top: str) -> bool:
    """``PurePath(parts).is_relative_to(top)``."""
    head = _parts(top)
    return parts[: len(head)] == head


def _joined(parts: list[str]) -> str:
    """``PurePath(*parts).as_posix()`` of relative parts ('.' for none)."""
    return "/".join(parts) or "."


def get_file_from_path(files: Any, path: str) -> File | None:
    """The plugin's ``I18nFiles.get_file_from_path`` (a link's target, in this edition, else in the default one,
    else outside the editions' folders), without ``pathlib``."""
    if path.startswith("/"):  # an absolute path (pathlib keeps two leading slashes): as the plugin looks it up
        return type(files)._press_get_file_from_path(files, path)  # type: ignore[attr-defined]
    plugin = files.plugin
    current, default = _parts(plugin.current_language), _parts(plugin.default_language)
    fallback = plugin.config.fallback_to_default is True
    wanted = _parts(path) or ["index.md"]
    if wanted[: len(current)] == current:
        rest = wanted[len(current) :]
        candidates = [wanted, *([default + rest] if fallback else []), rest]
    elif wanted[: len(default)] == default:
        rest = wanted[len(default) :]
        candidates = [wanted, *([current + rest] if fallback else []), rest]
    else:
        candidates = [current + wanted, *([default + wanted] if fallback else []), wanted]
    for candidate in candidates:
        file = files.src_uris.get(_joined(candidate))
        if file:
            return file
    return None


def create_i18n_file(
    file: File, current_language: str, default_language: str, all_languages: list, config: Any
) -> File:
    """The plugin's ``create_i18n_file`` (folder structure), the same File without ``pathlib``."""
    file = File(
        file.src_path,
        config.docs_dir,
        file.dest_path,
        config.use_directory_urls,
        dest_uri=file.dest_uri,
        inclusion=file.inclusion,
    )
    source = _parts(file.src_path)
    locale, localization = default_language, None
    for language in all_languages:
        if _under(source, language):
            locale = localization = language
            break
        first = source[0]
        if RE_LOCALE.match(first):
            locale = localization = first
            break
    dest = _parts(file.dest_path)
    if dest and dest[-1].endswith("README.html"):
        dest[-1] = "index.html"
    if locale != current_language:
        if _under(dest, locale):
            file.dest_path = _joined([*_parts(current_language), *dest[len(_parts(locale)) :]])
        elif current_language != default_language:
            file.dest_path = _joined([*_parts(current_language), *dest])
    elif locale == default_language:
        if _under(dest, locale):
            file.dest_path = _joined(dest[len(_parts(locale)) :])
        elif current_language != default_language:
            file.dest_path = _joined([*_parts(current_language), *dest])
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_path))
    if file.name == "README":
        file.name = "index"
    file.url = file._get_url(config.use_directory_urls)
    file.alternates = {current_language: file}
    file.locale = locale
    file.locale_alternate_of = current_language
    file.localization = localization
    file.norm_src_uri = file.src_uri
    if file.localization:
        file.norm_src_uri = _joined(_parts(file.src_uri)[len(_parts(file.localization)) :])
    return file
