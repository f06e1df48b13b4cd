"""Few-shot with the product's own site adapter: `cxr teach` then `cxr eval`, on unseen patients.

evaluate.py measures few-shot on the embeddings in Python (plain logistic regression, prototypes).
What a site actually gets is `cxr teach`: a logistic adapter anchored to the prompt direction, its
strength chosen by leave-one-out (docs/findings.md). This runs that, through the `cxr` binary:
for each draw, k validation patients per class (one image each) teach the adapter, and `cxr eval`
scores the validation images of every other patient, zero-shot and with the adapter (AUC with a
bootstrap-by-patient interval). Mean over draws, 2.5-97.5 percentiles over draws.

Usage: python tools/train/eval_teach.py --cxr build/bin/cxr [--draws 25] [--ks 1,2,4,8,16]
       [--out results/eval_teach.json]
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np

import cxrdata

TASKS = {  # name: (split CSV, finding id, label -> 1/0/None)
    "nih_pneumonia": ("nih-dev", "pneumonia",
                      lambda l: 1 if "Pneumonia" in l else (0 if l == "No Finding" else None)),
}
AUC_LINE = re.compile(r"AUC (\d\.\d+) \(95% CI (\d\.\d+)-(\d\.\d+)")


def val_rows(dataset: str, label_of):
    rows = []
    with open(cxrdata.TRAIN_DIR / "splits" / f"{dataset}.csv") as f:
        for r in csv.DictReader(f):
            y = label_of(r["label"])
            if r["split"] == "val" and y is not None:
                rows.append((str(cxrdata.DATA_DIR / dataset / r["file"]), r["patient"], y))
    return rows


def run_eval(cxr: str, labels_csv: Path, finding: str, library: str | None) -> tuple[float, float, float]:
    cmd = [cxr, "eval", "--labels", str(labels_csv), "--finding", finding, "--rounds", "500", "--threads", "2"]
    if library:
        cmd += ["--library", library]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = AUC_LINE.search(out)
    if not m:
        raise SystemExit(f"cxr eval printed no AUC: {out}")
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def draw(rows, k: int, rng: random.Random):
    """k patients per class (one image each) to teach; the other patients' images to score."""
    by_class = {0: {}, 1: {}}
    for path, patient, y in rows:
        by_class[y].setdefault(patient, path)
    teach = {y: rng.sample(sorted(p.items()), k) for y, p in by_class.items()}
    taught_patients = {patient for y in teach for patient, _ in teach[y]}
    test = [r for r in rows if r[1] not in taught_patients]
    return [p for _, p in teach[1]], [p for _, p in teach[0]], test


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cxr", default=str(cxrdata.REPO_DIR / "build-train" / "bin" / "cxr"))
    ap.add_argument("--draws", type=int, default=25)
    ap.add_argument("--ks", default="1,2,4,8,16")
    ap.add_argument("--seed", type=int, default=1203)
    ap.add_argument("--out", default=str(cxrdata.TRAIN_DIR / "results" / "eval_teach.json"))
    args = ap.parse_args()
    results = {}
    for name, (dataset, finding, label_of) in TASKS.items():
        rows = val_rows(dataset, label_of)
        results[name] = {"finding": finding, "images": len(rows), "k": {}}
        for k in [int(v) for v in args.ks.split(",")]:
            rng = random.Random(args.seed + k)
            zero, taught = [], []
            for d in range(args.draws):
                positives, negatives, test = draw(rows, k, rng)
                with tempfile.TemporaryDirectory() as tmp:
                    labels = Path(tmp) / "labels.csv"
                    with open(labels, "w", newline="") as f:
                        w = csv.writer(f)
                        w.writerow(["path", "finding", "label", "patient"])
                        for path, patient, y in test:
                            w.writerow([path, finding, y, patient])
                    library = str(Path(tmp) / "site.json")
                    subprocess.run([args.cxr, "teach", finding, "--positive", *positives, "--negative", *negatives,
                                    "--library", library, "--user", "eval_teach", "--threads", "2"],
                                   capture_output=True, text=True, check=True)
                    zero.append(run_eval(args.cxr, labels, finding, None)[0])
                    taught.append(run_eval(args.cxr, labels, finding, library)[0])
            summary = lambda v: {"mean": float(np.mean(v)), "lo": float(np.percentile(v, 2.5)),
                                 "hi": float(np.percentile(v, 97.5)), "draws": v}
            results[name]["k"][str(k)] = {"zero_shot": summary(zero), "adapter": summary(taught)}
            print(f"{name} k={k}: cxr teach adapter {np.mean(taught):.3f} [{np.percentile(taught, 2.5):.3f}, "
                  f"{np.percentile(taught, 97.5):.3f}] vs zero-shot on the same images {np.mean(zero):.3f} "
                  f"({args.draws} draws)", flush=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
