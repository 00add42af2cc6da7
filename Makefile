# The two commands of the project (see README.md).
.PHONY: run test setup

run:   ## set everything up and serve the addons with demo data on http://localhost:8069
	bash tools/run.sh

test:  ## run every test: linters, pure-Python tests, Odoo suites on a fresh database
	bash tools/test.sh

setup: ## only install the platform (PostgreSQL, Odoo source, virtualenv)
	bash tools/setup.sh
