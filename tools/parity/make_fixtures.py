#!/usr/bin/env python3
"""Generates the SigLIP parity fixtures under tests/fixtures/parity/<case>/.

Each case is a tiny random SigLIP model built with Hugging Face transformers (fixed seeds), saved with
save_pretrained, plus a tiny SentencePiece tokenizer trained here on real clinical sentences, plus the
reference outputs of transformers' SiglipModel on real chest X-ray crops and real clinical texts. The C++
loader, tokenizer and encoders are checked against these files (tests/unit/model_io, tests/parity).

Usage (from the repository root; versions pinned in tools/parity/requirements.txt):
    python3 tools/parity/make_fixtures.py [--out tests/fixtures/parity] [--data /work/shared/data]

Outputs per case (shapes: B images, T texts, L text length, S image side, P patches, H hidden):
    config.json, model.safetensors (or model-0000x-of-0000y.safetensors + model.safetensors.index.json),
    spiece.model (a file in small/, a relative symlink to it elsewhere), pixel_values.npy (B,3,S,S) f32, input_ids.npy (T,L) i64, texts.json,
    image_embeds.npy (B,Dv) pooled vision head output (not normalised), text_embeds.npy (T,Dt) pooled text
    head output (not normalised), logits_per_image.npy (B,T), vision_last_hidden_state.npy (B,P,H),
    text_last_hidden_state.npy (T,L,Ht), ref_tensor_f32.npy (one stored tensor converted to f32), case.json.

Data licences: X-ray crops come from NIH ChestX-ray14 (nih-dev, unrestricted) and Kermany et al.
(kermany-train, CC BY 4.0). Clinical sentences come from the COVID-19 image data collection metadata
(covid-notes-dev clinical_notes, CC BY-NC-SA 4.0): the tokenizer is trained on them and a few of them are
stored in texts.json, so those derived files carry that licence. No covid-notes image is used.
"""
import argparse
import csv
import io
import json
import math
import os
import platform
import random
import shutil
import string
import sys
import tempfile

import numpy as np
import sentencepiece as spm
import torch
import transformers
from PIL import Image
from safetensors.torch import load_file
from transformers import SiglipConfig, SiglipModel, SiglipTokenizer

SEED = 20260312
VOCAB_SIZE = 512
REF_TENSOR = "text_model.embeddings.position_embedding.weight"

# Texts every case tokenizes and runs through the text tower. Chosen to exercise the tokenizer's
# canonicalisation: upper case, punctuation, odd whitespace, non-ASCII letters (with full Unicode
# lower-casing: final sigma, dotted capital I), Korean (unknown pieces), the empty text, and literal
# special-token strings (Hugging Face splits on them).
EXTRA_TEXTS = [
    "",
    "pneumonia",
    "No Finding",
    "  Pleural   effusion!!\t(left),\n  small -- ?  ",
    "RIGHT LOWER LOBE CONSOLIDATION; r/o aspiration.",
    "폐렴 의심, 흉부 X선 검사 필요",
    "Épanchement pleural à droite, ÉTAT stable",
    "ΟΔΟΣ ΣΟΦΟΣ İstanbul ß",
    "fever</s> cough <unk>dyspnea",
    "tab\tseparated\u00a0nbsp\u2003emspace\u3000ideographic",
    "\u2581leading underline and ▁inner",
]
# Invalid UTF-8 byte strings: the C++ tokenizer replaces each maximal invalid subsequence by U+FFFD,
# exactly as Python's bytes.decode("utf-8", errors="replace"), and reports it.
INVALID_UTF8 = [
    b"pleural \xff effusion \xc3( bilateral",
    b"opacity \xe2\x82 and \xf0\x9f\x98 end\xed\xa0\x80",
]
LABEL_PHRASES = [
    "a chest x-ray showing pneumonia", "a chest x-ray with no finding", "pleural effusion",
    "consolidation", "atelectasis", "cardiomegaly", "pulmonary edema", "infiltration", "nodule", "mass",
    "pneumothorax", "bacterial pneumonia", "viral pneumonia", "covid-19 pneumonia", "normal chest radiograph",
    "ground-glass opacity", "bilateral patchy opacities", "interstitial opacities", "lobar consolidation",
]

CASES = {
    # name: (vision kwargs, text kwargs, extra)
    "small": dict(
        vision=dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                    image_size=32, patch_size=8),
        text=dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  max_position_embeddings=24),
        image_px=32, dtype="float32", exercises="baseline fp32 SigLIP: 2 layers per tower, MAP head, text head"),
    "odd": dict(
        vision=dict(hidden_size=52, intermediate_size=100, num_hidden_layers=1, num_attention_heads=4,
                    image_size=30, patch_size=6),
        text=dict(hidden_size=36, intermediate_size=76, num_hidden_layers=1, num_attention_heads=3,
                  max_position_embeddings=13, projection_size=52),
        image_px=30, dtype="float32",
        exercises="odd sizes: vision hidden 52 (4 heads of 13), intermediate 100, 5x5 patches of 6; text hidden 36 "
                  "(3 heads of 12) projected to 52, text length 13"),
    "interp": dict(
        vision=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                    image_size=32, patch_size=8),
        text=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                  max_position_embeddings=16),
        image_px=48, interpolate_pos_encoding=True, dtype="float32",
        exercises="model image size 32 (4x4 positions), inputs 48 px (6x6 patches): "
                  "interpolate_pos_encoding=True (bicubic, align_corners=False)"),
    "bf16": dict(
        vision=dict(hidden_size=48, intermediate_size=96, num_hidden_layers=1, num_attention_heads=4,
                    image_size=32, patch_size=8),
        text=dict(hidden_size=48, intermediate_size=96, num_hidden_layers=1, num_attention_heads=4,
                  max_position_embeddings=16),
        image_px=32, dtype="bfloat16",
        exercises="weights stored BF16; reference outputs computed in fp32 from the bf16-rounded weights"),
    "sharded_fp16": dict(
        vision=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                    image_size=32, patch_size=8),
        text=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                  max_position_embeddings=16),
        image_px=32, dtype="float16", max_shard_size="40KB",
        exercises="weights stored F16 in several shards with model.safetensors.index.json; reference outputs "
                  "computed in fp32 from the fp16-rounded weights"),
    "patch14": dict(
        vision=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=4,
                    image_size=56, patch_size=14),
        text=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=4,
                  max_position_embeddings=16),
        image_px=56, dtype="float32",
        exercises="MedSigLIP-style patch 14 (56 px -> 4x4 patches of 14)"),
}


def load_notes(data_dir):
    path = os.path.join(data_dir, "cxr", "covid-notes-dev", "labels.csv")
    with open(path, newline="", encoding="utf-8") as f:
        notes = [r["clinical_notes"].strip() for r in csv.DictReader(f) if r["clinical_notes"].strip()]
    return sorted(set(notes))


def train_spiece(notes, out_path):
    """Trains a tiny unigram SentencePiece model with SigLIP's special pieces (<pad>=0, </s>=1, <unk>=2)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            for line in notes + LABEL_PHRASES:
                f.write(line.replace("\n", " ") + "\n")
        prefix = os.path.join(tmp, "spiece")
        spm.set_random_generator_seed(SEED)  # the trainer samples sentences: make the model reproducible
        spm.SentencePieceTrainer.train(
            input=corpus, model_prefix=prefix, vocab_size=VOCAB_SIZE, model_type="unigram",
            pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=0.9995,
            normalization_rule_name="nmt_nfkc", num_threads=1,
            input_sentence_size=0, minloglevel=2)
        # The trainer records its temporary paths in the model: drop them so the file is reproducible.
        from sentencepiece import sentencepiece_model_pb2
        proto = sentencepiece_model_pb2.ModelProto()
        with open(prefix + ".model", "rb") as f:
            proto.ParseFromString(f.read())
        proto.trainer_spec.ClearField("input")
        proto.trainer_spec.model_prefix = "spiece"
        with open(out_path, "wb") as f:
            f.write(proto.SerializeToString())


def load_image(path, size):
    """SigLIP preprocessing: RGB, bilinear resize to size x size, rescale 1/255, normalise mean 0.5 std 0.5."""
    img = Image.open(path).convert("RGB").resize((size, size), Image.BILINEAR)
    x = np.asarray(img, dtype=np.float32) / 255.0
    x = (x - 0.5) / 0.5
    return x.transpose(2, 0, 1)  # (3, S, S)


def pick_images(data_dir):
    nih = os.path.join(data_dir, "cxr", "nih-dev")
    kermany = os.path.join(data_dir, "cxr", "kermany-train")
    with open(os.path.join(nih, "labels.csv"), newline="") as f:
        nih_rows = list(csv.DictReader(f))
    with open(os.path.join(kermany, "labels.csv"), newline="") as f:
        ker_rows = list(csv.DictReader(f))
    pneumonia = next(r for r in nih_rows if "Pneumonia" in r["labels"])
    normal = next(r for r in nih_rows if r["labels"] == "No Finding")
    ker = next(r for r in ker_rows if r["labels"].startswith("pneumonia"))
    return [
        (os.path.join(nih, pneumonia["file"]), "nih-dev/" + pneumonia["file"], pneumonia["labels"]),
        (os.path.join(nih, normal["file"]), "nih-dev/" + normal["file"], normal["labels"]),
        (os.path.join(kermany, ker["file"]), "kermany-train/" + ker["file"], ker["labels"]),
    ]


def case_texts(notes, rng):
    """Real notes (one long enough to truncate) + label phrases + the tokenizer edge cases."""
    long_note = max(notes, key=len)
    short_notes = [n for n in notes if 20 <= len(n) <= 120]
    picked = [long_note] + rng.sample(short_notes, 2)
    entries = [{"text": t} for t in picked + LABEL_PHRASES[:2] + EXTRA_TEXTS]
    for raw in INVALID_UTF8:
        entries.append({"text": raw.decode("utf-8", errors="replace"), "bytes_hex": raw.hex()})
    return entries


def tokenize(tokenizer, entries, max_length):
    ids = []
    for e in entries:
        enc = tokenizer(e["text"], padding="max_length", truncation=True, max_length=max_length)
        full = tokenizer(e["text"], padding=False, truncation=False)["input_ids"]
        row = enc["input_ids"]
        assert len(row) == max_length, (e, row)
        e["ids"] = row
        e["canonical"] = tokenizer.canonicalize_text(e["text"])  # lower, no punctuation, whitespace collapsed
        e["num_untruncated_ids"] = len(full)  # tokens + EOS before truncation
        if len(full) <= 4 * max_length:
            e["untruncated_ids"] = full
        e["truncated"] = len(full) > max_length
        ids.append(row)
    return np.asarray(ids, dtype=np.int64)


def perturb_(model, gen):
    """HF's init leaves LayerNorm at (1, 0) and some biases at 0: randomise so a missing term shows."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name in ("logit_scale", "logit_bias"):
                continue
            if "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            elif "probe" in name or "embedding" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))
            else:
                fan_in = p.shape[-1] if p.dim() > 1 else 1
                if p.dim() == 4:
                    fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))
        model.logit_scale.fill_(math.log(10.0) + 0.1 * torch.randn(1, generator=gen).item())
        model.logit_bias.fill_(-2.0 + 0.5 * torch.randn(1, generator=gen).item())


def check_reload(case_dir, input_ids, pixels, interp, expected):
    """The saved files alone (config.json + safetensors) must reproduce the reference outputs."""
    reloaded = SiglipModel.from_pretrained(case_dir, dtype=torch.float32, attn_implementation="eager").eval()
    with torch.no_grad():
        got = reloaded(input_ids=torch.from_numpy(input_ids), pixel_values=torch.from_numpy(pixels),
                       interpolate_pos_encoding=interp)
    for field in ("logits_per_image",):
        diff = (getattr(got, field) - getattr(expected, field)).abs().max().item()
        assert diff < 1e-5, f"{case_dir}: reloaded model differs in {field} by {diff}"


def write_notes_tokens(data_dir, spiece, out_path, max_length=64):
    """HF ids for every distinct clinical note of covid-notes-dev (SigLIP's text length 64). Only ids are stored;
    the test reads the notes themselves from the shared data (labels.csv data row `row`, 0-based; file names
    are not unique there)."""
    tokenizer = SiglipTokenizer(spiece, model_max_length=max_length)
    path = os.path.join(data_dir, "cxr", "covid-notes-dev", "labels.csv")
    seen, entries = set(), []
    with open(path, newline="", encoding="utf-8") as f:
        for index, row in enumerate(csv.DictReader(f)):
            note = row["clinical_notes"]
            if not note or note in seen:
                continue
            seen.add(note)
            ids = tokenizer(note, padding="max_length", truncation=True, max_length=max_length)["input_ids"]
            full = tokenizer(note)["input_ids"]
            entries.append({"row": index, "file": row["file"], "ids": ids, "num_untruncated_ids": len(full)})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"source": "covid-notes-dev/labels.csv, column clinical_notes (raw field) of data row `row` (0-based), first row per distinct note",
                   "spiece": "small/spiece.model", "max_length": max_length, "pad_id": 1, "eos_id": 1,
                   "versions": versions(), "notes": entries}, f, separators=(",", ":"))


# Pieces the random texts are drawn from: every branch of SiglipTokenizer's canonicalisation and of Python's
# str.lower (full mappings, final sigma with case-ignorable marks, scripts whose lower case is not ASCII),
# Unicode whitespace, NFKC-normalised forms (full-width, ligatures), added-token strings and "▁".
FUZZ_ALPHABET = (
    list("abcXYZ019 ") + list(string.punctuation) +
    ["\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u2009", "\u2028",
     "\u202f", "\u3000", "\u200b", "\ufeff",
     "À", "É", "Ö", "Þ", "ß", "ẞ", "İ", "ı", "Σ", "σ", "ς", "ΑΒΓ", "Ω", "Ά", "ΣΑ", "Ϊ", "Д", "Ж", "Ё", "Ա", "Ⴀ",
     "Ꭰ", "ꭰ", "ǅ", "ǈ", "Ⅻ", "Ⓐ", "𐐀", "\u0301", "\u0345", "\u2019", "\u00ad", "·", "'", "ＡＢＣ", "ｆｕｌｌ",
     "ﬁ", "ﬀ", "½", "㎏", "폐렴", "의심", "肺炎", "😀", "\U0001F9EA", "\u2581", "</s>", "<unk>", "<pad>", "</s ", "▁▁"] +
    ["pleural", "effusion", "consolidation", "x-ray", "COVID-19", "  "])


def write_tokenizer_fuzz(spiece, out_path, count=400, max_length=32):
    """Random texts over FUZZ_ALPHABET with HF's ids and canonical text, for the C++ tokenizer test."""
    tokenizer = SiglipTokenizer(spiece, model_max_length=max_length)
    rng = random.Random(SEED)
    entries = []
    for _ in range(count):
        text = "".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(1, 24)))
        ids = tokenizer(text, padding="max_length", truncation=True, max_length=max_length)["input_ids"]
        entries.append({"text": text, "ids": ids, "canonical": tokenizer.canonicalize_text(text)})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"spiece": "small/spiece.model", "max_length": max_length, "pad_id": 1, "eos_id": 1,
                   "versions": versions(), "texts": entries}, f, ensure_ascii=False, separators=(",", ":"))


def versions():
    return {
        "python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
        "sentencepiece": spm.__version__, "numpy": np.__version__,
    }


def make_case(name, spec, out_dir, spiece_path, notes, images, case_index):
    case_dir = os.path.join(out_dir, name)
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    os.makedirs(case_dir)
    torch.manual_seed(SEED + case_index)
    gen = torch.Generator().manual_seed(SEED + case_index)
    rng = random.Random(SEED + case_index)

    text_kwargs = dict(spec["text"], vocab_size=VOCAB_SIZE, pad_token_id=1, eos_token_id=1, bos_token_id=None)
    config = SiglipConfig(text_config=text_kwargs, vision_config=dict(spec["vision"]))
    model = SiglipModel(config).eval()
    model.config._attn_implementation = "eager"
    perturb_(model, gen)

    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[spec["dtype"]]
    stored = model.to(dtype)
    save_kwargs = {}
    if "max_shard_size" in spec:
        save_kwargs["max_shard_size"] = spec["max_shard_size"]
    stored.save_pretrained(case_dir, safe_serialization=True, **save_kwargs)
    # Reference: fp32 compute on exactly the stored (rounded) weights.
    stored_copy = {k: v.detach().clone() for k, v in stored.state_dict().items()}
    model = stored.float().eval()
    if name == "small":
        shutil.copyfile(spiece_path, os.path.join(case_dir, "spiece.model"))
    else:  # the same 248 KB tokenizer for every case: one copy in the repository, relative links elsewhere
        os.symlink(os.path.join("..", "small", "spiece.model"), os.path.join(case_dir, "spiece.model"))

    tokenizer = SiglipTokenizer(os.path.join(case_dir, "spiece.model"),
                                model_max_length=spec["text"]["max_position_embeddings"])
    entries = case_texts(notes, rng)
    max_length = spec["text"]["max_position_embeddings"]
    input_ids = tokenize(tokenizer, entries, max_length)

    px = spec["image_px"]
    pixels = np.stack([load_image(p, px) for p, _, _ in images[:2]]).astype(np.float32)
    interp = spec.get("interpolate_pos_encoding", False)
    with torch.no_grad():
        out = model(input_ids=torch.from_numpy(input_ids), pixel_values=torch.from_numpy(pixels),
                    interpolate_pos_encoding=interp)
    vision = out.vision_model_output
    text = out.text_model_output

    def save(fname, t):
        np.save(os.path.join(case_dir, fname), np.ascontiguousarray(t.detach().cpu().numpy()))

    np.save(os.path.join(case_dir, "pixel_values.npy"), pixels)
    # One stored tensor converted to f32 by numpy (fp16) / torch (bf16, exact), for the loader's conversion test.
    ref = stored_copy[REF_TENSOR]
    np.save(os.path.join(case_dir, "ref_tensor_f32.npy"),
            ref.float().numpy() if ref.dtype == torch.bfloat16 else ref.numpy().astype(np.float32))
    np.save(os.path.join(case_dir, "input_ids.npy"), input_ids)
    save("image_embeds.npy", vision.pooler_output)
    save("text_embeds.npy", text.pooler_output)
    save("logits_per_image.npy", out.logits_per_image)
    save("vision_last_hidden_state.npy", vision.last_hidden_state)
    save("text_last_hidden_state.npy", text.last_hidden_state)

    check_reload(case_dir, input_ids, pixels, interp, out)

    with open(os.path.join(case_dir, "texts.json"), "w", encoding="utf-8") as f:
        json.dump({"max_length": max_length, "pad_id": 1, "eos_id": 1, "do_lower_case": True,
                   "tokenizer": "transformers.SiglipTokenizer (sentencepiece backend)",
                   "call": "tokenizer(text, padding='max_length', truncation=True, max_length=max_length)",
                   "texts": entries}, f, ensure_ascii=False, indent=1)

    weights = load_file(os.path.join(case_dir, "model.safetensors")) if "max_shard_size" not in spec else None
    case = {
        "case": name, "exercises": spec["exercises"], "stored_dtype": spec["dtype"],
        "reference_compute_dtype": "float32", "interpolate_pos_encoding": interp,
        "image_size_input": px, "model_image_size": spec["vision"]["image_size"],
        "patch_size": spec["vision"]["patch_size"],
        "num_patches": (px // spec["vision"]["patch_size"]) ** 2,
        "batch_images": int(pixels.shape[0]), "num_texts": int(input_ids.shape[0]), "max_length": max_length,
        "attention_mask": "none (SigLIP pads with </s> and attends to every position)",
        "text_pooling": "last position (index max_length-1), then head",
        "logit_scale": float(model.logit_scale.item()), "logit_bias": float(model.logit_bias.item()),
        "logits": "logits_per_image = (img_n @ txt_n.T) * exp(logit_scale) + logit_bias, *_n = L2-normalised embeds",
        "preprocessing": "RGB, PIL bilinear resize to SxS, /255, (x-0.5)/0.5",
        "images": [{"source": rel, "labels": lab} for _, rel, lab in images[:2]],
        "image_licences": "nih-dev: NIH ChestX-ray14, unrestricted (cite Wang et al. CVPR 2017); "
                          "kermany-train: CC BY 4.0",
        "text_licence": "clinical_notes from COVID-19 image data collection metadata, CC BY-NC-SA 4.0",
        "seed": SEED + case_index, "versions": versions(),
        "tolerance_hint": "fp32 reference; C++ fp32 should match to ~1e-4 relative",
        "num_tensors": len(weights) if weights is not None else None,
        "ref_tensor": REF_TENSOR + " as stored, converted to f32 (numpy / torch): ref_tensor_f32.npy",
    }
    with open(os.path.join(case_dir, "case.json"), "w", encoding="utf-8") as f:
        json.dump(case, f, indent=1)
    return case_dir


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--out", default=os.path.join(root, "tests", "fixtures", "parity"))
    ap.add_argument("--data", default=os.environ.get("CXR_SHARED_DATA_DIR", "/work/shared/data"))
    ap.add_argument("--cases", nargs="*", default=list(CASES))
    args = ap.parse_args()

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    notes = load_notes(args.data)
    spiece_path = os.path.join(args.out, ".spiece.tmp.model")
    train_spiece(notes, spiece_path)
    images = pick_images(args.data)
    for i, name in enumerate(CASES):  # "small" first: it holds the tokenizer the other cases link to
        if name in args.cases:
            print("case", name, "->", make_case(name, CASES[name], args.out, spiece_path, notes, images, i))
    write_notes_tokens(args.data, os.path.join(args.out, "small", "spiece.model"),
                       os.path.join(args.out, "notes_tokens.json"))
    write_tokenizer_fuzz(os.path.join(args.out, "small", "spiece.model"),
                         os.path.join(args.out, "tokenizer_fuzz.json"))
    os.remove(spiece_path)
    total = sum(os.lstat(os.path.join(d, f)).st_size for d, _, fs in os.walk(args.out) for f in fs)
    print(f"total fixture size: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    sys.exit(main())
