# Marquee: the README's commands. `make run` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: install run test check format bench migrate demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP) ## the virtual environment, with the app and its test tools

migrate: install ## bring the database schema up to date
	$(FLASK) db upgrade

demo: migrate ## load the demo film when the database has none
	$(FLASK) films import --demo --if-empty

run: demo ## serve under gunicorn on $$BIND (default 127.0.0.1:8000)
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: install ## the whole suite, browser and load tests included
	bash tests/setup-system.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install ## lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
