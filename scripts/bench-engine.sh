#!/usr/bin/env bash
# Engine vs PyTorch peer (transformers SiglipModel, torch CPU) on the same SigLIP-base-sized random
# checkpoint, same thread count, both warm. The two run interleaved (peer, engine, peer, engine...)
# so load from other processes on a shared machine hits both alike; compare the ratios.
#
#   scripts/bench-engine.sh [BUILD_DIR]      (default build/; needs BUILD_DIR/bin/cxr)
#   env: THREADS=2 BATCH=8 ROUNDS=3 REPEATS=2 MODEL_DIR=/tmp/cxr-siglip-base-random PRECISIONS="fp32 bf16"
# The random checkpoint (~800 MB) is created once in MODEL_DIR (never in the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
THREADS=${THREADS:-2}
BATCH=${BATCH:-8}
ROUNDS=${ROUNDS:-3}
REPEATS=${REPEATS:-2}
MODEL_DIR=${MODEL_DIR:-/tmp/cxr-siglip-base-random}
PRECISIONS=${PRECISIONS:-fp32 bf16}
CXR="$BUILD_DIR/bin/cxr"
[ -x "$CXR" ] || { echo "bench-engine: $CXR not found; build the cxr target first" >&2; exit 2; }
if [ ! -f "$MODEL_DIR/model.safetensors" ]; then
  python3 tools/bench/siglip_peer.py make-model "$MODEL_DIR"
fi

OUT=$(mktemp -d /tmp/cxr-bench.XXXXXX)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "threads=$THREADS batch=$BATCH rounds=$ROUNDS repeats=$REPEATS precisions=$PRECISIONS"
for i in $(seq "$REPEATS"); do
  for p in $PRECISIONS; do
    echo "run $i/$REPEATS: pytorch $p..."
    python3 tools/bench/siglip_peer.py bench "$MODEL_DIR" --threads "$THREADS" --batch "$BATCH" --rounds "$ROUNDS" \
      --dtype "$p" 2>/dev/null | grep '^{' >> "$OUT/peer_$p.jsonl"
    echo "run $i/$REPEATS: cxr engine $p..."
    "$CXR" bench --model "$MODEL_DIR" --threads "$THREADS" --batch "$BATCH" --rounds "$ROUNDS" --precision "$p" \
      --json >> "$OUT/engine_$p.jsonl"
  done
done
for p in $PRECISIONS; do
  echo "=== engine $p vs pytorch fp32"
  python3 tools/bench/siglip_peer.py summarize "$OUT/peer_fp32.jsonl" "$OUT/engine_$p.jsonl"
  if [ "$p" != fp32 ]; then
    echo "=== engine $p vs pytorch $p (torch.autocast)"
    python3 tools/bench/siglip_peer.py summarize "$OUT/peer_$p.jsonl" "$OUT/engine_$p.jsonl"
  fi
done
echo "=== the machine's fp32 FLOP limit, measured on the same threads, and the engine's share of it"
"$CXR" bench --model "$MODEL_DIR" --threads "$THREADS" --batch "$BATCH" --rounds "$ROUNDS" --peak | grep -E 'GFLOP|limit'
echo "raw measurements: $OUT"
