.PHONY: setup demo test build sample dagster dashboards

setup:      ## create .venv with the locked dependencies
	bash scripts/setup.sh

demo:       ## set up, write the sample landing folder, build, start the dashboards
	bash scripts/demo.sh

test:       ## run the whole test suite
	bash scripts/test.sh

build:      ## ingest, check, transform and publish (IPWH_LANDING_DIR -> IPWH_WAREHOUSE)
	.venv/bin/ipwh build

dagster:    ## the Dagster UI with the same asset graph
	export DAGSTER_HOME=$${DAGSTER_HOME:-$$PWD/data/dagster_home}; \
	.venv/bin/python -m orchestration.dagster_home >/dev/null && DAGSTER_DISABLE_TELEMETRY=1 .venv/bin/dagster dev -m orchestration.definitions

dashboards: ## the dashboards on the published warehouse
	.venv/bin/streamlit run dashboards/app.py --browser.gatherUsageStats false --client.toolbarMode viewer
