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

## Run every test: fetch the real test models (once; checked by SHA-256), the workspace's tests
## (unit, integration, end to end, the SDK conformance suite), the Python and Node SDKs' own
## tests, then schemathesis against a live bkgd and the official `openai` Python client
## against its OpenAI-compatible routes.
test:
	scripts/fetch-test-models
	$(CARGO) build --workspace
	$(CARGO) test --workspace
	scripts/test-sdks
	scripts/schemathesis
	scripts/openai-check

## Regenerate what is generated and committed: the OpenAPI document (docs/openapi.json) and
## bkgctl's shell completions (completions/) and man pages (man/). Tests fail while stale.
generate:
	$(CARGO) run -q -p bkgd -- openapi > docs/openapi.json
	BKG_UPDATE_GENERATED=1 $(CARGO) test -p bkgctl --test it -- generated::completions_and_man_pages_are_fresh

## Formatting and clippy, as CI checks them.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The benchmarks, in release mode, with their anchors.
bench:
	$(CARGO) build --release --workspace
	$(CARGO) run --release -p bkg-bench -- supervisor
	$(CARGO) run --release -p bkg-bench -- cli
	$(CARGO) run --release -p bkg-bench -- models
	$(CARGO) run --release -p bkg-bench -- brainml
	$(CARGO) run --release -p bkg-bench -- sdks

build:
	$(CARGO) build --workspace
