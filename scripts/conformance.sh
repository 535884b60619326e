#!/usr/bin/env bash
# The library's own conformance report: every kernel and property on the four WebGPU engines, the cheap kernels on
# the interpreter too (it steps workgroups in lock-step: a large matmul case takes it minutes), merged into
# reports/conformance/ (committed). RUNS=N changes the cases per property.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
runs="${RUNS:-10}"
out=reports/conformance
rm -rf "$out" && mkdir -p "$out"
node bin/kernelscope.mjs test --backend dawn,chromium,firefox,deno --runs "$runs" --out "$out/gpu" --fixtures "$out/counterexamples"
node bin/kernelscope.mjs test --backend interpreter --kernel add --kernel relu --kernel softmax --kernel transpose --kernel histogram \
  --runs 3 --out "$out/interpreter" --fixtures "$out/counterexamples"
node bin/kernelscope.mjs report "$out/gpu" "$out/interpreter" --out "$out"
status=$?
# The parts' own pages repeat the merged one; their results.json stay as the raw runs it was built from.
rm -f "$out"/gpu/index.html "$out"/gpu/junit.xml "$out"/interpreter/index.html "$out"/interpreter/junit.xml
# The merged report decides: 1 for a new failure on any engine, 0 when all passed or were expected.
exit $status
