# Two commands: `make demo` and `make test`. Each creates .venv when missing and installs the project.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := .demo

.PHONY: demo test lint schemas clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	@rm -rf $(DEMO) && mkdir -p $(DEMO) && cp -r examples/criteo-retargeting $(DEMO)/
	$(BIN)/reconciler validate $(DEMO)/criteo-retargeting
	$(BIN)/reconciler plan $(DEMO)/criteo-retargeting
	$(BIN)/reconciler apply $(DEMO)/criteo-retargeting --auto-approve
	$(BIN)/reconciler plan $(DEMO)/criteo-retargeting --detailed-exitcode

lint: $(STAMP)
	$(BIN)/ruff check reconciler tests bench
	$(BIN)/ruff format --check reconciler tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

schemas: $(STAMP)
	$(BIN)/reconciler schema export --out schemas

clean:
	rm -rf $(VENV) $(DEMO)
