#!/usr/bin/env bash
# The one prepared GPU check (issue 8; docs/engine.md "CUDA backend"). Two steps:
#
#   here (dev machine):   scripts/gpu-check.sh --prepare
#       copies Debian's GoogleTest source into .gpu-deps/ (git-ignored) and test-builds the standalone
#       project below, so the device call does not fail on a typo.
#   on the GPU machine:   run(command="bash scripts/gpu-check.sh", carry=[".gpu-deps"], timeout_s=540)
#       builds tests/bench/cuda standalone (kernels + CUDA backend + op tests; the image has nvcc,
#       CMake, ninja and PyTorch but none of the project's Debian libraries), then
#         1. kernels_cuda_ops_test: every op against the CPU reference (fp32 and bf16 tolerances),
#         2. cuda_ops_bench: SigLIP-base image tower through the CUDA backend, fp32 and bf16,
#            batch 1 and 256 (the CPU figures come from scripts/bench-engine.sh: this standalone
#            build has no OpenBLAS/oneDNN, so its CPU path would be no fair peer),
#         3. tools/gpu/torch_vit_bench.py: the same tower in PyTorch eager and torch.compile,
#       and prints a table (also $OUT/gpu-check.md; logs and JSON lines in $OUT).
# Targets (issue 8): >= 10,000 images/s bf16, batch-1 latency <= 1 ms, >= 1.5x PyTorch eager.
# The end-to-end embedding parity (siglip_cuda_parity_test) needs the full build; it runs with the
# rest of the suite (`ctest -L gpu`) on any machine that has both a GPU and the Debian libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
deps=.gpu-deps
if [[ "${1:-}" == "--prepare" ]]; then
  mkdir -p "$deps"
  rm -rf "$deps/googletest" && cp -r /usr/src/googletest "$deps/googletest"
  cmake -S tests/bench/cuda -B build-gpu-check -G Ninja -DGTEST_SOURCE="$PWD/$deps/googletest" >/dev/null
  cmake --build build-gpu-check
  echo "prepared: $deps ($(du -sh "$deps" | cut -f1)); carry it to the device run"
  exit 0
fi

out=${OUT:-$PWD/gpu-check-out}
mkdir -p "$out"
build=build-gpu-check
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true; nvcc --version | tail -1; } \
  | tee "$out/machine.txt"
cmake -S tests/bench/cuda -B "$build" -G Ninja -DGTEST_SOURCE="$PWD/$deps/googletest" >"$out/configure.log" 2>&1
cmake --build "$build" -j "$(nproc)" >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }

set +e
"$build/kernels_cuda_ops_test" >"$out/ops_test.log" 2>&1
ops_rc=$?
set -e
grep -E "nmse|OK|FAILED|SKIPPED" "$out/ops_test.log" | tail -40

bench="$out/bench.jsonl"
: >"$bench"
for precision in fp32 bf16; do
  for batch in 1 256; do
    "$build/cuda_ops_bench" --backend cuda --precision "$precision" --batch "$batch" --rounds 20 >>"$bench" || true
  done
done
timeout 300 python3 tools/gpu/torch_vit_bench.py --batches 1,256 --rounds 20 >>"$bench" 2>"$out/torch.log" || \
  echo "PyTorch peer failed: see torch.log" | tee -a "$out/machine.txt"

python3 - "$bench" "$ops_rc" "$out/ops_test.log" <<'PY' | tee "$out/gpu-check.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
log = open(sys.argv[3]).read()
ran = log.count("[       OK ] Cuda/")
status = (f"FAILED (rc {sys.argv[2]})" if sys.argv[2] != "0" else
          f"passed ({ran} of 2)" if ran else "SKIPPED: no CUDA device (nothing was checked)")
print(f"op tests: {status}\n")
print("| backend | precision | batch | ms / batch | images/s |\n|---|---|---|---|---|")
for r in rows:
    if "error" in r:
        print(f"| {r['backend']} | {r['precision']} | {r['batch']} | error: {r['error']} | |")
    else:
        print(f"| {r['backend']} | {r['precision']} | {r['batch']} | {r['ms_per_batch']:.3f} | {r['images_per_s']:.1f} |")
def ips(backend, precision, batch):
    return next((r["images_per_s"] for r in rows if r.get("backend") == backend and r.get("precision") == precision
                 and r.get("batch") == batch and "images_per_s" in r), None)
for p in ("fp32", "bf16"):
    ours, eager = ips("cuda", p, 256), ips("torch-eager", p, 256)
    if ours and eager:
        print(f"\n{p}, batch 256: cuda / PyTorch eager = {ours / eager:.2f}x")
PY
exit $ops_rc
