"""Writes tests/fixtures/default_model/: the parity reference of the *shipped* default model.

Four real validation images (Kermany normal + bacterial pneumonia, NIH No Finding + Pneumonia; both
sources are openly licensed) preprocessed by the product (`cxr preprocess --format f32` with the
model's preprocess.json), four texts with their Hugging Face SiglipTokenizer ids, and PyTorch's
outputs of the shipped weights (fp16 file widened to fp32, as the C++ loader does):
  pixels.npy (4, 3, S, S) f32, input_ids.npy (4, L) i64, image_embeds.npy (4, D) f32 (pooled, not
  normalised), text_embeds.npy (4, D) f32, logits_per_image.npy (4, 4) f32, case.json.
tests/parity/default_model/ compares the C++ engine against these on every CPU backend.
Re-run after every export (the test checks the model's sha256 against case.json).

Usage: python tools/train/make_default_parity_fixture.py [--cxr build-train/bin/cxr]
"""
import argparse
import csv
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch
import transformers
from transformers import SiglipModel, SiglipTokenizer

import cxrdata

FIXTURE_DIR = cxrdata.REPO_DIR / "tests" / "fixtures" / "default_model"
TEXTS = [
    "pneumonia",
    "normal chest x-ray",
    "no evidence of pneumonia",
    # Mixed case, punctuation, digits: exercises canonicalisation and the case-folding tokenizer.
    "Bilateral patchy opacities; COVID-19 PCR positive (day 5), SpO2 88%.",
]
# (source, label predicate) for the four images: first validation image of each, by file name.
PICKS = [
    ("kermany-train", lambda label: label == "normal"),
    ("kermany-train", lambda label: label == "pneumonia;bacteria"),
    ("nih-dev", lambda label: label == "No Finding"),
    ("nih-dev", lambda label: "Pneumonia" in label.split("|")),
]


def pick_images() -> list[tuple[str, str, str]]:
    out = []
    for source, pred in PICKS:
        with open(cxrdata.SPLITS_DIR / f"{source}.csv", newline="") as f:
            rows = sorted((r for r in csv.DictReader(f) if r["split"] == "val" and pred(r["label"])),
                          key=lambda r: r["file"])
        out.append((source, rows[0]["file"], rows[0]["label"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxr", default=str(cxrdata.REPO_DIR / "build-train" / "bin" / "cxr"))
    ap.add_argument("--model", default=str(cxrdata.MODEL_DIR))
    ap.add_argument("--out", default=str(FIXTURE_DIR))
    args = ap.parse_args()
    model_dir = Path(args.model)
    fixture_dir = Path(args.out)
    fixture_dir.mkdir(parents=True, exist_ok=True)
    images = pick_images()
    paths = [str(cxrdata.DATA_DIR / s / f) for s, f, _ in images]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pixels.npy"
        subprocess.run([args.cxr, "preprocess", "--spec", str(model_dir / "preprocess.json"), "-o", str(out),
                        "--format", "f32", "--threads", "1", *paths], check=True)
        pixels = np.load(out).astype(np.float32)
    model = SiglipModel.from_pretrained(model_dir, dtype=torch.float32).eval()
    tok = SiglipTokenizer(str(model_dir / "spiece.model"))
    length = model.config.text_config.max_position_embeddings
    ids = tok(TEXTS, padding="max_length", truncation=True, max_length=length, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        img = model.get_image_features(pixel_values=torch.from_numpy(pixels)).pooler_output
        txt = model.get_text_features(input_ids=ids).pooler_output
        logits = model(pixel_values=torch.from_numpy(pixels), input_ids=ids).logits_per_image
    np.save(fixture_dir / "pixels.npy", np.ascontiguousarray(pixels))
    np.save(fixture_dir / "input_ids.npy", np.ascontiguousarray(ids.numpy().astype(np.int64)))
    np.save(fixture_dir / "image_embeds.npy", np.ascontiguousarray(img.numpy().astype(np.float32)))
    np.save(fixture_dir / "text_embeds.npy", np.ascontiguousarray(txt.numpy().astype(np.float32)))
    np.save(fixture_dir / "logits_per_image.npy", np.ascontiguousarray(logits.numpy().astype(np.float32)))
    case = {
        "model": "resources/models/cxr-siglip-default",
        "model_sha256": hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest(),
        "images": [{"source": s, "file": f, "label": l} for s, f, l in images],
        "texts": TEXTS,
        "logit_scale": float(model.logit_scale.detach().exp()),
        "logit_bias": float(model.logit_bias.detach()),
        "made_by": "tools/train/make_default_parity_fixture.py",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
    }
    (fixture_dir / "case.json").write_text(json.dumps(case, indent=1) + "\n")
    size = sum(p.stat().st_size for p in fixture_dir.iterdir())
    print(f"fixture: {fixture_dir} ({size / 1e3:.0f} kB)")
    print("logits_per_image:\n", np.array2string(logits.numpy(), precision=2))


if __name__ == "__main__":
    main()
