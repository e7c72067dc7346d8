# Township Desk — `make run` opens the program, `make test` runs the whole suite.
# Both set up everything first: Debian libraries Qt needs (when root), .venv, the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint bench screenshots package system-deps clean

run: $(STAMP) system-deps
	$(BIN)/township-desk

test: $(STAMP)
	@sh .ci/system-deps test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

# The fast tier for the edit-test loop: everything but the tests marked slow.
check: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" -x

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench

screenshots: $(STAMP) system-deps
	$(BIN)/python docs/screenshots/make.py

package: $(STAMP) system-deps
	sh build_spec/package.sh

system-deps:
	@sh .ci/system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info
