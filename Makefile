# Marquee: the README's commands. `make run` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The auditors from npm (vnu.jar, Lighthouse), pinned by package-lock.json; Debian's Java runs vnu.
NODE_STAMP := node_modules/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: install run test test-postgres check format bench profile migrate demo clean audit

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[postgres,test,dev]'
	touch $(STAMP)

install: $(STAMP) ## the virtual environment, with the app and its test tools

migrate: install ## bring the database schema up to date
	$(FLASK) db upgrade

demo: migrate ## load the demo film when the database has none
	$(FLASK) films import --demo --if-empty

run: demo ## serve under gunicorn on $$BIND (default 127.0.0.1:8000)
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

test: install ## the whole suite, browser, audit and load tests included; SQLite unless TEST_DATABASE_URL
	bash tests/setup-system.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

audit: install ## Lighthouse on the home and film pages under gunicorn; the scores go into README.md
	bash tests/setup-system.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)
	$(BIN)/python tools/lighthouse.py --readme README.md

TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
test-postgres: ## the whole suite again, each test in a schema of its own in $$TEST_POSTGRES_URL
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(MAKE) test

bench: install ## Marquee against a minimal Flask app under the same gunicorn settings (wrk)
	bash bench/setup-system.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

profile: install ## instructions a request (cachegrind) and the top functions (cProfile): docs/profile.md
	$(BIN)/python bench/costs.py --output docs/profile.md $(PROFILE_ARGS)

check: install ## lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
