"""Evaluates the shipped default model on the by-patient validation splits.

Loads the exported model exactly as shipped (resources/models/cxr-siglip-default, fp16 weights
widened to fp32), embeds the validation images from the pixel cache, and measures:
  * zero-shot AUC with the product's scoring (resources/prompts/default.json, prompt ensembles):
    logit_f(x) = logit_scale * (<x, P_f> - <x, N_f>), P_f / N_f = normalised mean of the normalised
    positive / negative phrasing embeddings (model/include/cxr/model/findings.h);
  * image + notes (covid-notes): every note sentence is embedded with the text tower and scored
    against the same ensembles, note_logit = mean of the 3 highest sentence logits
    logit_scale * (<s, P_f> - <s, N_f>); combined log-odds = image_logit + note_logit (equal weights,
    nothing fitted);
  * few-shot AUC for k = 1, 2, 4, 8, 16 labelled studies per class: support studies drawn from the
    validation patients (one image per patient), scored on the images of the *other* validation
    patients; logistic regression (L2) and class prototypes on unit embeddings; 25 draws each;
  * 95% intervals: bootstrap over patients (1000 resamples) for zero-shot; 2.5-97.5 percentiles
    over draws for few-shot.
Writes a JSON of every number (the model card is generated from it).

Usage: python tools/train/evaluate.py --cache tools/train/cache/images_cxr_128.npy \
           --out tools/train/results/eval_default.json
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
import torch
from transformers import SiglipModel, SiglipTokenizer

import cxrdata
from metrics import auc, bootstrap_auc

SEED = 77
DRAWS = 25
KS = (1, 2, 4, 8, 16)


def load_prompts() -> tuple[dict, str]:
    product = cxrdata.REPO_DIR / "resources" / "prompts" / "default.json"
    path = product if product.exists() else cxrdata.TRAIN_DIR / "eval_prompts.json"
    data = json.loads(path.read_text())
    return {f["id"]: (f["positive"], f["negative"]) for f in data["findings"]}, str(path.relative_to(cxrdata.REPO_DIR))


class Embedder:
    def __init__(self, model_dir: Path):
        self.model = SiglipModel.from_pretrained(model_dir, dtype=torch.float32).eval()
        self.tok = SiglipTokenizer(str(model_dir / "spiece.model"))
        self.spec = json.loads((model_dir / "preprocess.json").read_text())
        self.text_len = self.model.config.text_config.max_position_embeddings
        self.scale = float(self.model.logit_scale.detach().exp())

    @torch.no_grad()
    def images(self, u8: np.ndarray) -> np.ndarray:
        mean = torch.tensor(self.spec["mean"]).view(1, 3, 1, 1)
        std = torch.tensor(self.spec["std"]).view(1, 3, 1, 1)
        out = []
        for i in range(0, len(u8), 64):
            x = torch.from_numpy(u8[i:i + 64]).float().div(255.0)[:, None].expand(-1, 3, -1, -1)
            e = self.model.vision_model(pixel_values=(x - mean) / std).pooler_output
            out.append(torch.nn.functional.normalize(e, dim=-1))
        return torch.cat(out).numpy()

    @torch.no_grad()
    def texts(self, texts: list[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), 128):
            ids = self.tok(texts[i:i + 128], padding="max_length", truncation=True, max_length=self.text_len,
                           return_tensors="pt")["input_ids"]
            e = self.model.text_model(input_ids=ids).pooler_output
            out.append(torch.nn.functional.normalize(e, dim=-1))
        return torch.cat(out).numpy()


def directions(emb: Embedder, prompts: dict) -> dict:
    out = {}
    for fid, (pos, neg) in prompts.items():
        p = emb.texts(pos).mean(0)
        n = emb.texts(neg).mean(0)
        out[fid] = (p / np.linalg.norm(p), n / np.linalg.norm(n))
    return out


def zero_shot(x: np.ndarray, d, scale: float) -> np.ndarray:
    return scale * (x @ d[0] - x @ d[1])


def note_logit(emb: Embedder, notes: str, d, scale: float) -> float | None:
    sents = cxrdata.note_sentences(notes)
    if not sents:
        return None
    s = zero_shot(emb.texts(sents), d, scale)
    return float(np.sort(s)[-3:].mean())


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """L2 logistic regression on unit embeddings; returns weights (D+1,) with the bias last."""
    X = torch.from_numpy(np.hstack([x, np.ones((len(x), 1))])).double()
    Y = torch.from_numpy(y).double()
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w], lr=1, max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        z = X @ w
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, Y) + l2 * (w[:-1] ** 2).sum() / len(X)
        loss.backward()
        return loss
    opt.step(closure)
    return w.detach().numpy()


def few_shot(x, y, patients, seed: int) -> dict:
    rng = random.Random(seed)
    by_class = {c: sorted({p for p, yy in zip(patients, y) if yy == c}) for c in (0, 1)}
    out = {}
    for k in KS:
        if min(len(v) for v in by_class.values()) < k + 3:
            continue
        res = {"logistic": [], "prototype": []}
        for _ in range(DRAWS):
            support_pat = {c: rng.sample(by_class[c], k) for c in (0, 1)}
            sup = []
            for c in (0, 1):
                for p in support_pat[c]:
                    sup.append(rng.choice([i for i, pp in enumerate(patients) if pp == p and y[i] == c]))
            held = set(support_pat[0]) | set(support_pat[1])
            test = np.array([i for i, p in enumerate(patients) if p not in held])
            xs, ys = x[sup], y[sup]
            w = fit_logistic(xs, ys)
            res["logistic"].append(auc(x[test] @ w[:-1], y[test]))
            proto = xs[ys == 1].mean(0) - xs[ys == 0].mean(0)
            res["prototype"].append(auc(x[test] @ proto, y[test]))
        out[k] = {m: {"mean": float(np.mean(v)), "lo": float(np.percentile(v, 2.5)),
                      "hi": float(np.percentile(v, 97.5))} for m, v in res.items()}
    return out


def tasks(records, splits):
    """(name, description, finding id, [(record index, label)])."""
    val = [(i, r) for i, r in enumerate(records) if splits[(r.source, r.file)] == "val"]
    t = []
    t.append(("kermany_pneumonia", "Kermany val: pneumonia vs normal (paediatric)", "pneumonia",
              [(i, int("pneumonia" in r.true)) for i, r in val if r.source == "kermany-train"]))
    t.append(("nih_pneumonia", "NIH val: Pneumonia vs No Finding (adult)", "pneumonia",
              [(i, int("pneumonia" in r.true)) for i, r in val if r.source == "nih-dev"]))
    t.append(("kermany_bacterial_vs_viral", "Kermany val pneumonia: bacterial vs viral", "bacterial_pneumonia",
              [(i, int("bacterial" in r.true)) for i, r in val if r.source == "kermany-train" and "pneumonia" in r.true]))
    t.append(("covid_vs_other", "covid-notes val: COVID-19 vs other findings", "covid19",
              [(i, int("covid" in r.true)) for i, r in val if r.source == "covid-notes-dev"]))
    return t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--model", default=str(cxrdata.MODEL_DIR))
    ap.add_argument("--out", default=str(cxrdata.TRAIN_DIR / "results" / "eval_default.json"))
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    records = cxrdata.load_records()
    splits = cxrdata.load_splits()
    cache = np.load(args.cache)
    emb = Embedder(Path(args.model))
    prompts, prompt_src = load_prompts()
    dirs = directions(emb, prompts)
    val_idx = sorted(i for i, r in enumerate(records) if splits[(r.source, r.file)] == "val")
    xall = dict(zip(val_idx, emb.images(cache[val_idx])))
    rng = np.random.default_rng(SEED)
    model_name = Path(args.model).resolve()
    if model_name.is_relative_to(cxrdata.REPO_DIR):
        model_name = model_name.relative_to(cxrdata.REPO_DIR)
    results = {"model": str(model_name),
               "cache": Path(args.cache).name, "prompts": prompt_src, "logit_scale": emb.scale,
               "logit_bias": float(emb.model.logit_bias.detach()), "tasks": {}}
    for name, desc, fid, items in tasks(records, splits):
        idx = [i for i, _ in items]
        y = np.array([l for _, l in items])
        pats = [records[i].patient for i in idx]
        x = np.stack([xall[i] for i in idx])
        s = zero_shot(x, dirs[fid], emb.scale)
        a, lo, hi = bootstrap_auc(s, y, pats, rng)
        r = {"description": desc, "finding": fid, "images": len(idx), "patients": len(set(pats)),
             "positives": int(y.sum()), "negatives": int((1 - y).sum()),
             "zero_shot": {"auc": a, "lo": lo, "hi": hi}}
        if name == "covid_vs_other":
            notes = [note_logit(emb, records[i].notes, dirs[fid], emb.scale) for i in idx]
            has = np.array([n is not None for n in notes])
            nl = np.array([n if n is not None else 0.0 for n in notes])
            sub_p = [p for p, h in zip(pats, has) if h]
            r["with_notes"] = {"images": int(has.sum()), "positives": int(y[has].sum()),
                               "negatives": int((1 - y[has]).sum())}
            for key, score in (("image_only", s[has]), ("notes_only", nl[has]), ("image_plus_notes", s[has] + nl[has])):
                a2, lo2, hi2 = bootstrap_auc(score, y[has], sub_p, rng)
                r["with_notes"][key] = {"auc": a2, "lo": lo2, "hi": hi2}
        r["few_shot"] = few_shot(x, y, pats, SEED)
        results["tasks"][name] = r
        print(f"{name}: zero-shot AUC {a:.3f} [{lo:.3f}, {hi:.3f}] ({len(idx)} images, {int(y.sum())} pos)", flush=True)
        if "with_notes" in r:
            w = r["with_notes"]
            print("   with notes ({} images): image {:.3f}, notes {:.3f}, image+notes {:.3f}".format(
                w["images"], w["image_only"]["auc"], w["notes_only"]["auc"], w["image_plus_notes"]["auc"]))
        for k, v in r["few_shot"].items():
            print(f"   k={k}: logistic {v['logistic']['mean']:.3f} [{v['logistic']['lo']:.3f}, {v['logistic']['hi']:.3f}]"
                  f"  prototype {v['prototype']['mean']:.3f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
