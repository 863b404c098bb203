"""The ``press`` command (also ``python -m tools``): the only stage that talks to a person.

Every input error ends the command with one line, ``error: FILE:LINE:
what; fix: how``, and exit status 1; a usage error exits with 2; a reader that stops reading
(``| head``) ends it quietly with 141.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tools import __version__
from tools.diagnostics import WARNING, Diagnostic, exit_status, shown, summary, tally, with_fix
from tools.errors import PressError
from tools.fsutil import system_error, write_atomic
from tools.languages import CODES
from tools.layout import Layout, source_date_epoch

if TYPE_CHECKING:
    from tools.engines.argos import index
    from tools.memory.entries import Memory

# Each command imports what it runs, in its function: a command with nothing to do (press build, press site) then
# imports only what tells it so, not every stage (half a second of every no-op make).

PIPE_CLOSED = 128 + signal.SIGPIPE  # 141: the status of a command whose reader stopped reading, as a shell shows it
EXAMPLES = """\
examples:
  press build                       seeds/*.txt → docs/<lang>/, dist/ (staged: all or nothing)
  press site                        docs/ → site/ (mkdocs, redirects, content security policy)
  press typeset article.md --lang uk --explain
  echo '"Hi" -- ok...' | press typeset - --lang de
  press new "Sanctions bite" --by "Jane Doe" --text draft.txt
  press ingest seeds/000_665afb2dddca8924.txt
  press repair old-cp1251.txt seeds/new.txt
  press models install translate-en_uk-1_9.argosmodel
  press check --strict               QA of the translated editions
  press ebooks --check               dist/<slug>.<lang>.epub and .pdf, EPUBs checked by epubcheck and Ace
  press glossary check --strict
  press glossary show "shadow fleet"
"""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (141, quietly, when the reader of its output has gone:
    ``press glossary show X | head``)."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # output still buffered meets the closed pipe here
    except BrokenPipeError:
        _stdout_to_devnull()
        return PIPE_CLOSED


def _stdout_to_devnull() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit finds no broken pipe (as the
    Python documentation's note on SIGPIPE recommends)."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _one_writer(args):
            return args.run(args)
    except PressError as error:
        print(error.diagnostic, file=sys.stderr)
        return 1
    except OSError as exc:  # a write outside write_atomic (a rename, a link) the system refused; else a bug
        error = system_error(exc, doing="")
        if error is None:
            raise
        print(error.diagnostic, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: the outputs are as before; translations made so far are kept in the memories",
            file=sys.stderr,
        )
        return 130


def _one_writer(args: argparse.Namespace) -> contextlib.AbstractContextManager:
    """The project's writer lock (:mod:`tools.lock`) for a command that writes the project; nothing for a reader."""
    from tools.lock import one_writer

    writes = {_build: "build", _site: "site", _ebooks: "ebooks", _memory_import: "memory import"}
    name = writes.get(args.run)
    if args.run is _check and not args.no_write:
        name = "check"
    if args.run is _review and args.accept:
        name = "review --accept"
    return one_writer(Layout(args.root), f"press {name}") if name else contextlib.nullcontext()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends a build as Ctrl-C does: what is translated is saved, the outputs stay as they were."""
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="press",
        description="Turn newsroom articles (plain-text seeds) into typeset, translated editions.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"press {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    cmd = commands.add_parser("build", help="build every edition from seeds/ into docs/")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument("--strict", action="store_true", help="fail on any warning (repairs, unbalanced quotes)")
    cmd.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    cmd.add_argument("--force", action="store_true", help="build even when nothing changed since the last build")
    cmd.add_argument(
        "--accept-loss",
        action="store_true",
        help="go on when a memory holds fewer reviewed translations than the last build recorded (you meant it)",
    )
    cmd.set_defaults(run=_build)

    cmd = commands.add_parser(
        "site", help="build the site (mkdocs) beside site/, add redirects and the CSP, swap it in"
    )
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument("--force", action="store_true", help="build even when no input changed since the last build")
    cmd.set_defaults(run=_site)

    cmd = commands.add_parser("typeset", help="clean the typography of a text or Markdown file")
    cmd.add_argument("file", help="input file, or - for standard input")
    cmd.add_argument("--lang", required=True, choices=CODES, help="language whose rules to apply")
    cmd.add_argument("-o", "--output", type=Path, help="write here (atomically) instead of standard output")
    cmd.add_argument("--explain", action="store_true", help="list each change (line, rule, before → after) on stderr")
    cmd.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    cmd.set_defaults(run=_typeset)

    cmd = commands.add_parser("new", help="start a new article: write a seed with a valid header into seeds/")
    cmd.add_argument("headline")
    cmd.add_argument("--date", help="publication date, YYYY-MM-DD (default: today)")
    cmd.add_argument("--by", help="the author's name, for the byline")
    cmd.add_argument(
        "--text",
        type=Path,
        metavar="FILE",
        help="a file with the article's text (paragraphs apart), or - for standard input",
    )
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_new)

    cmd = commands.add_parser("ingest", help="parse seeds and show what the build will read")
    cmd.add_argument("files", nargs="*", type=Path, help="seed files (default: seeds/*.txt)")
    cmd.set_defaults(run=_ingest)

    models = commands.add_parser(
        "models", help="install, update, list or remove Argos Translate models (the Argos index, or a file)"
    ).add_subparsers(title="models commands", metavar="COMMAND", required=True)
    cmd = models.add_parser("available", help="list the models of the Argos package index ($ARGOS_PACKAGE_INDEX)")
    cmd.add_argument("source", nargs="?", metavar="FROM", help="only models from this language")
    cmd.add_argument("target", nargs="?", metavar="TO", help="only models into this language")
    cmd.set_defaults(run=_models_available)
    cmd = models.add_parser(
        "install",
        help="install a pair's newest model from the index, or an .argosmodel file (into $ARGOS_PACKAGES_DIR)",
    )
    cmd.add_argument("what", metavar="FILE|FROM", help="an .argosmodel file, or the language to translate from")
    cmd.add_argument("target", nargs="?", metavar="TO", help="the language to translate into")
    cmd.add_argument("--version", help="with FROM TO: install this version (default: the newest)")
    cmd.set_defaults(run=_models_install)
    cmd = models.add_parser("update", help="install newer versions of the installed models from the index")
    cmd.set_defaults(run=_models_update)
    cmd = models.add_parser("remove", help="remove the installed model of a language pair")
    cmd.add_argument("source", metavar="FROM")
    cmd.add_argument("target", metavar="TO")
    cmd.set_defaults(run=_models_remove)
    cmd = models.add_parser("list", help="list the installed models")
    cmd.set_defaults(run=_models_list)

    cmd = commands.add_parser("ebooks", help="write an EPUB and a PDF of every built edition into dist/")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument(
        "--check",
        action="store_true",
        help="run epubcheck and DAISY Ace on each; fail on any error, warning or violation",
    )
    cmd.set_defaults(run=_ebooks)

    cmd = commands.add_parser(
        "check",
        help="QA of the translated editions' memories (spacing, words, numbers, terms, quotes…); "
        "findings go into each entry as '#. qa:' lines",
    )
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument("--strict", action="store_true", help="fail on any finding")
    cmd.add_argument("--no-write", action="store_true", help="only list the findings; leave the memories as they are")
    cmd.set_defaults(run=_check)

    glossary = commands.add_parser("glossary", help="check the term base, or show one term").add_subparsers(
        title="glossary commands", metavar="COMMAND", required=True
    )
    cmd = glossary.add_parser("check", help="validate glossary/terms.yml and report terms and candidates in the seeds")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    cmd.set_defaults(run=_glossary_check)
    cmd = glossary.add_parser("show", help="show one term: by id, English form or rendering")
    cmd.add_argument("term")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_glossary_show)

    cmd = commands.add_parser(
        "repair", help="write a clean UTF-8 copy of a seed in cp1251/cp1252, UTF-16 or with mojibake"
    )
    cmd.add_argument("source", type=Path)
    cmd.add_argument("target", type=Path)
    cmd.set_defaults(run=_repair)
    _add_memory_commands(commands)
    return parser


def _build(args: argparse.Namespace) -> int:
    from tools import buildmark  # alone first: a build with nothing to do imports nothing else

    said = None if args.force or args.strict or args.accept_loss else buildmark.unchanged_build(Layout(args.root))
    if said is not None:  # what the last build said: its warnings still hold
        _report(said, "nothing changed since the last build (press build --force builds anyway)", [], args.quiet)
        return 0
    from tools.build import build, build_summary  # here: press site needs none of it

    result = build(args.root, fresh=args.force, accept_loss=args.accept_loss)
    done = f"{len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed"
    _report(build_summary(result), done, result.notes, args.quiet)
    skipped = [e for e in result.editions if e.skipped]
    if args.strict and (result.warnings or skipped):
        print(
            f"error: {len(result.warnings)} warning(s), {len(skipped)} edition(s) skipped, and --strict",
            file=sys.stderr,
        )
        return 1
    return 0


def _report(said: dict[str, list[str]], done: str, notes: list[str], quiet: bool) -> None:
    """A build's summary (:func:`tools.build.build_summary`): warnings and notes, then articles, ``done``, editions."""
    for warning in said.get("warnings", []):
        print(warning, file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if not quiet:
        for line in said.get("articles", []):
            print(line)
        print(done)
        print("editions:")
        for line in said.get("editions", []):
            print(f"  {line}")


def _site(args: argparse.Namespace) -> int:
    from tools.sitebuild import build_site, site_is_current

    layout = Layout(args.root)
    if not args.force and site_is_current(layout):
        print("site/ is up to date")
        return 0
    result = build_site(layout)
    print(f"site/: {result.pages} pages, {len(result.redirects)} redirect(s); nginx headers: {result.nginx}")
    return 0


def _typeset(args: argparse.Namespace) -> int:
    from tools.typography import explain

    text = _read_text(args.file)
    report = explain(text, args.lang)
    name = "<stdin>" if args.file == "-" else args.file
    if args.explain:
        for change in report.changes:
            print(change.describe(), file=sys.stderr)
    for warning in report.warnings:  # as press build shows them
        print(Diagnostic(name, warning.line, WARNING, "typography", warning.message, lang=args.lang), file=sys.stderr)
    if args.check:
        if report.text != text:
            print(f"{name}: {len(report.changes)} change(s) to make", file=sys.stderr)
            return 1
        return 0
    if args.output:
        write_atomic(args.output, report.text)
    else:
        sys.stdout.write(report.text)
    return 0


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PressError(path, None, f"cannot read: {exc.strerror}", "check the path") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PressError(path, line, "not UTF-8", f"press repair {path} OUT, then typeset OUT") from None


def _new(args: argparse.Namespace) -> int:
    from tools.ingest import check_header, new_seed_path, parse_seed, seed_text

    date = args.date or dt.date.today().isoformat()
    body = _read_text(str(args.text)) if args.text else ""
    seeds = Layout(args.root).seeds
    path = new_seed_path(seeds, args.headline)
    text = seed_text(args.headline, date, args.by, body)
    if body:
        parse_seed(text.encode("utf-8"), path)  # refuse a bad date, headline or text before writing
    else:
        check_header(text.split("\n", 1)[0], path)
    if path.exists():
        raise PressError(path, None, "a seed of that name exists", "choose another headline")
    write_atomic(path, text)
    print(
        f"{path}: written" + ("" if body else "; add the article's paragraphs after the header before the next build")
    )
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from tools.ingest import read_seed

    seeds = Layout(Path(".")).seeds
    files = args.files or sorted(seeds.glob("*.txt"))
    if not files:
        raise PressError(seeds, None, "no seed (*.txt) found", "name seed files, or run in the project folder")
    for path in files:
        article = read_seed(path)
        print(f"{path}: ok")
        print(f"  id:         {article.id}")
        print(f"  slug:       {article.slug}")
        print(f"  date:       {article.date}")
        print(f"  title:      {article.title}")
        print(f"  paragraphs: {len(article.paragraphs)}")
        print(f"  sha256:     {article.sha256}")
        for repair in article.repairs:
            print(f"  repaired:   {repair}")
    return 0


def _models_available(args: argparse.Namespace) -> int:
    from tools.engines.argos.packages import installed_packages

    codes = [code for code in (args.source, args.target) if code is not None]
    _models_language_codes(*codes)
    available = _models_index()
    entries = [e for e in available.entries if args.source in (None, e.from_code) and args.target in (None, e.to_code)]
    installed = {(p.from_code, p.to_code): p.package_version for p in installed_packages()}
    print(f"{available.url}: {len(entries)} model(s)")
    for entry in entries:
        have = installed.get((entry.from_code, entry.to_code))
        mark = "" if have is None else "  (installed)" if have == entry.version else f"  (installed: {have})"
        names = f"{entry.from_name or entry.from_code} → {entry.to_name or entry.to_code}"
        print(f"  {entry.pair}  {entry.version:<7} {names}{mark}")
    return 0


def _models_install(args: argparse.Namespace) -> int:
    from tools.engines.argos import index
    from tools.engines.argos.install import install

    if args.target is None and not (args.version or _models_lone_language(args.what)):
        package = install(Path(args.what))
        print(f"installed {package.from_code}→{package.to_code} {package.package_path.name} {package.package_version}")
        return 0
    if args.target is None:
        raise PressError("press", None, "one language given", "name both: press models install FROM TO, such as en uk")
    source, target = _models_language_codes(args.what, args.target)
    entry = index.find(_models_index(), source, target, args.version)
    installed = index.installed_versions(source, target)
    if installed and installed[-1].package_version == entry.version:
        print(f"{entry.pair} {entry.version} is installed already: {installed[-1].package_path}")
        return 0
    _models_install_entry(entry)
    return 0


def _models_update(args: argparse.Namespace) -> int:
    from tools.engines.argos import index
    from tools.engines.argos.packages import installed_packages, packages_dir

    packages = installed_packages()
    if not packages:
        print(f"{packages_dir()}: no model installed, nothing to update")
        return 0
    available = _models_index()
    for source, target in sorted({(p.from_code, p.to_code) for p in packages}):
        current = index.installed_versions(source, target)[-1].package_version
        newest = [e for e in available.entries if (e.from_code, e.to_code) == (source, target)]
        if not newest:
            print(f"{source}→{target} {current}: not in the index, kept")
        elif index.version_key(newest[-1].version) <= index.version_key(current):
            print(f"{source}→{target} {current}: the newest")
        else:
            _models_install_entry(newest[-1], f" (was {current})")
    return 0


def _models_remove(args: argparse.Namespace) -> int:
    from tools.engines.argos import index
    from tools.engines.argos.packages import packages_dir

    source, target = _models_language_codes(args.source, args.target)
    removed = index.remove_pair(source, target)
    if not removed:
        raise PressError(
            packages_dir(), None, f"no model for {source}→{target} is installed", "press models list shows them"
        )
    for path in removed:
        print(f"removed {source}→{target} {path.name}")
    return 0


def _models_index() -> index.Index:
    """The Argos index, its skipped entries printed as warnings."""
    from tools.engines.argos import index

    available = index.load_index()
    for skipped in available.skipped:
        print(f"warning: {available.url}: skipped {skipped}", file=sys.stderr)
    return available


def _models_install_entry(entry: index.IndexEntry, note: str = "") -> None:
    from tools.engines.argos import index

    package, digest = index.install_entry(entry, index.progress_bar(entry.file_name))
    name = package.package_path.name
    print(f"installed {entry.pair} {name} {package.package_version}{note}; sha256 {digest}")


def _models_language_codes(*codes: str) -> tuple[str, ...]:
    from tools.engines.argos.packages import LANGUAGE_CODE

    for code in codes:
        if not LANGUAGE_CODE.fullmatch(code):
            raise PressError("press", None, f"{shown(code)} is not a language code", "use codes like en and uk")
    return codes


def _models_lone_language(name: str) -> bool:
    """A lone language code (``press models install uk``) rather than a file name."""
    from tools.engines.argos.packages import LANGUAGE_CODE

    return bool(LANGUAGE_CODE.fullmatch(name)) and not Path(name).exists()


def _models_list(args: argparse.Namespace) -> int:
    from tools.engines.argos.packages import packages_dir, scan_packages

    packages, broken = scan_packages(load=True)
    print(f"{packages_dir()}: {len(packages)} model(s)" + (f", {len(broken)} broken" if broken else ""))
    for package in packages:
        print(f"  {package.from_code}→{package.to_code}  {package.package_path.name}  {package.package_version}")
    for package in broken:
        print(f"  broken  {package.path.name}: {with_fix(package.reason, package.fix)}")
    return 0


def _ebooks(args: argparse.Namespace) -> int:
    from tools import ace
    from tools.publish.bookjobs import rewrite_books
    from tools.publish.pandoc import epubcheck

    root = args.root
    epoch = source_date_epoch(root)
    layout = Layout(root)
    books = rewrite_books(root, epoch)
    for path in books:
        print(f"{path}  ({path.stat().st_size // 1024} KiB)")
    written = [book for book in books if book.suffix == ".epub"]
    if not written:
        raise PressError(layout.docs, None, "no edition pages", "run press build first")
    if args.check:
        problems = epubcheck(written)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"epubcheck: {len(written)} file(s), {len(problems)} error(s) and warning(s)")
        violations = ace.check(written, layout.ace_record)
        for violation in violations:
            print(violation, file=sys.stderr)
        print(f"DAISY Ace: {len(written)} file(s), {summary(violations, 'violation')}")
        return 1 if problems or violations else 0
    return 0


def _check(args: argparse.Namespace) -> int:
    from tools.build import load_articles, load_glossary
    from tools.config import load_config
    from tools.qa import check_edition, missing_dictionary, read_words
    from tools.translate import units_of

    config = load_config(args.root)
    layout = Layout(args.root)
    articles = load_articles(layout)
    base = load_glossary(args.root, config.languages, [], config.source_language)
    write = not args.no_write
    findings = []
    for lang in config.languages:
        findings += filter(None, [missing_dictionary(lang)])
        words = read_words(layout.words(lang))
        for article in articles:
            memory = layout.memory(lang, article.id)
            if memory.is_file():
                findings += check_edition(units_of(article), memory, lang, base, config.source_language, write, words)
            else:
                print(f"{lang}: {article.id}: no translation memory (edition not built)")
        if layout.glossary_memory(lang).is_file():
            glossary = layout.glossary_memory(lang)
            findings += check_edition(None, glossary, lang, base, config.source_language, write, words)
    for finding in findings:
        print(finding)
    print(summary(findings))
    return exit_status(findings, args.strict)


def _glossary_check(args: argparse.Namespace) -> int:
    from tools.config import load_config
    from tools.glossary.definitions import load_definitions
    from tools.glossary.report import glossary_report
    from tools.glossary.termbase import check_languages, load_termbase
    from tools.ingest import load_seeds

    config = load_config(args.root)
    base, problems = load_termbase(Layout(args.root).terms, config.source_language)
    problems += check_languages(base, config.languages)
    # a planned language's gaps are warnings: they stop no build, yet the term base is ready when it is built
    problems += [dataclasses.replace(p, severity=WARNING) for p in check_languages(base, config.planned)]
    problems += load_definitions(Layout(args.root).definitions, base, (*config.languages, *config.planned))[1]
    report = glossary_report(base, load_seeds(Layout(args.root).seeds), config.source_language)
    problems += report.problems
    print(f"{base.path}: {len(base.terms)} terms, {len(base.left_out)} phrases left out on purpose")
    for line in report.lines:
        print(line)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(tally(problems))
    return exit_status(problems, args.strict)


def _glossary_show(args: argparse.Namespace) -> int:
    from tools.config import load_config
    from tools.glossary.report import describe_term, find_term
    from tools.glossary.termbase import load_termbase

    base, _ = load_termbase(Layout(args.root).terms)
    term = find_term(base, args.term)
    if term is None:
        raise PressError(base.path, None, f"no term '{args.term}'", "press glossary check lists the terms")
    print(describe_term(term, load_config(args.root).source_language))
    return 0


def _repair(args: argparse.Namespace) -> int:
    from tools.ingest import read_seed, repair_text

    try:
        raw = args.source.read_bytes()
    except OSError as exc:
        raise PressError(args.source, None, f"cannot read: {exc.strerror}", "check the path") from None
    if args.target.resolve() == args.source.resolve():
        raise PressError(args.target, None, "refusing to overwrite the source", "name another target file")
    text = repair_text(raw)
    write_atomic(args.target, text)
    read_seed(args.target)  # the repaired copy must now be a valid seed
    print(f"{args.target}: written, a valid seed")
    return 0


def _add_memory_commands(commands: argparse._SubParsersAction) -> None:
    """``press memory export|import`` (XLIFF for CAT tools) and ``press review``."""
    memory = commands.add_parser("memory", help="exchange translation memories with CAT tools (XLIFF 1.2)")
    actions = memory.add_subparsers(title="memory commands", metavar="COMMAND", required=True)
    cmd = actions.add_parser("export", help="write a language's memories (or one article's) as XLIFF 1.2")
    cmd.add_argument("lang")
    cmd.add_argument("article", nargs="?", help="article id (default: every memory of the language)")
    cmd.add_argument("--xliff", type=Path, required=True, metavar="OUT.xlf", help="the XLIFF file to write")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_memory_export)
    cmd = actions.add_parser("import", help="write a CAT tool's XLIFF back into the memories it came from")
    cmd.add_argument("file", type=Path, metavar="IN.xlf")
    cmd.add_argument("--by", help="the reviewer of segments marked final (default: the memory's Last-Translator)")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_memory_import)

    cmd = commands.add_parser("review", help="compare post-edits with the engine's output; mark entries reviewed")
    cmd.add_argument("lang")
    cmd.add_argument("article", nargs="?", help="article id (default: every memory of the language)")
    cmd.add_argument("--all", action="store_true", help="list every entry, not only those a person changed")
    cmd.add_argument("--accept", type=int, nargs="+", metavar="N", help="mark entries N reviewed (needs ARTICLE)")
    cmd.add_argument("--by", help="the reviewer (default: the memory's Last-Translator)")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_review)


def _memories_of(root: Path, lang: str, article: str | None) -> list[Path]:
    """The memory of one article, or every memory of a language; an error names what is missing."""
    for name in filter(None, (lang, article)):
        if not name.replace("-", "").replace("_", "").isalnum() or not name.isascii():
            raise PressError(None, None, f"{shown(name)} is not a language or article id", "press build lists the ids")
    layout = Layout(root)
    paths = [layout.memory(lang, article)] if article else sorted(layout.memories(lang).glob("*.po"))
    missing = [path for path in paths if not path.is_file()]
    if missing or not paths:
        where = missing[0] if missing else layout.memories(lang)
        raise PressError(where, None, f"no translation memory for {lang}", "check the language and article id")
    return paths


def _memory_export(args: argparse.Namespace) -> int:
    from tools.config import load_config
    from tools.memory.entries import Memory
    from tools.xliff import export_xliff

    memories = [Memory.load(path, args.lang, "") for path in _memories_of(args.root, args.lang, args.article)]
    source = load_config(args.root).source_language
    write_atomic(args.xliff, export_xliff(memories, args.root, source))
    units = sum(len(memory.entries()) for memory in memories)
    fuzzy = sum(memory.counts()[0] for memory in memories)
    print(f"{args.xliff}: {units} segment(s) from {len(memories)} memory file(s), {fuzzy} need review")
    return 0


def _memory_import(args: argparse.Namespace) -> int:
    from tools.xliff import import_xliff

    for done in import_xliff(args.file, args.root, args.by):
        blank = f", {done.blank} empty target(s) left as they were" if done.blank else ""
        print(
            f"{done.path}: {done.reviewed} reviewed, {done.edited} edited (still to review), {done.unchanged} unchanged"
            + blank
        )
        if done.backup is not None:
            print(
                f"{done.path}: {done.replaced} reviewed translation(s) replaced; the memory as it was is in {done.backup}"
            )
    return 0


def _review(args: argparse.Namespace) -> int:
    from tools.memory.entries import Memory
    from tools.memory.files import locked

    paths = _memories_of(args.root, args.lang, args.article)
    if args.accept:
        if not args.article:
            raise PressError(None, None, "--accept needs an article id", f"press review {args.lang} ARTICLE --accept N")
        with locked(paths[0]):
            memory = Memory.load(paths[0], args.lang, "")
            by = args.by or memory.last_translator()
            if not by:
                raise PressError(paths[0], None, "who reviewed it?", "pass --by 'Name <email>'")
            for number in args.accept:
                row = memory.accept(number, by)
                print(f"{paths[0]}: entry {row.number} reviewed by {row.reviewer}: {row.translation}")
            memory.save()
        return 0
    for path in paths:
        _print_review(Memory.load(path, args.lang, ""), args.all)
    return 0


def _print_review(memory: Memory, everything: bool) -> None:
    """Per entry a person changed (or every entry): the engine's output beside the post-edit."""
    rows = memory.entries()
    machine, reviewed = memory.counts()
    names = ", ".join(memory.reviewers())
    print(
        f"{memory.path}: {len(rows)} entries, {reviewed} reviewed"
        + (f" ({names})" if names else "")
        + f", {machine} to review"
    )
    for row in rows:
        if not (everything or row.edited):
            continue
        state = "to review" if row.fuzzy else f"reviewed by {row.reviewer or 'unknown'}"
        print(f"  {row.number:>3}  {state}")
        print(f"       source:    {row.source}")
        if row.previous is not None:
            print(f"       previous:  {row.previous}")
        machine_text = row.machine if row.machine is not None else "(not kept: translated before press kept it)"
        print(f"       machine:   {machine_text}")
        if row.machine != row.translation:
            print(f"       post-edit: {row.translation}")
