"""Writes the by-patient train/validation splits (tools/train/splits/<source>.csv).

Fixed seed; 20% of each source's patients go to validation. A patient's images are never split
across train and validation. Re-running gives the same files.
Usage: python tools/train/make_splits.py
"""
import csv
import random

import cxrdata

VAL_FRACTION = 0.20
SEED = 20261203


def main() -> None:
    records = cxrdata.load_records()
    cxrdata.SPLITS_DIR.mkdir(parents=True, exist_ok=True)
    for source in cxrdata.SOURCES:
        recs = [r for r in records if r.source == source]
        patients = sorted({r.patient for r in recs})
        rng = random.Random(f"{SEED}:{source}")
        rng.shuffle(patients)
        val = set(patients[: round(len(patients) * VAL_FRACTION)])
        out = cxrdata.SPLITS_DIR / f"{source}.csv"
        with open(out, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["file", "patient", "label", "split"])
            for r in recs:
                w.writerow([r.file, r.patient, r.label, "val" if r.patient in val else "train"])
        n_val = sum(r.patient in val for r in recs)
        print(f"{source}: {len(patients)} patients, {len(recs)} images, val {len(val)} patients / {n_val} images")


if __name__ == "__main__":
    main()
