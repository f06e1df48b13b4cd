"""Image + clinical notes, measured through the product: `cxr analyze --notes-csv`.

evaluate.py fuses notes with its own simplified rule in Python. What a radiologist actually gets is
the product's fusion (docs/findings.md, "Notes"): text-tower evidence read against neutral
sentences, negation-aware term matching, competing diagnoses, strongest-for + strongest-against.
This runs that, through the `cxr` binary, on the covid-notes images that have clinical notes:
  * image only:     `cxr analyze` without notes (image_logit),
  * notes only:     the notes' log-odds (notes_logit; ties when notes say nothing),
  * image + notes:  the product's log-odds (image_logit + notes_logit),
for COVID-19 vs every other label, AUC with a 95% bootstrap-by-patient interval. It also lists,
for the non-COVID images, what the notes did (file, label, notes log-odds, strongest sentence), so a
reader can see which case moved and why.

The `val` split is the by-patient validation split (never trained on). The `train` split has more
cases for the notes rules: the text tower saw those notes in training and the image tower saw those
images, so its image-only and semantic numbers are optimistic. The lexical rules (terms, negation,
tests, exposures, competing diagnoses) were not fitted, but they were written while reading
narratives of both splits, so both are development numbers.

Usage: python tools/train/eval_notes.py --cxr build/bin/cxr [--split val|train|all]
       [--out results/eval_notes.json]
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

import cxrdata
from metrics import bootstrap_auc, bootstrap_auc_gain

DATASET = "covid-notes-dev"
FINDING = "covid19"
SEED = 77


def rows_with_notes(split: str):
    """(path, patient, label, y, notes) for the images of `split` that have clinical notes."""
    with open(cxrdata.SPLITS_DIR / f"{DATASET}.csv") as f:
        split_of = {r["file"]: r["split"] for r in csv.DictReader(f)}
    rows = []
    with open(cxrdata.DATA_DIR / DATASET / "labels.csv") as f:
        for r in csv.DictReader(f):
            notes = r["clinical_notes"].strip()
            if not notes or (split != "all" and split_of.get(r["file"]) != split):
                continue
            y = 1 if "COVID-19" in r["finding"] else 0
            rows.append((str(cxrdata.DATA_DIR / DATASET / r["file"]), r["patient_id"], r["finding"], y, notes))
    return rows


def analyze(cxr: str, rows, notes_csv: Path | None, out: Path) -> dict:
    """path -> (image_logit, notes_logit, strongest evidence sentence) from `cxr analyze --format json`."""
    cmd = [cxr, "analyze", *[r[0] for r in rows], "--findings", FINDING, "--format", "json", "-o", str(out),
           "--threads", "2", "--batch", "16"]
    if notes_csv is not None:
        cmd += ["--notes-csv", str(notes_csv)]
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    result = {}
    for inst in json.loads(out.read_text())["instances"]:
        f = next(x for x in inst["findings"] if x["id"] == FINDING)
        ev = f.get("evidence") or []
        top = f"{ev[0]['delta_logit']:+.2f} \"{ev[0]['sentence'][:90]}\"" if ev else ""
        result[inst["path"]] = (f["image_logit"], f["notes_logit"], top)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cxr", default=str(cxrdata.REPO_DIR / "build" / "bin" / "cxr"))
    ap.add_argument("--split", default="val", choices=("val", "train", "all"))
    ap.add_argument("--out", default=str(cxrdata.TRAIN_DIR / "results" / "eval_notes.json"))
    args = ap.parse_args()
    rows = rows_with_notes(args.split)
    with tempfile.TemporaryDirectory() as tmp:
        notes_csv = Path(tmp) / "notes.csv"
        with open(notes_csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["path", "notes"])
            w.writerows([(r[0], r[4]) for r in rows])
        plain = analyze(args.cxr, rows, None, Path(tmp) / "plain.json")
        fused = analyze(args.cxr, rows, notes_csv, Path(tmp) / "fused.json")
    y = np.array([r[3] for r in rows])
    patients = [r[1] for r in rows]
    image = np.array([plain[r[0]][0] for r in rows])
    notes = np.array([fused[r[0]][1] for r in rows])
    both = np.array([fused[r[0]][0] + fused[r[0]][1] for r in rows])
    if not np.allclose(image, [fused[r[0]][0] for r in rows], atol=1e-4):
        raise SystemExit("image_logit differs with and without notes: the runs are not comparable")
    rng = np.random.default_rng(SEED)
    results = {"split": args.split, "finding": FINDING, "images": len(rows), "patients": len(set(patients)),
               "positives": int(y.sum()), "negatives": int((1 - y).sum())}
    for key, score in (("image_only", image), ("notes_only", notes), ("image_plus_notes", both)):
        a, lo, hi = bootstrap_auc(score, y, patients, rng)
        results[key] = {"auc": a, "lo": lo, "hi": hi}
        print(f"{key:17s} AUC {a:.3f} ({lo:.3f}-{hi:.3f})")
    gain = bootstrap_auc_gain(image, both, y, patients, rng)
    results["gain"] = gain
    print(f"gain from notes  {gain['gain']:+.3f} (paired bootstrap by patient {gain['lo']:+.3f} to {gain['hi']:+.3f}; "
          f"> 0 in {100 * gain['share_positive']:.0f}% of resamples)")
    results["mean_notes_logit"] = {"covid19": float(notes[y == 1].mean()), "other": float(notes[y == 0].mean())}
    results["negatives_detail"] = [
        {"file": Path(r[0]).name, "label": r[2], "image_logit": round(float(plain[r[0]][0]), 3),
         "notes_logit": round(float(fused[r[0]][1]), 3), "strongest": fused[r[0]][2]}
        for r in rows if r[3] == 0]
    print(f"{results['images']} images ({results['positives']} COVID-19, {results['negatives']} other) of "
          f"{results['patients']} patients, split {args.split}; mean notes log-odds COVID-19 "
          f"{results['mean_notes_logit']['covid19']:+.2f}, other {results['mean_notes_logit']['other']:+.2f}")
    for d in results["negatives_detail"]:
        print(f"  {d['label']:14s} image {d['image_logit']:+6.2f} notes {d['notes_logit']:+5.2f}  {d['strongest']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
