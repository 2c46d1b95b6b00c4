# Every target is one or two lines that call tools/. `make help` lists them.
PY      ?= .venv/bin/python
MIRROR  ?= $(abspath ../shared/data)
NB      ?=
CH      ?=
FORCE   ?=
JOBS    ?= 2
NBVAL   := _build/nbval
export D2L_DATA_MIRROR ?= $(MIRROR)

.DEFAULT_GOAL := help
.PHONY: help setup sync d2l execute record prepare test unit nbval check lint \
        html pdf book-deps book-test bench clean

help:  ## list every target
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup:  ## create .venv and install d2l with the dev tools (README step 1)
	python3 -m venv .venv && $(PY) -m pip install -q -e '.[dev]'

sync:  ## build each reader .ipynb from its .md and best fresh run record
	$(PY) tools/sync_notebooks.py $(NB)

d2l:  ## extract the #@save cells into d2l/torch.py
	$(PY) tools/build_d2l.py

# Quick-mode runs use one thread per notebook (two notebooks share the two
# cores, and small tensors run faster without thread hand-offs) and a fixed
# hash seed: tools/execute.py sets the same for the records nbval compares.
QUICK_ENV = D2L_QUICK=1 OMP_NUM_THREADS=1 PYTHONHASHSEED=0

execute:  ## quick-run the sections whose quick record is stale; NB=file.md for one, FORCE=1 to rerun
	$(PY) tools/execute.py --jobs $(JOBS) $(if $(FORCE),--force) $(NB)

record:  ## record full (book-mode) runs whose record is stale: NB=path.md or CH=chapter-slug
	$(if $(NB)$(CH),,$(error make record needs NB=path.md or CH=chapter-slug))
	$(PY) tools/execute.py --mode full $(if $(FORCE),--force) $(if $(CH),--chapter $(CH)) $(NB)

lint:  ## check conventions, and that quoted {result}s are in the full records
	$(PY) tools/lint_notebooks.py $(NB)

prepare: d2l execute sync lint  ## ready a change for review: extract, quick-run stale sections, sync, lint

# One process: each xdist worker pays the torch (and torch._dynamo) import
# again. On our 2 cores (926 tests) -n 2 costs 1.5x the CPU time (28-35 s
# against 19-23 s); with the cores nearly idle the wall times tie (median
# 22 s against 23 s), with them busy serial wins (55-70 s against 93-95 s).
unit:  ## unit tests of d2l and tools
	OMP_NUM_THREADS=1 $(PY) -m pytest -q tests

nbval:  ## quick-run every section; compare marked outputs and training metrics with its quick record
	$(PY) tools/runs.py --nbval $(NBVAL) $(NB)
	D2L_DATA_DIR=$(abspath _build/data) $(QUICK_ENV) $(PY) -m pytest -q -n $(JOBS) --dist loadfile --nbval-lax --nbval-current-env $(NBVAL)

check:  ## the CI checks: sync, extraction, conventions, fresh records, unit tests, nbval
	$(PY) tools/sync_notebooks.py --check && $(PY) tools/build_d2l.py --check
	$(PY) tools/lint_notebooks.py && $(PY) tools/execute.py --check
	$(MAKE) unit nbval

test: check  ## the README test command (same as check)

html:  ## build the HTML site into _build/html (EXECUTE=full|quick runs notebooks first)
	$(PY) tools/build_book.py html --execute '$(EXECUTE)'

pdf:  ## build the PDF book into _build/pdf
	$(PY) tools/build_book.py pdf

book-deps:  ## install the book build's Python and Debian (TeX, Chromium) packages
	$(PY) tools/build_book.py deps

book-test:  ## browser, link and PDF tests of the book (needs make book-deps)
	D2L_BOOK_TESTS=1 $(PY) -m pytest -q tests/book

bench:  ## run the benchmarks in bench/ against d2l==1.0.3 (summary: bench/RESULTS.md)
	$(PY) bench/run.py && $(PY) bench/bench_fashion_mnist.py && \
	$(PY) bench/bench_lenet.py --threads 1 && $(PY) bench/bench_resnet.py && \
	$(PY) bench/bench_gru_lm.py && $(PY) bench/bench_transformer.py && \
	$(PY) bench/bench_airfoil.py && $(PY) bench/bench_compile.py

clean:  ## remove build outputs and caches (not the data cache)
	rm -rf _build .pytest_cache
