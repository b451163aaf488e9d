# One entry point for what developers and CI run. `.ci/run` calls `make test`, the command the
# README gives, after the lints.

CARGO ?= cargo
# Store tests and daemon tests also run on PostgreSQL when this is set (CI sets it).
BKG_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export BKG_TEST_DATABASE_URL
# candle and the tests are much faster on one thread on a busy 2-core machine.
RAYON_NUM_THREADS ?= 1
export RAYON_NUM_THREADS

.PHONY: run test lint bench build generate

## Build everything and start bkgd on the embedded default (SQLite in your data dir).
run:
	$(CARGO) build --release --workspace
	$(CARGO) run --release -p bkgd --

## Run every test: the workspace's (unit, integration, end to end), then schemathesis against
## a live bkgd.
test:
	$(CARGO) build --workspace
	$(CARGO) test --workspace
	scripts/schemathesis

## Formatting and clippy, as CI checks them.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The benchmarks, in release mode, with their anchors.
bench:
	$(CARGO) build --release --workspace
	$(CARGO) run --release -p bkg-bench -- supervisor

build:
	$(CARGO) build --workspace

## Regenerate the committed artefacts (a test fails when they are stale).
generate:
	$(CARGO) run -q -p bkgd -- openapi > docs/openapi.json
