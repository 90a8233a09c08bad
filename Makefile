# The two commands a new machine needs: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export WSO_DATABASE_URL ?= sqlite:///var/wso.sqlite3

.PHONY: run test test-fast venv clean docs bench lint lint-imports

$(BIN)/wso: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/wso

venv: $(BIN)/wso

run: venv
	mkdir -p var
	test -f var/signing.key || $(BIN)/wso ledger keygen var/signing.key
	$(BIN)/wso db upgrade
	$(BIN)/wso demo load
	$(BIN)/wso publicdata import --shipped
	# The deadline worker runs beside the web server; Ctrl-C (or the server's exit) stops both.
	$(BIN)/wso worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/wso serve --host $(HOST) --port $(PORT)

test: venv lint
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

# While working: everything but the Chromium and Spark tests (README, "Test suite time"). `make test` runs all.
test-fast: venv lint
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup -m "not browser and not spark" $(PYTEST_ARGS)

# Part of `make test`: ruff's lint rules (pyproject.toml [tool.ruff]) and its formatter, lines <= 120.
lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

lint-imports: venv
	$(BIN)/lint-imports .importlinter

docs: venv
	$(BIN)/wso rules --markdown > docs/rules.md

clean:
	rm -rf $(VENV) var/*.sqlite3 .pytest_cache
