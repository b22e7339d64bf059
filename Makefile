# Masthead's two everyday commands:
#   make run   install what is missing, build, create the demo site, serve it at :8080
#   make test  the same set-up, then every test (unit, store conformance, HTTP
#              integration, browser, and the unit tests again under ASan+UBSan)
# Other targets: make build, make bench, make format, make clean.
# make fuzz (clang + libFuzzer, FUZZ_SECONDS per target; see fuzz/README.md).

BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= 2
DB ?= data/demo.db
CONFIG ?= config/demo.toml

.PHONY: all deps build run test sanitize-test check format bench clean

all: build

deps:
	@bash scripts/install-deps

build: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@test -f $(DB) || ./$(BUILD_DIR)/masthead init --demo --db $(DB)
	./$(BUILD_DIR)/masthead serve --config $(CONFIG) --db $(DB)

check:
	@bash scripts/check-format
	@python3 scripts/check-layers

test: build check
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory sanitize-test

# The unit tests (label "unit": in-process only) again, built with
# AddressSanitizer and UndefinedBehaviorSanitizer. Suites that start another
# program (label "integration") or only print timings ("timing") run in the
# plain ctest pass above, not here.
sanitize-test: deps
	@test -f $(ASAN_DIR)/build.ninja || cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMASTHEAD_SANITIZE=ON
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_DIR) -L unit --output-on-failure -j $(JOBS)

format:
	@bash scripts/check-format --fix

bench: build
	bash bench/run $(BUILD_DIR)/masthead

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)

# Fuzzing (fuzz/README.md): builds every fuzz target with clang's libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer into $(FUZZ_DIR), then runs
# each for FUZZ_SECONDS on its corpus. Needs clang and libclang-rt-14-dev,
# which `make test` does not (it replays the corpora with g++ instead).
#   make fuzz FUZZ_SECONDS=300 FUZZ_TARGETS="markdown_fuzz http_request_fuzz"
# -fno-sanitize=function: clang 14 cannot compile the coroutines of src/http
# with it ("Cannot represent a difference across sections", llvm-project#49689).
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(basename $(notdir $(wildcard fuzz/*_fuzz.cpp)))
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function \
  -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: fuzz
fuzz: deps
	@command -v clang++ >/dev/null || { echo "make fuzz: needs clang++ and libFuzzer (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	@test -f $(FUZZ_DIR)/build.ninja || cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMASTHEAD_FUZZ=ON \
	  -DCMAKE_C_FLAGS="$(FUZZ_FLAGS)" -DCMAKE_CXX_FLAGS="$(FUZZ_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)
	bash fuzz/run $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
