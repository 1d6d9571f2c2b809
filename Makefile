# shmfix — build, test and run. Every target installs what it needs (libyaml-dev) first.
SWIFT ?= swift
PREFIX ?= /usr/local
PLUGIN_HOME ?= $(HOME)/.config/kustomize/plugin
BIN_DEBUG := .build/debug/shmfix
BIN_RELEASE := .build/release/shmfix

.PHONY: deps build release test lint example install kustomize-plugin bench fuzz clean

# libyaml is a system library: install the Debian package when pkg-config cannot find it.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists yaml-0.1; then \
		echo "installing libyaml-dev and pkg-config"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libyaml-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	SHMFIX_BIN=$(CURDIR)/$(BIN_DEBUG) $(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --recursive --strict Sources Tests Package.swift

example: build
	$(BIN_DEBUG) --shm-size=2gb Examples/

install: release
	install -d $(PREFIX)/bin
	install -m 755 $(BIN_RELEASE) $(PREFIX)/bin/shmfix
	ln -sf shmfix $(PREFIX)/bin/kubectl-shmfix

clean:
	rm -rf .build

# The benchmark of bench/README.md: shmfix against a libyaml event loop and kubectl kustomize.
bench: release
	bash bench/run.sh
