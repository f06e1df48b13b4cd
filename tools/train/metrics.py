"""AUC and its bootstrap-by-patient interval (shared by the evaluation scripts; numpy only)."""
from __future__ import annotations

import numpy as np

BOOTSTRAP = 1000


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    n_pos = int((labels == 1).sum())
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)
    avg_rank = upper - (counts - 1) / 2.0          # 1-based average rank of each distinct value
    rank_sum = avg_rank[inverse][labels == 1].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def patient_resamples(patients, rng: np.random.Generator):
    """BOOTSTRAP index arrays, each drawing len(patients) patients with replacement; all images of a
    drawn patient go together."""
    uniq = sorted(set(patients))
    rows = {p: [] for p in uniq}
    for i, p in enumerate(patients):
        rows[p].append(i)
    for _ in range(BOOTSTRAP):
        pick = rng.integers(0, len(uniq), len(uniq))
        yield np.concatenate([rows[uniq[k]] for k in pick])


def bootstrap_auc(scores, labels, patients, rng: np.random.Generator) -> tuple[float, float, float]:
    """AUC and its 95% interval, resampling patients."""
    vals = []
    for idx in patient_resamples(patients, rng):
        a = auc(scores[idx], labels[idx])
        if not np.isnan(a):
            vals.append(a)
    return auc(scores, labels), float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))


def bootstrap_auc_gain(before, after, labels, patients, rng: np.random.Generator) -> dict:
    """AUC(after) - AUC(before) on the same images, with a paired bootstrap over patients: each resample
    scores both on the same patients, so the interval is of the gain itself (much narrower than the two
    AUCs' own intervals when the scores are correlated). Also the share of resamples with a gain > 0."""
    gains = []
    for idx in patient_resamples(patients, rng):
        a, b = auc(before[idx], labels[idx]), auc(after[idx], labels[idx])
        if not (np.isnan(a) or np.isnan(b)):
            gains.append(b - a)
    return {"gain": auc(after, labels) - auc(before, labels), "lo": float(np.percentile(gains, 2.5)),
            "hi": float(np.percentile(gains, 97.5)), "share_positive": float(np.mean(np.array(gains) > 0))}
