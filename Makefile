# shmfix — build, test and run. Every target installs what it needs (libyaml-dev) first.
SWIFT ?= swift
PREFIX ?= /usr/local
PLUGIN_HOME ?= $(HOME)/.config/kustomize/plugin
BIN_DEBUG := .build/debug/shmfix
BIN_RELEASE := .build/release/shmfix
WEBHOOK_DEBUG := .build/debug/shmfix-webhook

.PHONY: deps test-deps build release test lint example install kustomize-plugin bench fuzz fuzz-build fuzz-smoke clean

# libyaml is a system library: install the Debian package when pkg-config cannot find it.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists yaml-0.1; then \
		echo "installing libyaml-dev and pkg-config"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libyaml-dev pkg-config; \
	fi

# The webhook tests drive the real openssl and curl (kubectl is needed by the other
# integration tests too).
test-deps:
	@for tool in openssl curl; do \
		command -v $$tool >/dev/null 2>&1 || { echo "installing $$tool"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$tool; }; \
	done

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps test-deps
	$(SWIFT) build --build-tests
	SHMFIX_BIN=$(CURDIR)/$(BIN_DEBUG) SHMFIX_WEBHOOK_BIN=$(CURDIR)/$(WEBHOOK_DEBUG) $(SWIFT) test --skip-build
	$(MAKE) fuzz-smoke

lint:
	$(SWIFT) format lint --recursive --strict Sources Tests Package.swift

example: build
	$(BIN_DEBUG) --shm-size=2gb Examples/*.yaml

# `make install PREFIX=DIR`: DIR/bin/shmfix, and DIR/bin/kubectl-shmfix (a link to it) so that
# `kubectl shmfix ...` works with DIR/bin on PATH.
install: release
	install -d "$(PREFIX)/bin"
	install -m 755 "$(BIN_RELEASE)" "$(PREFIX)/bin/shmfix"
	ln -sf shmfix "$(PREFIX)/bin/kubectl-shmfix"

# `make kustomize-plugin PLUGIN_HOME=DIR`: the legacy exec transformer where kustomize looks for
# apiVersion shmfix.dev/v1alpha1, kind ShmFix (DIR/<group>/<version>/<lowercase kind>/<Kind>);
# shmfix runs as the transformer when its name is ShmFix. See docs/integrations.md.
kustomize-plugin: release
	install -d "$(PLUGIN_HOME)/shmfix.dev/v1alpha1/shmfix"
	install -m 755 "$(BIN_RELEASE)" "$(PLUGIN_HOME)/shmfix.dev/v1alpha1/shmfix/ShmFix"

# libFuzzer over the whole pipeline (Sources/ShmfixFuzz): a separate sanitizer build in
# .build-fuzz, seeded from the fixtures and both corpora; new inputs accumulate in
# .build-fuzz/corpus, crashes land in .build-fuzz/artifacts (make each one a
# Tests/Fixtures/hostile-* fixture). SwiftPM aliases `main` to the module's own entry point, so
# the target calls libFuzzer's driver itself (LLVMFuzzerRunDriver, declared with @_extern(c)).
FUZZ_SECONDS ?= 60
FUZZ_DIR := .build-fuzz
FUZZ_BIN := $(FUZZ_DIR)/release/ShmfixFuzz
FUZZ_FLAGS := -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSHMFIX_LIBFUZZER \
	-Xswiftc -enable-experimental-feature -Xswiftc Extern
FUZZ_SEEDS := Tests/Fixtures Tests/Corpus/real Tests/Corpus/yaml-test-suite

# (gold warns once per ASan helper symbol; the log keeps those out of sight unless the build fails)
fuzz-build: deps
	mkdir -p $(FUZZ_DIR)
	$(SWIFT) build -c release --scratch-path $(FUZZ_DIR) --product ShmfixFuzz $(FUZZ_FLAGS) \
		>$(FUZZ_DIR)/build.log 2>&1 || { grep -v 'Cannot export local symbol' $(FUZZ_DIR)/build.log; exit 1; }
	@tail -n 1 $(FUZZ_DIR)/build.log

fuzz: fuzz-build
	fuzz/seed-corpus.sh $(FUZZ_DIR)/corpus $(FUZZ_SEEDS)
	fuzz/run.sh $(FUZZ_DIR)/artifacts $(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_LIMITS) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/ $(FUZZ_EXTRA) $(FUZZ_DIR)/corpus
FUZZ_LIMITS := -max_len=16384 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1

# The smoke run of `make test`: at most 60 s, a fixed seed and a fixed number of runs, from a
# fresh corpus of the seeds alone (as on a clean clone). It is not replayable bit for bit: the
# streaming check runs fixes on a background queue, so coverage, and with it what libFuzzer
# keeps, varies with thread timing. A finding ends the log with its input in base64
# (fuzz/run.sh), so one that only CI hits can be replayed here. `make fuzz` explores with a
# random seed from the corpus that earlier runs grew.
FUZZ_SMOKE_RUNS ?= 60000
FUZZ_SMOKE := $(FUZZ_DIR)/smoke
fuzz-smoke: fuzz-build
	rm -rf $(FUZZ_SMOKE)
	fuzz/seed-corpus.sh $(FUZZ_SMOKE)/corpus $(FUZZ_SEEDS)
	fuzz/run.sh $(FUZZ_SMOKE)/artifacts $(FUZZ_BIN) -seed=1 -runs=$(FUZZ_SMOKE_RUNS) -max_total_time=60 $(FUZZ_LIMITS) \
		-artifact_prefix=$(FUZZ_SMOKE)/artifacts/ $(FUZZ_SMOKE)/corpus

clean:
	rm -rf .build .build-fuzz dist

# The benchmark of bench/README.md: shmfix against a libyaml event loop and kubectl kustomize,
# then shmfix-webhook under wrk (bench/webhook.sh, called by bench/run.sh).
bench: release
	bash bench/run.sh
