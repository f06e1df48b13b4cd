"""Builds the uint8 image cache the trainer reads: (N, S, S) gray images, resized for the model.

Backend "cxr" (the default, and what the shipped model is trained on) runs the product's own
preprocessing, `cxr preprocess --spec preprocess.json --list PATHS -o OUT.npy --format u8`, so the
model learns from exactly the pixels the product feeds it. Backend "pil" is a stand-in (Pillow
box-filter letterbox) used only before `cxr preprocess` existed; it is not used for the shipped model.

Rows follow cxrdata.load_records() order. Writes cache/images_<backend>_<S>.npy.
Usage: python tools/train/build_cache.py [--backend cxr|pil] [--cxr build-train/app/cli/cxr]
"""
import argparse
import json
import subprocess
from pathlib import Path

import numpy as np

import cxrdata

SPEC = cxrdata.TRAIN_DIR / "preprocess.json.in"


def cache_path(backend: str, size: int) -> Path:
    return cxrdata.CACHE_DIR / f"images_{backend}_{size}.npy"


def build_with_cxr(paths: list[str], cxr: str, out: Path) -> None:
    lst = out.with_suffix(".list.txt")
    lst.write_text("\n".join(paths) + "\n")
    subprocess.run([cxr, "preprocess", "--spec", str(SPEC), "--list", str(lst), "-o", str(out),
                    "--format", "u8"], check=False)
    written = Path(str(out.with_suffix("")) + ".paths.txt")
    if written.exists():
        got = written.read_text().split("\n")
        got = [g for g in got if g]
        if got != paths:
            raise SystemExit(f"{written}: row order differs from the input list")
    failed = Path(str(out.with_suffix("")) + ".failed.txt")
    if failed.exists() and failed.read_text().strip():
        raise SystemExit(f"cxr preprocess failed on some inputs, see {failed}")


def build_with_pil(paths: list[str], size: int, pad: int, out: Path) -> None:
    from PIL import Image
    arr = np.full((len(paths), size, size), pad, np.uint8)
    for i, p in enumerate(paths):
        im = Image.open(p).convert("L")
        w, h = im.size
        scale = size / max(w, h)
        nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
        im = im.resize((nw, nh), Image.BOX)
        x0, y0 = (size - nw) // 2, (size - nh) // 2
        arr[i, y0:y0 + nh, x0:x0 + nw] = np.asarray(im)
    np.save(out, arr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["cxr", "pil"], default="cxr")
    ap.add_argument("--cxr", default=str(cxrdata.REPO_DIR / "build-train" / "bin" / "cxr"))
    args = ap.parse_args()
    spec = json.loads(SPEC.read_text())
    size = spec["image_size"]
    paths = [r.path for r in cxrdata.load_records()]
    out = cache_path(args.backend, size)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.backend == "cxr":
        build_with_cxr(paths, args.cxr, out)
    else:
        build_with_pil(paths, size, spec["pad_value"], out)
    arr = np.load(out)
    assert arr.shape == (len(paths), size, size) and arr.dtype == np.uint8, (arr.shape, arr.dtype)
    print(f"cache: {out} {arr.shape} mean {arr.mean():.1f}")


if __name__ == "__main__":
    main()
