# Mutasi — the two commands a newcomer needs: `make run` and `make test`.
# The first Python 3.11–3.13 found (override: make PY=/path/to/python3.12 …).
PY ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	$$p -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 14)' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKED := $(VENV)/.locked
# Every runtime and dev dependency, pinned with hashes: what `make run` and `make test` use.
LOCK := requirements.lock
UV_COMPILE := pip compile pyproject.toml requirements/tools.in --extra dev --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet

# Type-checked strictly by `make lint` (the kernel at least); add your package when it passes.
MYPY_STRICT := mutasi/domain mutasi/log mutasi/messaging mutasi/lookups.py

.PHONY: run doctor examples test test-fast test-dates test-faults test-cluster lint bench demo clean lock lock-upgrade

# Exactly the locked versions (pip checks every file's hash; what the lock no longer lists is
# removed), reinstalled whenever requirements.lock changes.
$(LOCKED): $(LOCK)
	@test -n "$(PY)" || { echo "Python 3.11–3.13 diperlukan / required (make PY=…)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m mutasi.doctor.lockfile prune $(LOCK)
	touch $(LOCKED)

# Then the project itself, without touching its dependencies; `pip check` fails if
# pyproject.toml asks for something the lock lacks (run `make lock`).
$(STAMP): $(LOCKED) pyproject.toml package-lock.json
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check || { echo "requirements.lock tidak sesuai pyproject.toml: \
	jalankan make lock / the lock does not match pyproject.toml: run make lock"; exit 1; }
	# Browser assets the services serve themselves (htmx, Swagger UI, axe-core): no CDN.
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
	test -x /usr/bin/chromium || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	touch $(STAMP)

## After adding or changing a dependency in pyproject.toml (or requirements/tools.in):
## `make lock` re-resolves, keeping every other pin; commit pyproject.toml and
## requirements.lock together. The next make target reinstalls the venv from the lock.
lock: $(LOCKED)
	cp $(LOCK) $(VENV)/lock.new
	$(BIN)/uv $(UV_COMPILE) -o $(VENV)/lock.new
	@cmp -s $(VENV)/lock.new $(LOCK) && echo "requirements.lock tidak berubah / unchanged" \
	|| mv $(VENV)/lock.new $(LOCK); rm -f $(VENV)/lock.new

## Move every pin to the newest release the bounds in pyproject.toml allow (then run make test).
lock-upgrade: $(LOCKED)
	$(BIN)/uv $(UV_COMPILE) --upgrade -o $(LOCK)

## Start the whole system on embedded servers (Ctrl-C stops everything). `mutasi doctor`
## checks the machine first and stops here on a problem, saying how to fix it.
run: $(STAMP)
	$(BIN)/python -m mutasi.doctor --before-run
	$(BIN)/mutasi run

## Rewrite examples/ (the README's import example) from the generator in mutasi/seed/exports.py.
examples: $(STAMP)
	$(BIN)/python -m mutasi.seed.exports examples

## Why would the set-up fail here? Python, venv, disk, data directory, ports, servers, Chromium.
doctor: $(STAMP)
	$(BIN)/python -m mutasi.doctor

## The whole suite against real PostgreSQL, NATS and Temporal started by the tests,
## the fault injection under load included (about 3 of its minutes).
test: $(STAMP) lint
	$(BIN)/pytest -q -m "not cluster"

## Everything but the fault injection (quicker, while developing).
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not faults and not cluster"

## Everything but the fault injection on three dates in turn, never today's (tests/conftest.py
## moves every process's clock), besides make test's own 2026-11-30: the year's end, the
## Friday before Nyepi and Idul Fitri (next working day 16 March), the day before 17 August.
## Not before 2026-11-15: the Jambi sample's newest assessment (../shared/data) is dated then.
TEST_DATES ?= 2026-12-31 2027-03-05 2027-08-16
test-dates: $(STAMP)
	for day in $(TEST_DATES); do \
	  echo "== MUTASI_TEST_TODAY=$$day"; \
	  MUTASI_TEST_TODAY=$$day $(BIN)/pytest -q -m "not faults and not cluster" || exit 1; \
	done

## Only the fault injection: SIGKILL of each process in turn under 200 transfers.
test-faults: $(STAMP)
	$(BIN)/pytest -q -m faults

## The clustered deployment on this machine (deploy/README.md): 3 NATS nodes (stream at R3),
## every component twice, 100 transfers while a node and one replica of each are killed.
test-cluster: $(STAMP)
	$(BIN)/pytest -q -s -m cluster tests/cluster

## Lint and type checks (fast; part of `make test`).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict $(MYPY_STRICT)

demo: $(STAMP)
	$(BIN)/mutasi demo

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf var
