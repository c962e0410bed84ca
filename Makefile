# pixlake: the two commands that matter are `make run` and `make test`.
# Both install what they need from Debian's archive first (root or sudo), then build.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
PIXLAKE_DATA ?= $(abspath ../shared)
export PIXLAKE_DATA

DEB_PACKAGES = build-essential cmake ninja-build pkg-config clang-format \
  libonnx-dev libprotobuf-dev protobuf-compiler libopenblas-dev libstb-dev libgtest-dev \
  python3 python3-numpy python3-onnx python3-opencv \
  libsqlite3-dev libvips-dev python3-pil libopencv-features2d-dev libcpp-httplib-dev
# Node.js and npm come from Debian only when the machine has none (some images ship NodeSource's).
NODE_PACKAGES = nodejs npm

.PHONY: all deps build build-asan run test test-fast test-web docs fuzz bench-index bench-inference bench-serve format format-check clean

all: build

# Install only what is missing, so a second `make` is quick and works offline.
deps:
	@missing=$$(for p in $(DEB_PACKAGES) $$(command -v npm >/dev/null || echo $(NODE_PACKAGES)); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@scripts/install_peers.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPIXLAKE_DATA=$(PIXLAKE_DATA)
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXLAKE_SANITIZE=ON -DPIXLAKE_DATA=$(PIXLAKE_DATA)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The main job on embedded defaults: classify and embed the shared photos.
run: build
	@scripts/run_main_job.sh $(BUILD)/pixlake

# Every test: all tests in Release, the fast tests again under ASan + UBSan, then the web page
# in a real browser (test-web installs chromium and playwright-core first).
test: format-check build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE web
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L fast
	$(MAKE) test-web

# The web page in headless chromium (tests/web/): chromium from Debian and playwright-core from
# npm (into $(BUILD)/web-test, install scripts not run), installed by this target only.
WEB_PACKAGES = chromium
test-web: build
	@missing=$$(for p in $(WEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	mkdir -p $(BUILD)/web-test
	cd $(BUILD)/web-test && { [ -f package.json ] || echo '{"private":true}' > package.json; } && \
	  { [ -f node_modules/playwright-core/package.json ] || npm install --ignore-scripts --no-audit --no-fund playwright-core; }
	cd $(BUILD) && ctest --output-on-failure -L web

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L fast

# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for FUZZ_SECONDS on a seed
# corpus made from $(PIXLAKE_DATA); one summary line per target (see scripts/run_fuzzers.sh).
FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ_PACKAGES = clang libclang-rt-dev
fuzz: deps
	@missing=$$(for p in $(FUZZ_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIXLAKE_BUILD_FUZZERS=ON -DPIXLAKE_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run_fuzzers.sh $(FUZZ_BUILD)

# bench/index: pixlake vs hnswlib vs FAISS on fashion-mnist (see bench/index/README.md). The
# peers and the data set are installed here, not by `deps`: only this benchmark needs them.
BENCH_INDEX_PACKAGES = libhnswlib-dev libfaiss-dev zlib1g-dev dataset-fashion-mnist python3-matplotlib
BENCH_INDEX_ARGS ?= --dataset fashion-mnist
bench-index: deps
	@missing=$$(for p in $(BENCH_INDEX_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPIXLAKE_DATA=$(PIXLAKE_DATA) -DPIXLAKE_BUILD_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS) --target index_bench
	$(BUILD)/index_bench $(BENCH_INDEX_ARGS)

# bench/inference: pixlake vs ONNX Runtime (and PyTorch, OpenCV) on the same ONNX files (see
# bench/inference/README.md). torch/torchvision export the float models; only this needs them.
BENCH_INFERENCE_PACKAGES = python3-torch python3-torchvision
BENCH_INFERENCE_ARGS ?=
bench-inference: deps
	@missing=$$(for p in $(BENCH_INFERENCE_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPIXLAKE_DATA=$(PIXLAKE_DATA) -DPIXLAKE_BUILD_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS) --target pixlake_infer
	/usr/bin/python3 bench/inference/inference_bench.py $(BENCH_INFERENCE_ARGS)

# bench/serve: wrk against `pixlake serve` (search by id) on an existing lake; wrk is installed
# here only. BENCH_SERVE_LAKE must name a lake (pixlake init + add).
BENCH_SERVE_PACKAGES = wrk curl
BENCH_SERVE_LAKE ?= $(BUILD)/main-job.lake
BENCH_SERVE_ARGS ?= 30 64 4
bench-serve: build
	@missing=$$(for p in $(BENCH_SERVE_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	bench/serve/run_wrk.sh $(BUILD)/pixlake $(BENCH_SERVE_LAKE) $(BENCH_SERVE_ARGS)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

format-check: deps
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

# Regenerates docs/operators.md from a run of the ONNX conformance suite.
docs: build
	$(BUILD)/tests/gen_operator_table docs/operators.md
