# shmfix — build, test and run. Every target installs what it needs (libyaml-dev) first.
SWIFT ?= swift
PREFIX ?= /usr/local
PLUGIN_HOME ?= $(HOME)/.config/kustomize/plugin
BIN_DEBUG := .build/debug/shmfix
BIN_RELEASE := .build/release/shmfix
WEBHOOK_DEBUG := .build/debug/shmfix-webhook

.PHONY: deps test-deps build release release-cli test oracle-test lint example install kustomize-plugin bench fuzz fuzz-build \
	fuzz-smoke clean dist dist-deps dist-binary image image-tools dist-test dist-test-tools

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

# The CLI alone, for install and the kustomize plugin.
release-cli: deps
	$(SWIFT) build -c release --product shmfix

test: deps test-deps lint
	$(SWIFT) build --build-tests
	SHMFIX_BIN=$(CURDIR)/$(BIN_DEBUG) SHMFIX_WEBHOOK_BIN=$(CURDIR)/$(WEBHOOK_DEBUG) $(SWIFT) test --skip-build
	$(MAKE) oracle-test
	$(MAKE) dist-test
	$(MAKE) fuzz-smoke

# The PyYAML oracle (Tests/verify): its own cases, then shmfix against it on every case.
oracle-test: build
	python3 Tests/verify/selftest.py
	python3 Tests/verify/agree.py $(BIN_DEBUG)

lint:
	$(SWIFT) format lint --recursive --strict Sources Tests Package.swift

# Only the CLI is built (the webhook's server stack takes far longer to compile the first time).
example: deps
	$(SWIFT) build --product shmfix
	$(BIN_DEBUG) --shm-size=2gb Examples/*.yaml

# `make install PREFIX=DIR`: DIR/bin/shmfix, and DIR/bin/kubectl-shmfix (a link to it) so that
# `kubectl shmfix ...` works with DIR/bin on PATH.
install: release-cli
	install -d "$(PREFIX)/bin"
	install -m 755 "$(BIN_RELEASE)" "$(PREFIX)/bin/shmfix"
	ln -sf shmfix "$(PREFIX)/bin/kubectl-shmfix"

# `make kustomize-plugin PLUGIN_HOME=DIR`: the legacy exec transformer where kustomize looks for
# apiVersion shmfix.dev/v1alpha1, kind ShmFix (DIR/<group>/<version>/<lowercase kind>/<Kind>);
# shmfix runs as the transformer when its name is ShmFix. See docs/integrations.md.
kustomize-plugin: release-cli
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

# The smoke run of `make test`: a fixed seed and a fixed number of runs (at most 150 s), from a
# fresh corpus of the seeds alone (as on a clean clone). It is replayable: the fuzz target runs
# the synchronous core (no threads), Swift's hashing is made deterministic, and libFuzzer's
# entropic schedule, which weighs inputs by their execution time, is off — two runs give the
# same coverage, features and corpus. A finding also ends the log with its input in base64
# (fuzz/run.sh). `make fuzz` explores with a random seed from the corpus earlier runs grew.
FUZZ_SMOKE_RUNS ?= 60000
FUZZ_SMOKE := $(FUZZ_DIR)/smoke
fuzz-smoke: fuzz-build
	rm -rf $(FUZZ_SMOKE)
	fuzz/seed-corpus.sh $(FUZZ_SMOKE)/corpus $(FUZZ_SEEDS)
	SWIFT_DETERMINISTIC_HASHING=1 fuzz/run.sh $(FUZZ_SMOKE)/artifacts $(FUZZ_BIN) -seed=1 -runs=$(FUZZ_SMOKE_RUNS) \
		-entropic=0 -max_total_time=150 $(FUZZ_LIMITS) -artifact_prefix=$(FUZZ_SMOKE)/artifacts/ $(FUZZ_SMOKE)/corpus

clean:
	rm -rf .build .build-fuzz .build-dist dist

# The benchmark of bench/README.md: shmfix against a libyaml event loop and kubectl kustomize,
# instructions by phase (callgrind), the static binary's start-up, then shmfix-webhook under wrk
# (bench/webhook.sh, called by bench/run.sh).
bench: release dist-binary
	bash bench/run.sh

# Distribution (docs/distribution.md). The version is written once, in
# Sources/shmfix/Version.swift; ARCH uses the OCI/krew names (amd64, arm64).
VERSION := $(shell sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/shmfix/Version.swift)
ARCH := $(shell uname -m | sed 's/^x86_64$$/amd64/; s/^aarch64$$/arm64/')
DIST_BUILD := .build-dist
DIST_BIN := $(DIST_BUILD)/shmfix
RELEASE_URL ?= https://github.com/shmfix/shmfix/releases/download/v$(VERSION)
IMAGE ?= localhost/shmfix
IMAGE_LAYOUT := dist/shmfix-$(VERSION)-image-linux-$(ARCH)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

# One static executable for any Linux of its architecture (no Swift, no libyaml needed where it
# runs; it needs /proc, as every container has): Swift 6.3 links the standard library,
# FoundationEssentials and libyaml statically. A release build of its own, so .build/release
# stays the dynamic build; stripped copy in $(DIST_BIN). `make bench` measures this binary.
#
# Its allocator is jemalloc (libjemalloc.a of Debian's libjemalloc-dev), linked in place of
# glibc's malloc: libyaml allocates and frees a few small strings per token, and in shmfix's
# worker threads glibc's malloc cost 10-14 % more CPU time on the bench stream (README,
# "Decisions"). The --undefined flags make the linker take
# malloc, free and the rest from libjemalloc.a before it reaches libc.a, so glibc's malloc.o is
# not linked at all (two allocators in one process would be a bug waiting for a free() of the
# other's pointer); the build checks that with the link map.
#
# --wrap=realloc sends every realloc (libyaml doubles each long scalar's string with one) to
# Sources/CReallocShim, which grows blocks of up to 4 KiB by malloc, memcpy and free through
# jemalloc's thread cache instead of jemalloc's general realloc path: 3 % fewer instructions on
# the bench stream. The build checks in the link map that the shim is linked. -gdwarf-4: the
# shim's debug information in a form valgrind 3.19 reads (`make bench` counts instructions).
JEMALLOC_SYMBOLS := $(shell grep -v '^\#' packaging/jemalloc.symbols)
dist-deps: deps
	@command -v strip >/dev/null 2>&1 && command -v file >/dev/null 2>&1 || { \
		echo "installing binutils and file"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils file; }
	@pkg-config --exists jemalloc || { \
		echo "installing libjemalloc-dev"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjemalloc-dev; }

dist-binary: dist-deps
	$(SWIFT) build -c release --product shmfix --scratch-path $(DIST_BUILD) -Xswiftc -static-executable \
		$(foreach symbol,$(JEMALLOC_SYMBOLS),-Xlinker --undefined=$(symbol)) \
		-Xlinker $$(pkg-config --variable=libdir jemalloc)/libjemalloc.a -Xlinker --wrap=realloc -Xcc -gdwarf-4 \
		-Xlinker -Map=$(abspath $(DIST_BUILD))/shmfix.map
	@! grep -q 'libc\.a(malloc\.o)' $(DIST_BUILD)/shmfix.map || { \
		echo "error: glibc's malloc.o was linked beside jemalloc ($(DIST_BUILD)/shmfix.map)"; exit 1; }
	@grep -q 'realloc_shim\.c\.o' $(DIST_BUILD)/shmfix.map || { \
		echo "error: the realloc shim (Sources/CReallocShim) is not linked ($(DIST_BUILD)/shmfix.map)"; exit 1; }
	strip -o $(DIST_BIN) $(DIST_BUILD)/release/shmfix

# dist/shmfix-VERSION-linux-ARCH.tar.gz (+ .sha256) and dist/krew/shmfix.yaml.
dist: dist-binary
	packaging/dist.sh $(DIST_BIN) $(VERSION) $(ARCH) $(RELEASE_URL) dist

# umoci and skopeo validate the image layout; Debian packages, installed when missing.
image-tools:
	@command -v umoci >/dev/null 2>&1 && command -v skopeo >/dev/null 2>&1 || { \
		echo "installing umoci and skopeo"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq umoci skopeo; }

# An OCI image layout of the static binary, written without a container daemon, and checked by
# skopeo and umoci: `skopeo copy oci:$(IMAGE_LAYOUT):$(VERSION) docker-daemon:...`,
# `docker load -i $(IMAGE_LAYOUT).tar`, `podman load -i $(IMAGE_LAYOUT).tar`.
image: dist-binary image-tools
	python3 packaging/oci_image.py --binary $(DIST_BIN) --version $(VERSION) --arch $(ARCH) \
		--name $(IMAGE) --out $(IMAGE_LAYOUT)
	skopeo inspect --raw oci:$(IMAGE_LAYOUT):$(VERSION) >/dev/null
	skopeo inspect oci:$(IMAGE_LAYOUT):$(VERSION) | grep -q '"Architecture": "$(ARCH)"'
	umoci stat --image $(IMAGE_LAYOUT):$(VERSION) >/dev/null
	@echo "image: valid for skopeo and umoci"

# pre-commit from PyPI drives the hooks of .pre-commit-hooks.yaml in packaging/tests.
dist-test-tools:
	@python3 -c "import pre_commit" 2>/dev/null || { echo "installing pre-commit"; python3 -m pip install -q pre-commit; }

# The tests of the shipped forms: the archive and the image run in a chroot with only /proc,
# the krew manifest, the pre-commit hooks, the Argo CD plugin. Run by `make test`.
dist-test: dist image dist-test-tools
	bash packaging/tests/run.sh
