#!/usr/bin/env bash
# Reproduces the shipped default model resources/models/cxr-siglip-default/ end to end:
#   splits -> tokenizer -> `cxr preprocess` pixel cache -> training -> export (fp16) -> evaluation
#   (embeddings in Python; the product's `cxr teach` adapter and notes fusion through the binary) -> MODEL_CARD.md
#   -> parity fixture.
# Fixed seeds, pinned versions (tools/train/requirements.txt). About 1.5-2 h on a quiet 2-core CPU, no GPU.
# Usage: tools/train/train_default_model.sh            (from anywhere)
#   STAGES=64:5000,128:2000  training schedule (SIZE:STEPS,...), the shipped model's
#   THREADS=2                torch threads for training and evaluation
#   CXR_BIN=path/to/cxr    use an existing cxr binary instead of building build-train
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"
stages="${STAGES:-64:5000,128:2000}"
threads="${THREADS:-2}"
run="runs/final"

python -c "import torch, transformers, sentencepiece" 2>/dev/null || pip install -r requirements.txt

if [[ -z "${CXR_BIN:-}" ]]; then
  cmake -S "$repo" -B "$repo/build-train" -DCXR_WITH_STUDIO=OFF -DCXR_WITH_TESTS=OFF >/dev/null
  cmake --build "$repo/build-train" -j2 --target cxr
  CXR_BIN="$repo/build-train/bin/cxr"
fi

python make_splits.py                      # by-patient splits (already committed; re-running is a no-op)
python train_tokenizer.py --out cache/spiece.model
python build_cache.py --backend cxr --cxr "$CXR_BIN"
python train.py --cache cache/images_cxr_128.npy --out "$run" --stages "$stages" --threads "$threads"
python export.py --run "$run"
python evaluate.py --cache cache/images_cxr_128.npy --out results/eval_default.json --threads "$threads"
python eval_teach.py --cxr "$CXR_BIN" --out results/eval_teach.json
python eval_notes.py --cxr "$CXR_BIN" --split val --out results/eval_notes.json
python eval_notes.py --cxr "$CXR_BIN" --split train --out results/eval_notes_train.json
python make_model_card.py --eval results/eval_default.json --run "$run"
python make_default_parity_fixture.py --cxr "$CXR_BIN"
echo "done: $repo/resources/models/cxr-siglip-default"
