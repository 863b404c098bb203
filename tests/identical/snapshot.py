"""Prove that a change of the code changes no output: build the same project with two checkouts, compare.

    python tests/identical/snapshot.py build [--checkout DIR] [--keep DIR] OUT.json
    python tests/identical/snapshot.py compare [--code-changed] BEFORE.json AFTER.json

``build`` copies the checkout's inputs (seeds, term base, memories, published slugs, settings) into a
fresh folder, adds the two articles beside this script (one with a hostile title), and builds, as
``make`` does, with ``SOURCE_DATE_EPOCH`` fixed: ``press build`` (en; es by Apertium; uk by a copying Argos
model made for the occasion) then ``press site``. It runs the checkout's own code (``python -m tools``
with the checkout first on the path), so the script of today can build yesterday's tree:

    git worktree add /tmp/before <commit>
    python tests/identical/snapshot.py build --checkout /tmp/before before.json
    python tests/identical/snapshot.py build after.json
    python tests/identical/snapshot.py compare before.json after.json

OUT.json maps every file under docs/, dist/, site/ and translations/ to its sha256. ``compare`` prints
each file that differs, is missing or is new, and exits 1 if any does. With ``--code-changed`` it
tolerates one kind of difference, and says so: ``dist/.inputs.<lang>.json``, the books' keys, which
hash the source files of the code that writes books, so that a change of that code remakes every
book. They must differ when that code moved or changed, and only they may.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
INPUTS = ("seeds", "glossary", "translations", "overrides", "docs")
FILES = ("mkdocs.yml", "published.yml")
OUTPUTS = ("docs", "dist", "site", "translations")
CODE_KEYS = re.compile(r"dist/\.inputs\.[a-z]{2,3}\.json")
EDITIONS = "source_language: en\nlanguages: [es, uk]\nengines:\n  es: [apertium]\n  uk: [argos]\n"


def copy_inputs(checkout: Path, project: Path) -> None:
    """The checkout's committed inputs, the articles beside this script, editions en, es and uk."""
    tracked = (
        subprocess.run(
            ["git", "-C", str(checkout), "ls-files", "-z", "--", *INPUTS, *FILES], capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(checkout / name, project / name)
    for seed in sorted(HERE.glob("*.txt")):
        shutil.copy(seed, project / "seeds" / seed.name)
    (project / "editions.yml").write_text(EDITIONS, encoding="utf-8")


def run(checkout: Path, project: Path, env: dict[str, str], *args: str) -> None:
    """``press ARGS`` from ``checkout``'s code, in ``project``; stops the script with press's own words."""
    done = subprocess.run(
        [sys.executable, "-m", "tools", *args], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"press {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def copying_model(checkout: Path, project: Path, target: Path, env: dict[str, str]) -> None:
    """A copying en→uk Argos model trained on every seed's text, written by the checkout's modelkit."""
    script = (
        "import sys; from pathlib import Path; from tools.modelkit import build_argosmodel\n"
        "text = '\\n'.join(p.read_text(encoding='utf-8') for p in sorted(Path('seeds').glob('*.txt')))\n"
        "build_argosmodel(Path(sys.argv[1]), text, 'en', 'uk')\n"
    )
    subprocess.run([sys.executable, "-c", script, str(target)], cwd=project, env=env, check=True)


def manifest(project: Path) -> dict[str, str]:
    """Every output file's sha256, by its path in the project."""
    files = {}
    for folder in OUTPUTS:
        for path in sorted((project / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(project).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def build(checkout: Path, out: Path, keep: Path | None) -> None:
    """Build the project with ``checkout``'s code and write its manifest to ``out``."""
    with tempfile.TemporaryDirectory(prefix="snapshot-") as scratch:
        project = keep or Path(scratch) / "project"
        if project.exists():
            shutil.rmtree(project)
        project.mkdir(parents=True)
        copy_inputs(checkout, project)
        env = dict(os.environ, PYTHONPATH=str(checkout), SOURCE_DATE_EPOCH=EPOCH)
        env["ARGOS_PACKAGES_DIR"] = str(Path(scratch) / "argos")
        env.pop("PRESS_LOCK_WAIT", None)
        model = Path(scratch) / "en_uk.argosmodel"
        copying_model(checkout, project, model, env)
        run(checkout, project, env, "models", "install", str(model))
        run(checkout, project, env, "build")
        run(checkout, project, env, "site")
        files = manifest(project)
    out.write_text(json.dumps(files, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(files)} files built by {checkout}")


def compare(before: Path, after: Path, code_changed: bool = False) -> int:
    """Print what differs between two manifests; 0 when they are the same (but for the book keys, if allowed)."""
    old, new = (json.loads(path.read_text(encoding="utf-8")) for path in (before, after))
    changed = sorted(name for name in old.keys() & new.keys() if old[name] != new[name])
    keys = [name for name in changed if code_changed and CODE_KEYS.fullmatch(name)]
    changed = [name for name in changed if name not in keys]
    if keys:
        print(f"book keys (they hash the book writer's code, which changed): {len(keys)} differ, as they must")
    lines = [f"differs: {n}" for n in changed]
    lines += [f"missing: {n}" for n in sorted(old.keys() - new.keys())]
    lines += [f"new:     {n}" for n in sorted(new.keys() - old.keys())]
    print("\n".join(lines) if lines else f"identical: {len(old) - len(keys)} files")
    return 1 if lines else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="build with a checkout's code, write the manifest")
    make.add_argument("out", type=Path)
    make.add_argument("--checkout", type=Path, default=ROOT, help="the code to build with (default: this one)")
    make.add_argument("--keep", type=Path, help="build in this folder and keep it")
    same = commands.add_parser("compare", help="compare two manifests")
    same.add_argument("--code-changed", action="store_true", help="the book writer's code changed: its keys may differ")
    same.add_argument("before", type=Path)
    same.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        return compare(args.before, args.after, args.code_changed)
    build(args.checkout.resolve(), args.out.resolve(), args.keep.resolve() if args.keep else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
