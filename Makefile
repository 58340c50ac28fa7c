# rbacgraph — build, test, demo, bench.
# `make demo` and `make test` work on a fresh Debian machine: system packages are installed
# when missing.

SWIFT ?= swift
# Release binaries link the Swift runtime statically: self-contained, and a third less
# resident memory (measured: 9.5 MB instead of 13 MB at start-up).
RELEASE_FLAGS := -c release --static-swift-stdlib
# openssl: the live-cluster tests make a certificate authority for each run.
APT_PACKAGES := libyaml-dev zlib1g-dev libgraphviz-dev pkg-config openssl
BIN_RELEASE := .build/release/rbacgraph
SHARED ?= ../shared

# `make test` (CI) builds with warnings as errors. The CLI tests build the binary they run
# with the same flags (RBACGRAPH_SWIFT_BUILD_FLAGS), so that it is neither stale nor rebuilt.
WERROR_FLAGS := -Xswiftc -warnings-as-errors

.PHONY: all deps build release test demo bench conformance docs-images check-pictures builtin-policy clean

all: build

# Install the system libraries (libyaml, zlib, Graphviz's libgvc) when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product rbacgraph

# The whole test suite (unit, loader, conformance, corpus, CLI golden tests).
test: deps
	$(SWIFT) build $(WERROR_FLAGS)
	RBACGRAPH_SWIFT_BUILD_FLAGS="$(WERROR_FLAGS)" $(SWIFT) test $(WERROR_FLAGS)

# Build release and answer a first question on samples/.
demo: release
	@echo '$$ rbacgraph who-can get secrets -n prod -f samples/'
	@$(BIN_RELEASE) who-can get secrets -n prod -f samples/

# Every conformance suite through the release binary (needs ../shared).
conformance: release
	$(SHARED)/conformance/run-all.sh $(BIN_RELEASE)

# Benchmarks (generates synthetic dumps under bench-data/ on first run).
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product rbacgraph && $(SWIFT) build $(RELEASE_FLAGS) --product rbacgraph-bench
	.build/release/rbacgraph-bench --data bench-data --binary $(BIN_RELEASE)
	.build/release/rbacgraph-bench live --data bench-data --binary $(BIN_RELEASE)
	.build/release/rbacgraph-bench diff --data bench-data --binary $(BIN_RELEASE)

# The pictures of docs/rendering.md and the README, drawn from samples/ (SVG bytes depend on
# the Graphviz version: commit them only when a view changed).
docs-images: build
	B=$$($(SWIFT) build --show-bin-path) && set -e && \
	$$B/rbacgraph graph -f samples/ --output-file docs/images/access-samples.svg && \
	$$B/rbacgraph graph -f samples/ -n prod --output-file docs/images/access-namespace-prod.svg && \
	$$B/rbacgraph graph -f samples/ --subject sa:ci/runner --output-file docs/images/access-subject-sa-ci-runner.svg && \
	$$B/rbacgraph graph -f samples/ --max-nodes 25 -q --output-file docs/images/access-max-nodes-25.svg && \
	$$B/rbacgraph who-can get secrets -n prod -f samples/ -q -o svg --output-file docs/images/who-can-get-secrets-prod.svg && \
	$$B/rbacgraph paths --from sa:ci/runner -f samples/ -q -o svg --output-file docs/images/paths-sa-ci-runner.svg && \
	$$B/rbacgraph who-can read vault:secret/data/shared/db --effective -f examples/external/cluster.yaml \
	  --vault examples/external/vault --no-builtin-policy -q -o svg --output-file docs/images/who-can-read-vault-shared-db.svg && \
	$$B/rbacgraph paths --from user:bob --to vault:secret/data/shared/db -f examples/external/cluster.yaml \
	  --vault examples/external/vault --no-builtin-policy -q -o svg --output-file docs/images/paths-bob-vault-shared-db.svg && \
	$$B/rbacgraph secrets --external -f examples/external/cluster.yaml \
	  --vault examples/external/vault --no-builtin-policy -q -o svg --output-file docs/images/secrets-external.svg && \
	$$B/docs-images docs/images/paths-to-cluster-admin.svg

# The pictures as browsers show them (not part of `make test`): the docs and README SVGs, a
# privilege path and the HTML report of samples/ rendered in headless Chromium (installed when
# missing: Debian's `chromium`); every node and cluster label must lie inside its shape, and a
# screenshot of each page lands in .build/check-pictures/ to look at.
PICTURES_OUT := .build/check-pictures
check-pictures: deps
	@command -v chromium >/dev/null || { \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "installing: chromium"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	$(SWIFT) build $(WERROR_FLAGS)
	B=$$($(SWIFT) build --show-bin-path) && mkdir -p $(PICTURES_OUT) && \
	$$B/rbacgraph paths --from sa:ci/runner -f samples/ -q -o svg --output-file $(PICTURES_OUT)/path-sa-ci-runner.svg && \
	$$B/rbacgraph escalations -f samples/ -q -o svg --output-file $(PICTURES_OUT)/escalations.svg && \
	scripts/check-pictures.sh $$B/rbacgraph $(PICTURES_OUT) docs/images/*.svg $(PICTURES_OUT)/path-sa-ci-runner.svg $(PICTURES_OUT)/escalations.svg

# Regenerate the Swift embedding of the built-in policy data (BuiltinPolicy/*/*.yaml) after
# changing the data; a test checks that the embedding equals the files.
builtin-policy:
	scripts/embed-builtin-policy.sh BuiltinPolicy Sources/RBACLoading/BuiltinPolicy+Data.swift

# Fuzzing: every parser of untrusted input under libFuzzer with address sanitizer, one target
# after the other, FUZZ_SECONDS each (FUZZ_TARGETS to choose; FUZZ_RUNS=N to stop a target after
# N executions, FUZZ_MAX_LEN to cap input sizes), then a check that memory does not grow across
# inputs. Crashes land in Fuzz/crashes/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_RUNS ?= -1
FUZZ_MAX_LEN ?= 65536
FUZZ_BUILD := .build-fuzz
FUZZER_LIB = $(firstword $(wildcard $(dir $(realpath $(shell command -v swiftc)))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-$(shell uname -m).a))
fuzz: deps
	@test -n "$(FUZZER_LIB)" || { echo "libFuzzer (libclang_rt.fuzzer_no_main) not found next to swiftc"; exit 1; }
	$(SWIFT) build -c release --build-path $(FUZZ_BUILD) --product rbacgraph-fuzz \
	  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
	  -Xlinker -u -Xlinker LLVMFuzzerRunDriver -Xlinker $(FUZZER_LIB) -Xlinker -lstdc++
	SHARED=$(SHARED) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) Fuzz/fuzz.sh $(FUZZ_BUILD)/release/rbacgraph-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build
