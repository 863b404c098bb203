# press — build everything with `make`, test with `make test` (see README.md).
# Both create .venv and install what they need; as root they also install the
# Debian packages below (a non-root user installs those with sudo apt-get).

PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian packages the build or the tests need: Apertium, the offline engine for es and ca;
# Java (with its compiler, for tools/publish/EpubcheckAll.java) for epubcheck; poppler-utils (pdffonts, pdftoppm) to check the PDFs; Chromium for the
# browser tests (Playwright drives it; its own browser download cannot work offline); gettext (msgfmt -c)
# to prove the translation memories are what gettext reads; hunspell dictionaries of the edition languages,
# which the QA reads (through spylls) to find glued words.
DEBIAN_PACKAGES := apertium apertium-eng-spa apertium-eng-cat openjdk-17-jdk-headless poppler-utils chromium gettext \
  hunspell-es hunspell-de-de hunspell-fr hunspell-pl hunspell-uk hunspell-ru hunspell-ca nodejs

.PHONY: all editions site ebooks serve test test-quick lint check bench deps system-deps clean

all: site

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

deps: system-deps $(STAMP)

# LibreTranslate's own venv (libretranslate 1.9.6 pins numpy<2, so not .venv): the engine tests and
# make bench start real servers from it. Made from its lock with --no-deps, like .venv.
LT_VENV  := .venv-libretranslate
LT_LOCK  := tools/libretranslate.lock
LT_STAMP := $(LT_VENV)/.installed

.PHONY: libretranslate-deps
libretranslate-deps: $(LT_STAMP)

$(LT_STAMP): $(LT_LOCK)
	rm -rf $(LT_VENV)
	$(PYTHON) -m venv $(LT_VENV)
	$(LT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r $(LT_LOCK)
	touch $@

# The accessibility checkers (axe-core for pages, DAISY Ace for EPUBs) from package-lock.json, with Node
# from Debian. No install script runs and nothing else is downloaded: Ace drives Debian's Chromium.
NODE_STAMP := node_modules/.installed
.PHONY: node-deps
node-deps: system-deps $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --quiet
	touch $@

# One dpkg-query for all of them (a dpkg -s each took a third of a second of every no-op make); a package is
# there when dpkg says "installed", not only known (removed with its configuration kept is missing).
system-deps:
ifneq ($(strip $(DEBIAN_PACKAGES)),)
	@installed=" $$(dpkg-query -W -f='$${db:Status-Status} $${Package}\n' $(DEBIAN_PACKAGES) 2>/dev/null \
	  | awk '$$1 == "installed" { printf "%s ", $$2 }')"; \
	missing=$$(for p in $(DEBIAN_PACKAGES); do case "$$installed" in *" $$p "*) ;; *) echo $$p;; esac; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "error: missing Debian packages:" $$missing "; fix: sudo apt-get install" $$missing >&2; exit 1; \
	  fi; \
	fi
endif

# seeds/*.txt → translations/, docs/<lang>/, dist/, published.yml: staged, published only when every
# stage succeeded (only changed files are rewritten)
editions: deps
	$(BIN)/press build

# mkdocs into .press/site, redirects for old slugs, the content security policy, then swapped into site/;
# rebuilt only when a page, a download, the configuration, the overrides, the seeds or the published slugs
# changed since the last build (press site checks; --force builds anyway)
site: editions
	$(BIN)/press site

# every built edition as EPUB and PDF (press build makes them), the EPUBs checked by epubcheck and DAISY Ace
ebooks: editions node-deps
	$(BIN)/press ebooks --check

# live preview on http://127.0.0.1:8000: a change to a seed, the term base, a memory, editions.yml or
# mkdocs.yml runs press build (a hook in tools/mkdocs_hooks.py watches them) before the site is rebuilt: one
# change, one rebuild. A build that fails (a seed error) says so in one line and the preview keeps the
# pages it had, at the start too when an earlier build left them.
serve: deps
	$(BIN)/press build || test -f mkdocs.site.yml
	$(BIN)/mkdocs serve -f mkdocs.site.yml

# epubcheck and DAISY Ace (0 violations) on every EPUB, the site's links (mkdocs --strict), and the translations' QA.
# (press build --strict also fails on warnings and on editions no engine here can serve.)
# Every PDF must embed every font it uses (pdffonts' "emb" column, fifth from the end). pdffonts is quiet on
# Typst's PDFs; pdfinfo prints "Syntax Error: Suspects object is wrong type (boolean)" for each: poppler 22
# misreading a valid /Suspects false (README, Site and e-books; tests/test_pdf_markinfo.py).
# axe-core (node_modules, pinned) in Chromium over every page type of the site at 1280 and 390 px: no serious
# or critical violation, no request off the site's origin, no console error (tools/axe.py).
check: site node-deps
	$(BIN)/press ebooks --check
	@for pdf in dist/*.pdf; do \
	  pdffonts "$$pdf" | awk -v pdf="$$pdf" 'NR > 2 && $$(NF-4) != "yes" { print pdf ": font not embedded: " $$1; bad = 1 } END { exit bad }' || exit 1; \
	done; echo "pdffonts: every font of every PDF embedded"
	$(BIN)/press check --strict
	$(BIN)/python -m tools.axe site

# The whole suite on two workers, one per core of our machines (pytest-xdist; each test file on one worker, so its
# module fixtures are built once): TEST_WORKERS=1 runs it in one process.
TEST_WORKERS ?= 2
test: deps lint libretranslate-deps node-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The tests not marked slow (typography, configuration, memory, QA, engines through the fake engine):
# under a minute on 2 cores. CI runs make test, all of them.
test-quick: deps
	$(BIN)/python -m pytest -m "not slow"

# The whole suite in a shuffled order (pytest-randomly; rerun one order with RANDOM_SEED=N): every test passes
# whatever ran before it.
RANDOM_SEED ?= $(shell date +%s)
.PHONY: test-random
test-random: deps libretranslate-deps node-deps
	$(BIN)/python -m pytest -p randomly --randomly-seed=$(RANDOM_SEED)

lint: deps
	$(BIN)/ruff check tools tests
	$(BIN)/ruff format --check --quiet tools tests

# Our Argos path against argostranslate's, on a model of realistic size (a few minutes on 2 cores)
bench: deps libretranslate-deps
	$(BIN)/python -m tools.bench

clean:
	rm -rf site dist docs/*/ mkdocs.site.yml site.nginx.conf .press .pytest_cache

# The cost of a build as the corpus grows (N = 10, 100, 1000 generated articles, en and es through Apertium):
# full, no-op (press build, press site and make apart), one sentence (build, site, edit to live site), one glossary
# definition, wall and CPU seconds, the load, peak RSS and PSS, site size, cost per article. Long at 1000; a quick
# run: make bench-corpus BENCH_CORPUS="--sizes 10,100" (--keep DIR keeps the projects to profile; --site-only:
# press site alone)
BENCH_CORPUS ?=
.PHONY: bench-corpus
bench-corpus: deps
	$(BIN)/python -m tools.benchcorpus $(BENCH_CORPUS)
