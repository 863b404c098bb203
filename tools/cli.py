"""The ``press`` command (also ``python -m tools``): the only stage that talks to a person.

Every input error ends the command with one line, ``error: FILE:LINE:
what; fix: how``, and exit status 1; a usage error exits with 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from collections import Counter
from pathlib import Path

from tools import __version__
from tools.build import build, load_articles, load_glossary
from tools.config import load_config
from tools.ebook import article_pages, epubcheck, source_date_epoch, write_books
from tools.engines import argos
from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.glossary.report import describe_term, find_term, glossary_report
from tools.glossary.termbase import check_languages, load_termbase
from tools.ingest import check_header, load_seeds, new_seed_path, parse_seed, read_seed, repair_text, seed_text
from tools.layout import Layout
from tools.qa import check_edition
from tools.sitebuild import build_site
from tools.translate import units_of
from tools.typography import LANGUAGES, explain

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
  press ebooks --check               dist/<slug>.<lang>.epub and .pdf, EPUBs checked by epubcheck
  press glossary check --strict
  press glossary show "shadow fleet"
"""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return args.run(args)
    except PressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: the outputs are as before; translations made so far are kept in the memories",
            file=sys.stderr,
        )
        return 130


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
    cmd.set_defaults(run=_build)

    cmd = commands.add_parser(
        "site", help="build the site (mkdocs) beside site/, add redirects and the CSP, swap it in"
    )
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_site)

    cmd = commands.add_parser("typeset", help="clean the typography of a text or Markdown file")
    cmd.add_argument("file", help="input file, or - for standard input")
    cmd.add_argument("--lang", required=True, choices=LANGUAGES, help="language whose rules to apply")
    cmd.add_argument("-o", "--output", type=Path, help="write here (atomically) instead of standard output")
    cmd.add_argument("--explain", action="store_true", help="list each change (line, rule, before → after) on stderr")
    cmd.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    cmd.set_defaults(run=_typeset)

    cmd = commands.add_parser("new", help="start a new article: write a seed with a valid header into seeds/")
    cmd.add_argument("headline")
    cmd.add_argument("--date", help="publication date, YYYY-MM-DD (default: today)")
    cmd.add_argument("--by", help="the author's name, for the byline")
    cmd.add_argument("--text", type=Path, help="the article's text (paragraphs apart), or - for standard input")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.set_defaults(run=_new)

    cmd = commands.add_parser("ingest", help="parse seeds and show what the build will read")
    cmd.add_argument("files", nargs="*", type=Path, help="seed files (default: seeds/*.txt)")
    cmd.set_defaults(run=_ingest)

    models = commands.add_parser("models", help="install or list Argos Translate models").add_subparsers(
        title="models commands", metavar="COMMAND", required=True
    )
    cmd = models.add_parser("install", help="install an .argosmodel file (into $ARGOS_PACKAGES_DIR)")
    cmd.add_argument("file", type=Path)
    cmd.set_defaults(run=_models_install)
    cmd = models.add_parser("list", help="list the installed models")
    cmd.set_defaults(run=_models_list)

    cmd = commands.add_parser("ebooks", help="write an EPUB and a PDF of every built edition into dist/")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument("--check", action="store_true", help="run epubcheck on each; fail on any error or warning")
    cmd.set_defaults(run=_ebooks)

    cmd = commands.add_parser("check", help="check the translated editions' memories: numbers, terms, gaps")
    cmd.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    cmd.add_argument("--strict", action="store_true", help="fail on any finding")
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
    return parser


def _build(args: argparse.Namespace) -> int:
    result = build(args.root)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if not args.quiet:
        for article in result.articles:
            print(f"{article.id}  {article.date}  {len(article.paragraphs)} paragraphs  → {article.slug}")
        print(f"{len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed")
        print("editions:")
        for edition in result.editions:
            print(f"  {edition.describe()}")
    skipped = [e for e in result.editions if e.skipped]
    if args.strict and (result.warnings or skipped):
        print(
            f"error: {len(result.warnings)} warning(s), {len(skipped)} edition(s) skipped, and --strict",
            file=sys.stderr,
        )
        return 1
    return 0


def _site(args: argparse.Namespace) -> int:
    result = build_site(Layout(args.root))
    print(f"site/: {result.pages} pages, {len(result.redirects)} redirect(s); nginx headers: {result.nginx}")
    return 0


def _typeset(args: argparse.Namespace) -> int:
    text = _read_text(args.file)
    report = explain(text, args.lang)
    name = "<stdin>" if args.file == "-" else args.file
    if args.explain:
        for change in report.changes:
            print(change.describe(), file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {name}:{warning.line}: {warning.message}", file=sys.stderr)
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
    files = args.files or sorted(Layout(Path(".")).seeds.glob("*.txt"))
    if not files:
        raise PressError("seeds", None, "no seed (*.txt) found", "name seed files, or run in the project folder")
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


def _models_install(args: argparse.Namespace) -> int:
    package = argos.install(args.file)
    print(f"installed {package.from_code}→{package.to_code} {package.package_path.name} {package.package_version}")
    return 0


def _models_list(args: argparse.Namespace) -> int:
    packages, broken = argos.scan_packages(load=True)
    print(f"{argos.packages_dir()}: {len(packages)} model(s)" + (f", {len(broken)} broken" if broken else ""))
    for package in packages:
        print(f"  {package.from_code}→{package.to_code}  {package.package_path.name}  {package.package_version}")
    for package in broken:
        print(f"  broken  {package.path.name}: {package.reason}; fix: {package.fix}")
    return 0


def _ebooks(args: argparse.Namespace) -> int:
    root = args.root
    epoch = source_date_epoch(root)
    written = []
    layout = Layout(root)
    for lang, slug in article_pages(layout.docs):
        books = write_books(layout.docs, lang, slug, layout.dist, epoch)
        written += [book for book in books if book.suffix == ".epub"]
        for path in books:
            print(f"{path}  ({path.stat().st_size // 1024} KiB)")
    if not written:
        raise PressError(layout.docs, None, "no edition pages", "run press build first")
    if args.check:
        problems = epubcheck(written)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"epubcheck: {len(written)} file(s), {len(problems)} error(s) and warning(s)")
        return 1 if problems else 0
    return 0


def _check(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    articles = load_articles(Layout(args.root))
    base = load_glossary(args.root, config.languages, [])
    findings = []
    for lang in config.languages:
        for article in articles:
            memory = Layout(args.root).memory(lang, article.id)
            if memory.is_file():
                findings += check_edition(units_of(article), memory, lang, base, config.source_language)
            else:
                print(f"{lang}: {article.id}: no translation memory (edition not built)")
    for finding in findings:
        print(finding)
    kinds = Counter(f.kind for f in findings)
    print(
        f"{len(findings)} finding(s)"
        + (": " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) if kinds else "")
    )
    return 1 if args.strict and findings else 0


def _glossary_check(args: argparse.Namespace) -> int:
    config = load_config(args.root)
    base, problems = load_termbase(Layout(args.root).terms)
    problems += check_languages(base, config.languages)
    report = glossary_report(base, load_seeds(Layout(args.root).seeds), config.source_language)
    problems += report.problems
    print(f"{base.path}: {len(base.terms)} terms, {len(base.left_out)} phrases left out on purpose")
    for line in report.lines:
        print(line)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def _glossary_show(args: argparse.Namespace) -> int:
    base, _ = load_termbase(Layout(args.root).terms)
    term = find_term(base, args.term)
    if term is None:
        raise PressError(base.path, None, f"no term '{args.term}'", "press glossary check lists the terms")
    print(describe_term(term, load_config(args.root).source_language))
    return 0


def _repair(args: argparse.Namespace) -> int:
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
