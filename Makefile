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

.PHONY: all deps build release test demo bench conformance docs-images builtin-policy clean

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

# The pictures of docs/rendering.md and the README, drawn from samples/ (SVG bytes depend on
# the Graphviz version: commit them only when a view changed).
docs-images: build
	B=$$($(SWIFT) build --show-bin-path) && set -e && \
	$$B/rbacgraph graph -f samples/ --output docs/images/access-samples.svg && \
	$$B/rbacgraph graph -f samples/ -n prod --output docs/images/access-namespace-prod.svg && \
	$$B/rbacgraph graph -f samples/ --subject sa:ci/runner --output docs/images/access-subject-sa-ci-runner.svg && \
	$$B/rbacgraph graph -f samples/ --max-nodes 25 -q --output docs/images/access-max-nodes-25.svg && \
	$$B/rbacgraph who-can get secrets -n prod -f samples/ -q -o svg --output docs/images/who-can-get-secrets-prod.svg && \
	$$B/rbacgraph paths --from sa:ci/runner -f samples/ -q -o svg --output docs/images/paths-sa-ci-runner.svg && \
	$$B/docs-images docs/images/paths-to-cluster-admin.svg

# Regenerate the Swift embedding of the built-in policy data (BuiltinPolicy/*/*.yaml) after
# changing the data; a test checks that the embedding equals the files.
builtin-policy:
	scripts/embed-builtin-policy.sh BuiltinPolicy Sources/RBACLoading/BuiltinPolicy+Data.swift

clean:
	rm -rf .build
