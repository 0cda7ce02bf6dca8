# Thin wrapper over CMake.  `make demo` and `make test` work on a fresh
# Debian machine: they install missing packages first (scripts/deps.sh).
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv numparse model scorecard rule
JOBS ?= 2

.PHONY: all deps build demo test test-release test-asan test-slow bench fuzz install clean

all: build

deps:
	@scripts/deps.sh build

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DVITALS_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)/vitals

# Every test, in the release build and again under ASan + UBSan.
test: test-release test-asan

test-release: build
	@scripts/deps.sh test
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -LE slow

test-asan: deps
	@scripts/deps.sh test
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVITALS_SANITIZE=ON -DVITALS_WERROR=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) -LE slow

# bin/vitals and share/man/man1/vitals.1 under PREFIX (default /usr/local),
# staged under DESTDIR when set (as GNU packages do).
PREFIX ?= /usr/local
install: build
	@DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# Large-data cases (millions of rows), kept out of `make test`.
test-slow: build
	ctest --test-dir $(BUILD) --output-on-failure -L slow

bench: build
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)/vitals $(BENCH_ARGS)

# libFuzzer targets (clang, ASan + UBSan), each run FUZZ_SECONDS from its
# seed corpus; fails if any crashes (tests/fuzz/README.md).
fuzz:
	@scripts/deps.sh fuzz
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DVITALS_FUZZ=ON \
		-DVITALS_WERROR=ON -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
