# One entry point for what developers and CI run. `.ci/run` calls `make test`, the command the
# README gives, after the lints.

CARGO ?= cargo
# Store tests and daemon tests also run on PostgreSQL when this is set (CI sets it).
BKG_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export BKG_TEST_DATABASE_URL
# ...and must: a test whose PostgreSQL half cannot run fails instead of skipping it.
BKG_REQUIRE_POSTGRES ?= 1
export BKG_REQUIRE_POSTGRES
# candle and the tests are much faster on one thread on a busy 2-core machine.
RAYON_NUM_THREADS ?= 1
export RAYON_NUM_THREADS

# Where cargo puts release binaries (CARGO_TARGET_DIR moves it).
RELEASE_DIR := $(or $(CARGO_TARGET_DIR),target)/release
DEBUG_DIR := $(or $(CARGO_TARGET_DIR),target)/debug

.PHONY: run test lint bench build generate ui ui-test system-deps image image-test image-full image-full-test

UI := admin-ui
UI_BUILD := $(UI)/dist/admin-ui/browser/index.html
UI_SOURCES := $(shell find $(UI)/src $(UI)/public -type f 2>/dev/null) $(UI)/angular.json $(UI)/tsconfig.json $(UI)/tsconfig.app.json

## The C libraries rustyface links (Debian's dlib and OpenBLAS): installed with apt-get when
## missing and run as root; otherwise the command to run is printed.
## The container image's tools (buildah builds it, tini is its PID 1, debootstrap makes the -full
## image's Debian; podman and runc run it in the smoke test where the machine allows, which also
## uses jq, curl and ip): installed the same
## way as root; otherwise only named, since only `make image` and `make test` need them
## (packaging/container/build and smoke-test fail with the command to run).
SYSTEM_PACKAGES := libdlib-dev libopenblas-dev
IMAGE_PACKAGES := buildah tini debootstrap podman runc jq curl iproute2
system-deps:
	@if ! dpkg -s $(SYSTEM_PACKAGES) > /dev/null 2>&1 && [ ! -f /usr/include/dlib/dnn.h ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); \
		else \
			echo "rustyface needs dlib and OpenBLAS: sudo apt-get install $(SYSTEM_PACKAGES)" >&2; exit 1; \
		fi; \
	fi
	@if ! dpkg -s $(IMAGE_PACKAGES) > /dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(IMAGE_PACKAGES); \
		else \
			echo "note: the container image (make image, make test) needs: sudo apt-get install $(IMAGE_PACKAGES)" >&2; \
		fi; \
	fi

## Build everything (the web UI first: the release bkgd embeds it) and start bkgd on the
## embedded default (SQLite in your data dir); the web UI is at http://127.0.0.1:8420/.
## The daemon is started from the workspace build itself: `cargo run -p bkgd` would resolve
## bkgd's features on their own and build about 100 crates a second time.
run: system-deps ui
	$(CARGO) build --release --workspace
	exec "$(RELEASE_DIR)/bkgd"

## The web UI's dependencies, from the committed lockfile, when it changed.
$(UI)/node_modules/.package-lock.json: $(UI)/package-lock.json $(UI)/package.json
	npm --prefix $(UI) ci --no-audit --no-fund

## The web UI's production build (precompressed), when a source changed.
$(UI_BUILD): $(UI)/node_modules/.package-lock.json $(UI_SOURCES)
	npm --prefix $(UI) run build

ui: $(UI_BUILD)

## The web UI's lint, unit tests (Vitest), the stale check of its generated API types, and the
## end-to-end suite (Debian's Chromium against a real bkgd with real plugins).
ui-test: ui
	npm --prefix $(UI) run lint
	npm --prefix $(UI) test
	npm --prefix $(UI) run check
	npm --prefix $(UI) run e2e

## Run every test: fetch the real test models (once; checked by SHA-256), the workspace's tests
## (unit, integration, end to end, the SDK conformance suite), the short soak (crash cycles,
## WebSocket clients that never read, kill -9 during key creations and hot swaps), the Python
## and Node SDKs' own
## tests, the web UI's tests (lint, unit, generated types, end to end in Chromium), then
## schemathesis against a live bkgd and the official `openai` Python client
## against its OpenAI-compatible routes, and last the smoke tests of both container images.
## Right after the cargo tests, scripts/fuzz runs each fuzz target (fuzz/README.md) for 20 s.
test: system-deps
	scripts/fetch-test-models
	$(CARGO) build --workspace
	$(CARGO) test --workspace
	scripts/fuzz
	"$(DEBUG_DIR)/bkg-bench" soak --short
	scripts/test-sdks
	$(MAKE) ui-test
	scripts/schemathesis
	scripts/openai-check
	$(MAKE) image-test
	$(MAKE) image-full-test

## Regenerate what is generated and committed: the OpenAPI document (docs/openapi.json), the web
## UI's API types (admin-ui/src/app/core/api/schema.ts), bkgctl's and bkg-tui's shell completions
## (completions/) and man pages (man/). Tests fail while stale.
generate: $(UI)/node_modules/.package-lock.json
	$(CARGO) run -q -p bkgd -- openapi > docs/openapi.json
	npm --prefix $(UI) run generate:api
	BKG_UPDATE_GENERATED=1 $(CARGO) test -p bkgctl --test it -- generated::completions_and_man_pages_are_fresh
	BKG_UPDATE_GENERATED=1 $(CARGO) test -p bkg-tui --test it -- generated::completions_and_man_pages_are_fresh

## Formatting and clippy, as CI checks them, and the web UI's lint.
lint: $(UI)/node_modules/.package-lock.json
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm --prefix $(UI) run lint

## The benchmarks, in release mode, with their anchors (`wrk` from Debian drives the REST one;
## `bkg-bench peers` installs supervisord from PyPI and PM2 from npm into ~/.cache/bkg/peers).
bench: system-deps ui
	@command -v wrk > /dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || { echo "the REST benchmark needs wrk: sudo apt-get install wrk" >&2; exit 1; }
	$(CARGO) build --release --workspace
	"$(RELEASE_DIR)/bkg-bench" peers
	"$(RELEASE_DIR)/bkg-bench" supervisor
	"$(RELEASE_DIR)/bkg-bench" cli
	"$(RELEASE_DIR)/bkg-bench" models
	"$(RELEASE_DIR)/bkg-bench" brainml
	"$(RELEASE_DIR)/bkg-bench" faces
	"$(RELEASE_DIR)/bkg-bench" sdks
	"$(RELEASE_DIR)/bkg-bench" tui
	"$(RELEASE_DIR)/bkg-bench" ws
	"$(RELEASE_DIR)/bkg-bench" rest
	npm --prefix $(UI) run bench

build:
	$(CARGO) build --workspace

## The container image localhost/bkg:<version> (packaging/container/): the release build `make run`
## makes, assembled FROM scratch and built with buildah (vfs storage); prints its size.
image: system-deps ui
	$(CARGO) build --release --workspace
	packaging/container/build

## Builds the image and runs it (podman where it can, and always its root filesystem under
## unshare and chroot): /readyz, HEALTHCHECK, the first admin's login, the Rust plugins start, PID 1
## reaping an orphan, a clean stop on SIGTERM. Runs as root (chroot, namespaces).
image-test: system-deps ui
	$(CARGO) build --release --workspace
	packaging/container/smoke-test

## The -full image localhost/bkg:<version>-full: the same binaries on Debian bookworm (debootstrap,
## minbase) with Python, Node.js and git, so repoagent, apikeys and added Python or Node plugins run.
image-full: system-deps ui
	$(CARGO) build --release --workspace
	packaging/container/build --full

## Builds the -full image and runs the same smoke test, plus apikeys answering and repoagent's
## runtime installed from PyPI analysing a git repository in the container.
image-full-test: system-deps ui
	$(CARGO) build --release --workspace
	packaging/container/smoke-test --full
