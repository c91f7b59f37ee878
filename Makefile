# Tillit — the two set-up commands:
#   make demo   create .venv, install, and run the whole analysis on the bundled synthetic example
#   make test   create .venv, install, and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out
DB     ?= $(OUT)/demo.sqlite

.PHONY: demo test install perf clean

$(BIN)/tillit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(BIN)/tillit

demo: $(BIN)/tillit
	mkdir -p $(OUT)
	$(BIN)/tillit import-aggregate examples/jamforelsekommuner_syntetiska.csv --synthetic --db $(DB)
	$(BIN)/tillit analyse examples/lindbacka_2025_enkat.xlsx --municipality Lindbacka --year 2025 --synthetic \
		--dialogue examples/lindbacka_2025_dialog.csv --db $(DB) --out $(OUT)/lindbacka

test: $(BIN)/tillit
	$(BIN)/python -m pytest

perf: $(BIN)/tillit
	$(BIN)/python perf/run_all.py

clean:
	rm -rf $(OUT) .pytest_cache .hypothesis
