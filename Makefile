# The task runner. `make run` and `make test` are the README's two commands.
.PHONY: run test test-quick lint format messages bench

run:            ## set everything up and run DutyDesk (web + worker + beat) on SQLite
	scripts/run.sh

test:           ## linters + the whole suite on real PostgreSQL and Redis
	scripts/test.sh

test-quick:     ## the suite on SQLite in memory (not what CI runs)
	QUICK=1 scripts/test.sh -m "not browser"

lint:           ## ruff, django-upgrade and mypy (against mypy-baseline.txt), as CI runs them
	scripts/lint.sh

format:         ## ruff's fixes and formatting, django-upgrade's rewrites
	scripts/lint.sh --fix

messages:       ## refresh the zh_Hans and en catalogues of the project and of every app
	scripts/messages.sh
