"""Exports a trained run as the shipped default model (Hugging Face SigLIP layout).

Writes into resources/models/cxr-siglip-default/:
  config.json, model.safetensors (fp16: the C++ loader widens F16 to F32; halves the repo size),
  spiece.model (the SentencePiece tokenizer), tokenizer_config.json (HF SiglipTokenizer settings),
  preprocess.json (the pixel spec `cxr preprocess` and the engine follow).
The auxiliary training head is not part of the export: the artefact is a plain SiglipModel.

Usage: python tools/train/export.py --run tools/train/runs/final [--dtype float16]
"""
import argparse
import json
import shutil
from pathlib import Path

import torch
from transformers import SiglipModel, SiglipTokenizer

import cxrdata


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--tokenizer", default=str(cxrdata.CACHE_DIR / "spiece.model"))
    ap.add_argument("--out", default=str(cxrdata.MODEL_DIR))
    ap.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    src = Path(args.run) / "fp32"
    if not src.exists():            # an intermediate checkpoint directory (runs/<name>/checkpoint)
        src = Path(args.run)
    model = SiglipModel.from_pretrained(src, dtype=torch.float32)
    model = model.to(getattr(torch, args.dtype))
    for stale in ("model.safetensors", "config.json"):
        (out / stale).unlink(missing_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    shutil.copyfile(args.tokenizer, out / "spiece.model")
    tok = SiglipTokenizer(str(out / "spiece.model"), model_max_length=model.config.text_config.max_position_embeddings)
    tok.save_pretrained(out)
    (out / "special_tokens_map.json").unlink(missing_ok=True)
    spec = json.loads((cxrdata.TRAIN_DIR / "preprocess.json.in").read_text())
    assert spec["image_size"] == model.config.vision_config.image_size
    (out / "preprocess.json").write_text(json.dumps(spec, indent=2) + "\n")
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"exported {args.run} -> {out} ({size / 1e6:.1f} MB, {args.dtype})")
    for p in sorted(out.iterdir()):
        print(f"  {p.name} {p.stat().st_size}")


if __name__ == "__main__":
    main()
