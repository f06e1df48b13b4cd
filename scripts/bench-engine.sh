#!/usr/bin/env bash
# Engine vs PyTorch peer (transformers SiglipModel, torch CPU) on the same SigLIP-base-sized random
# checkpoint, same thread count, both warm. The two run interleaved (peer, engine, peer, engine...)
# so load from other processes on a shared machine hits both alike; compare the ratios.
#
#   scripts/bench-engine.sh [BUILD_DIR]      (default build/; needs BUILD_DIR/bin/cxr)
#   env: THREADS=2 BATCH=8 ROUNDS=3 REPEATS=2 MODEL_DIR=/tmp/cxr-siglip-base-random ALSO_UNSET_CORETYPE=0
# The random checkpoint (~800 MB) is created once in MODEL_DIR (never in the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
THREADS=${THREADS:-2}
BATCH=${BATCH:-8}
ROUNDS=${ROUNDS:-3}
REPEATS=${REPEATS:-2}
MODEL_DIR=${MODEL_DIR:-/tmp/cxr-siglip-base-random}
CXR="$BUILD_DIR/bin/cxr"
[ -x "$CXR" ] || { echo "bench-engine: $CXR not found; build the cxr target first" >&2; exit 2; }
if [ ! -f "$MODEL_DIR/model.safetensors" ]; then
  python3 tools/bench/siglip_peer.py make-model "$MODEL_DIR"
fi

OUT=$(mktemp -d /tmp/cxr-bench.XXXXXX)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}  threads=$THREADS batch=$BATCH rounds=$ROUNDS repeats=$REPEATS"
for i in $(seq "$REPEATS"); do
  echo "run $i/$REPEATS: pytorch..."
  python3 tools/bench/siglip_peer.py bench "$MODEL_DIR" --threads "$THREADS" --batch "$BATCH" --rounds "$ROUNDS" \
    2>/dev/null | grep '^{' >> "$OUT/peer.jsonl"
  echo "run $i/$REPEATS: cxr engine..."
  "$CXR" bench --model "$MODEL_DIR" --threads "$THREADS" --batch "$BATCH" --rounds "$ROUNDS" --json >> "$OUT/engine.jsonl"
  if [ "${ALSO_UNSET_CORETYPE:-0}" = 1 ]; then
    env -u OPENBLAS_CORETYPE "$CXR" bench --model "$MODEL_DIR" --threads "$THREADS" --batch "$BATCH" --rounds "$ROUNDS" \
      --json >> "$OUT/engine_unset_coretype.jsonl"
  fi
done
python3 tools/bench/siglip_peer.py summarize "$OUT/peer.jsonl" "$OUT/engine.jsonl"
if [ -s "$OUT/engine_unset_coretype.jsonl" ]; then
  echo "--- engine with OPENBLAS_CORETYPE unset:"
  python3 tools/bench/siglip_peer.py summarize "$OUT/peer.jsonl" "$OUT/engine_unset_coretype.jsonl"
fi
echo "raw measurements: $OUT"
