"""Trains the default CXR SigLIP from scratch on the train splits, then exports it.

Recipe (one stage, CPU-sized):
  * SigLIP sigmoid loss over image <-> caption pairs with multi-positive targets: caption j is a
    positive for image i whenever its claim holds for i (cxrdata.caption_true), so the many
    identical/compatible captions in a batch never fight each other.
  * Auxiliary supervised head (linear, on the image embedding) over the core concepts, masked
    binary cross-entropy. It speeds up learning from little data and is dropped at export: the
    shipped artefact is a plain Hugging Face SiglipModel.
  * Source-balanced sampling (Kermany dominates the image count), augmentation on the uint8 cache:
    rotation +-7 deg, random resized crop (area 0.85-1.0), contrast/gamma/brightness; no flips.
Fixed seeds; deterministic given the same cache, threads and library versions.

Usage: python tools/train/train.py --cache cache/images_cxr_128.npy --stages 64:1500,128:500 --out runs/final
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from transformers import SiglipConfig, SiglipModel, SiglipTokenizer

import cxrdata

CORE = ["normal", "pneumonia", "bacterial", "viral", "covid", "age:child", "view:ap", "view:pa"] + [
    "nih:" + k for k in cxrdata.NIH_PHRASES]
CORE_FINDINGS = {"normal", "pneumonia", "bacterial", "viral", "covid"}
SOURCE_WEIGHTS = {"kermany-train": 0.55, "nih-dev": 0.27, "covid-notes-dev": 0.18}
TEXT_LEN = 64


def model_config(vocab_size: int, image_size: int) -> SiglipConfig:
    # Sized for a shared 2-core CPU budget (~0.2 s per 128-px image forward+backward measured under
    # load): vision 192 wide x 4 layers, text 128 wide x 3 layers projected to 192; 64-dim heads.
    text = dict(vocab_size=vocab_size, hidden_size=128, intermediate_size=512, num_hidden_layers=3,
                num_attention_heads=2, max_position_embeddings=TEXT_LEN, pad_token_id=1, eos_token_id=1,
                bos_token_id=None, projection_size=192, layer_norm_eps=1e-6,
                hidden_act="gelu_pytorch_tanh")
    vision = dict(hidden_size=192, intermediate_size=768, num_hidden_layers=4, num_attention_heads=3,
                  num_channels=3, image_size=image_size, patch_size=16, layer_norm_eps=1e-6,
                  hidden_act="gelu_pytorch_tanh", vision_use_head=True)
    return SiglipConfig(text_config=text, vision_config=vision)


class Captions:
    """Caption pools per record and a token-id table for every distinct caption text."""

    def __init__(self, records, tokenizer):
        self.pools = []
        texts = {}
        for rec in records:
            label = cxrdata.captions_for(rec)
            core = [c for c in label if (c[1] | c[2]) & CORE_FINDINGS and ":" not in c[0]]
            combo = [c for c in label if ":" in c[0]]
            other = [c for c in label if c not in core and c not in combo]
            notes = cxrdata.note_captions(rec)
            self.pools.append((core, combo, other, notes))
            for c in core + combo + other + notes:
                texts.setdefault(c[0], len(texts))
        self.index = texts
        ids = tokenizer(list(texts), padding="max_length", truncation=True, max_length=TEXT_LEN)["input_ids"]
        self.ids = torch.tensor(ids, dtype=torch.long)

    def sample(self, i: int, rng: random.Random):
        core, combo, other, notes = self.pools[i]
        r = rng.random()
        if notes and r < 0.30:
            pool = notes
        elif r < 0.70 or not (combo or other):
            pool = core or combo or other
        elif r < 0.85 and combo:
            pool = combo
        else:
            pool = other or combo
        return rng.choice(pool)


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """x: (B, S, S) float in [0, 1] -> augmented (B, S, S). Geometric + intensity, no flips."""
    b = x.shape[0]
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(b, generator=gen)
    angle = u(-7.0, 7.0) * math.pi / 180
    zoom = torch.sqrt(u(0.85, 1.0))                   # crop area fraction -> side fraction
    aspect = torch.exp(u(-0.05, 0.05))
    sx, sy = zoom * aspect, zoom / aspect
    tx, ty = u(-1, 1) * (1 - sx).clamp(min=0), u(-1, 1) * (1 - sy).clamp(min=0)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos * sx, -sin * sy, tx], 1),
                         torch.stack([sin * sx, cos * sy, ty], 1)], 1)
    grid = F.affine_grid(theta, (b, 1, *x.shape[1:]), align_corners=False)
    x = F.grid_sample(x[:, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)[:, 0]
    gamma = torch.exp(u(-0.25, 0.25))[:, None, None]
    contrast = u(0.85, 1.15)[:, None, None]
    bright = u(-0.05, 0.05)[:, None, None]
    x = x.clamp(0, 1) ** gamma
    x = ((x - 0.5) * contrast + 0.5 + bright).clamp(0, 1)
    return x


def to_pixels(u8: torch.Tensor, spec: dict) -> torch.Tensor:
    """(B, S, S) in [0, 1] -> (B, 3, S, S) model tensor: (p - mean)/std per channel, gray replicated."""
    mean = torch.tensor(spec["mean"]).view(1, 3, 1, 1)
    std = torch.tensor(spec["std"]).view(1, 3, 1, 1)
    return (u8[:, None].expand(-1, 3, -1, -1) - mean) / std


def siglip_multi_positive_loss(img, txt, scale, bias, targets):
    """img: (B, D), txt: (K, D) normalised; targets: (B, K) in {0,1}. Mean over images of sum over texts."""
    logits = img @ txt.t() * scale.exp() + bias
    signs = 2 * targets - 1
    return -F.logsigmoid(signs * logits).sum(1).mean()


def concept_targets(records, idx):
    t = torch.zeros(len(idx), len(CORE))
    m = torch.zeros(len(idx), len(CORE))
    for r, i in enumerate(idx):
        rec = records[i]
        for c, name in enumerate(CORE):
            if name in rec.true:
                t[r, c], m[r, c] = 1, 1
            elif name in rec.false:
                m[r, c] = 1
            elif name.startswith("view:") and any(v.startswith("view:") for v in rec.true):
                m[r, c] = 1
            elif name == "age:child" and any(v.startswith("age:") for v in rec.true):
                m[r, c] = 1
    return t, m


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--tokenizer", default=str(cxrdata.CACHE_DIR / "spiece.model"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--stages", default="64:1500,128:500",
                    help="progressive resizing: SIZE:STEPS,... (low-res steps are ~4x cheaper; the "
                         "position embeddings are interpolated, the last stage runs at the spec size)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--captions", type=int, default=16)
    ap.add_argument("--mix", type=float, default=0.2)
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=150)
    ap.add_argument("--aux-weight", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1203)
    ap.add_argument("--threads", type=int, default=1,
                    help="1 is faster than 2 on a shared, oversubscribed 2-core machine (measured)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    spec = json.loads((cxrdata.TRAIN_DIR / "preprocess.json.in").read_text())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stages = [tuple(int(v) for v in st.split(":")) for st in args.stages.split(",")]
    args.steps = sum(n for _, n in stages)
    # Within the non-final stages a fraction --mix of the steps runs at the final size, so every
    # checkpoint has seen full-resolution inputs (robust to stopping early on a shared machine).
    mix_rng = random.Random(args.seed + 1)
    stage_of_step = [size if (k == len(stages) - 1 or mix_rng.random() >= args.mix) else stages[-1][0]
                     for k, (size, n) in enumerate(stages) for _ in range(n)]
    assert stages[-1][0] == spec["image_size"], "the last stage must run at the shipped image size"

    records = cxrdata.load_records()
    splits = cxrdata.load_splits()
    images = torch.from_numpy(np.load(args.cache))
    assert images.shape[0] == len(records)
    tok = SiglipTokenizer(args.tokenizer)
    caps = Captions(records, tok)
    by_source = {s: [i for i, r in enumerate(records) if r.source == s and splits[(s, r.file)] == "train"]
                 for s in cxrdata.SOURCES}
    sources, weights = zip(*SOURCE_WEIGHTS.items())

    cfg = model_config(tok.vocab_size, spec["image_size"])
    model = SiglipModel(cfg)
    with torch.no_grad():
        model.logit_scale.fill_(math.log(10.0))
        model.logit_bias.fill_(-5.0)
    aux = torch.nn.Linear(cfg.vision_config.hidden_size, len(CORE))
    params = list(model.parameters()) + list(aux.parameters())
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / args.warmup) * 0.5 * (
        1 + math.cos(math.pi * min(1.0, s / args.steps))))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params / 1e6:.2f}M parameters; train images " +
          ", ".join(f"{s} {len(v)}" for s, v in by_source.items()), flush=True)

    model.train()
    t0 = time.time()
    log = []
    for step in range(args.steps):
        idx = [rng.choice(by_source[rng.choices(sources, weights)[0]]) for _ in range(args.batch)]
        # One caption drawn per image, de-duplicated, at most --captions per step: the loss runs over
        # the (images x distinct captions) matrix, targets from the claims (multi-positive).
        chosen = list(dict.fromkeys(caps.sample(i, rng) for i in idx))
        if len(chosen) > args.captions:
            chosen = rng.sample(chosen, args.captions)
        targets = torch.tensor([[float(cxrdata.caption_true(c, records[i])) for c in chosen] for i in idx])
        x = augment(images[idx].float() / 255.0, gen)
        size = stage_of_step[step]
        if size != x.shape[-1]:
            x = F.interpolate(x[:, None], size=(size, size), mode="area")[:, 0]
        pix = to_pixels(x, spec)
        ids = caps.ids[[caps.index[c[0]] for c in chosen]]
        img = model.vision_model(pixel_values=pix, interpolate_pos_encoding=size != spec["image_size"]).pooler_output
        txt = model.text_model(input_ids=ids).pooler_output
        loss_c = siglip_multi_positive_loss(F.normalize(img, dim=-1), F.normalize(txt, dim=-1),
                                            model.logit_scale, model.logit_bias, targets)
        ct, cm = concept_targets(records, idx)
        loss_a = (F.binary_cross_entropy_with_logits(aux(img), ct, reduction="none") * cm).sum() / cm.sum()
        loss = loss_c + args.aux_weight * loss_a
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        if step % 25 == 0 or step == args.steps - 1:
            el = time.time() - t0
            print(f"step {step}/{args.steps} loss {loss_c.item():.3f} aux {loss_a.item():.3f} "
                  f"scale {model.logit_scale.exp().item():.1f} bias {model.logit_bias.item():.2f} "
                  f"lr {sched.get_last_lr()[0]:.2e} px {size} {el / (step + 1):.2f}s/step", flush=True)
            log.append(dict(step=step, loss=loss_c.item(), aux=loss_a.item(), seconds=el))
        if (step + 1) % args.checkpoint_every == 0 and step + 1 < args.steps:
            model.save_pretrained(out / "checkpoint")
            (out / "checkpoint" / "step.txt").write_text(f"{step + 1}\n")
    (out / "train_log.json").write_text(json.dumps(dict(args=vars(args), log=log), indent=1))
    model.save_pretrained(out / "fp32")
    torch.save(aux.state_dict(), out / "aux_head.pt")
    print(f"trained in {time.time() - t0:.0f}s -> {out}")


if __name__ == "__main__":
    main()
