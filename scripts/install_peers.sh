#!/usr/bin/env bash
# Installs the peer runtimes that parity tests and benchmarks compare against:
# ONNX Runtime through the npm package onnxruntime-node (no install scripts: its
# postinstall would try to download GPU binaries). Skips when already present.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f tools/reference/node_modules/onnxruntime-node/package.json ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "install_peers: npm not found; parity tests against ONNX Runtime will fail" >&2
  exit 0
fi
echo "installing onnxruntime-node (npm, --ignore-scripts) into tools/reference/node_modules"
(cd tools/reference && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
