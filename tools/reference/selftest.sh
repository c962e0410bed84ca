#!/usr/bin/env bash
# Smoke test of the ONNX Runtime reference tools on the two shared models:
# final outputs, intermediate embeddings ('627', 'fire9/concat_1'), batch > 1
# (symbolic batch for MobileNetV2, item-by-item runs for SqueezeNet's fixed
# batch of 1), f16 input .npy, a uint8 intermediate, and a clear error for an
# unknown tensor. Prints timings; exits non-zero on the first failure.
#
#   tools/reference/selftest.sh [MODELS_DIR]      (default /work/shared/models)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
models="${1:-/work/shared/models}"
py=/usr/bin/python3
mobilenet="$models/mobilenetv2-12-int8.onnx"
squeezenet="$models/squeezenet1.0-fp16.onnx"
for m in "$mobilenet" "$squeezenet"; do
  [ -f "$m" ] || { echo "selftest: missing model $m" >&2; exit 1; }
done

bash "$here/../../scripts/install_peers.sh"
[ -f "$here/node_modules/onnxruntime-node/package.json" ] || { echo "selftest: onnxruntime-node not installed" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ort() { node "$here/ort_run.mjs" --threads 2 "$@" 2>&1; }
step() {
  local name="$1"
  shift
  local t0=$(date +%s.%N)
  "$@"
  printf 'selftest: %-44s %6.2f s\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)"
}

start=$(date +%s.%N)
step "make inputs" $py - "$tmp" <<'EOF'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(0)
x = rng.standard_normal((3, 3, 224, 224)).astype(np.float32)
np.save(f"{d}/x3.npy", x)
np.save(f"{d}/x1.npy", x[:1])
np.save(f"{d}/x1_f16.npy", x[:1].astype(np.float16))
EOF

step "mobilenet b1: output + 627 + 627_quantized" \
  ort --model "$mobilenet" --input input="$tmp/x1.npy" \
  --output output="$tmp/m1_out.npy" --output 627="$tmp/m1_627.npy" --output 627_quantized="$tmp/m1_627q.npy"
step "mobilenet b3: output + 627" \
  ort --model "$mobilenet" --input input="$tmp/x3.npy" --output output="$tmp/m3_out.npy" --output 627="$tmp/m3_627.npy"
step "mobilenet b1 --opt disabled: 627" \
  ort --model "$mobilenet" --opt disabled --input input="$tmp/x1.npy" --output 627="$tmp/m1_627_noopt.npy"
step "squeezenet b1: softmaxout_1 + fire9/concat_1" \
  ort --model "$squeezenet" --input data_0="$tmp/x1.npy" \
  --output softmaxout_1="$tmp/s1_out.npy" --output fire9/concat_1="$tmp/s1_fire9.npy"
step "squeezenet b3 (3 runs): softmaxout_1 + fire9" \
  ort --model "$squeezenet" --input data_0="$tmp/x3.npy" \
  --output softmaxout_1="$tmp/s3_out.npy" --output fire9/concat_1="$tmp/s3_fire9.npy"
step "squeezenet b1, f16 input: same outputs" \
  ort --model "$squeezenet" --input data_0="$tmp/x1_f16.npy" \
  --output softmaxout_1="$tmp/s1h_out.npy" --output fire9/concat_1="$tmp/s1h_fire9.npy"

if ort --quiet --model "$mobilenet" --input input="$tmp/x1.npy" --output no_such_tensor="$tmp/bad.npy" >"$tmp/err"; then
  echo "selftest: FAIL: unknown tensor was accepted" >&2
  exit 1
fi
grep -q "no_such_tensor" "$tmp/err" || { echo "selftest: FAIL: error does not name the tensor:" >&2; cat "$tmp/err" >&2; exit 1; }

step "check shapes and values" $py - "$tmp" <<'EOF'
import sys, numpy as np
d = sys.argv[1]
def load(name, dtype, shape):
    a = np.load(f"{d}/{name}.npy")
    assert a.dtype == dtype and a.shape == shape, f"{name}: got {a.dtype}{a.shape}, want {dtype}{shape}"
    assert np.isfinite(a).all(), f"{name}: non-finite values"
    return a
f32 = np.dtype(np.float32)
m1_out = load("m1_out", f32, (1, 1000))
m1_627 = load("m1_627", f32, (1, 1280, 7, 7))
load("m1_627q", np.dtype(np.uint8), (1, 1280, 7, 7))
m3_out = load("m3_out", f32, (3, 1000))
m3_627 = load("m3_627", f32, (3, 1280, 7, 7))
m1_627_noopt = load("m1_627_noopt", f32, (1, 1280, 7, 7))
s1_out = load("s1_out", f32, (1, 1000, 1, 1))
s1_fire9 = load("s1_fire9", f32, (1, 512, 13, 13))
s3_out = load("s3_out", f32, (3, 1000, 1, 1))
s3_fire9 = load("s3_fire9", f32, (3, 512, 13, 13))
s1h_out = load("s1h_out", f32, (1, 1000, 1, 1))
s1h_fire9 = load("s1h_fire9", f32, (1, 512, 13, 13))
# Batched runs must agree with the single-image run on item 0.
assert np.array_equal(m3_out[:1], m1_out) and np.array_equal(m3_627[:1], m1_627), "mobilenet batch != single"
assert np.array_equal(s3_out[:1], s1_out) and np.array_equal(s3_fire9[:1], s1_fire9), "squeezenet batch != single"
# The model rounds f32 input to f16 first, so an f16 .npy must give identical results.
assert np.array_equal(s1h_out, s1_out) and np.array_equal(s1h_fire9, s1_fire9), "f16 input .npy differs from f32 input"
assert np.abs(m1_627_noopt - m1_627).max() == 0, "mobilenet 627 differs between --opt all and disabled"
assert abs(float(s1_out.sum()) - 1) < 1e-2, "squeezenet softmax does not sum to 1"
assert (m1_627 >= 0).all() and (m1_627 <= 6).all(), "627 is not a ReLU6 output"
assert not np.array_equal(m3_out[0], m3_out[1]), "batch items identical: input not split?"
print("selftest: shapes, dtypes and batch consistency OK")
EOF
printf 'selftest: PASS in %.2f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
