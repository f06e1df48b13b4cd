"""Trains the SentencePiece tokenizer of the default model (spiece.model).

Corpus: every label caption phrasing (the prompt sets reuse them), plus the clinical-note sentences of the *train*
split of covid-notes (validation notes are never seen). Special ids follow Hugging Face's
SiglipTokenizer: <pad>=0, </s>=1 (EOS and the pad token SigLIP uses), <unk>=2; no BOS.
Normalisation "nmt_nfkc_cf" (NFKC + case folding) puts lower-casing inside the model file, so the
HF tokenizer (which lower-cases) and the C++ tokenizer (which does not) give the same ids.
byte_fallback keeps any UTF-8 input representable (no <unk> for unseen characters).

Usage: python tools/train/train_tokenizer.py --out tools/train/cache/spiece.model
"""
import argparse
import json
import re
import string
from pathlib import Path

import sentencepiece as spm

import cxrdata


def canonicalize(text: str) -> str:
    """HF SiglipTokenizer.canonicalize_text: lower-case, strip ASCII punctuation, collapse spaces."""
    text = text.lower().translate(str.maketrans("", "", string.punctuation))
    return re.sub(r"\s+", " ", text).strip()


def corpus_lines() -> list[str]:
    splits = cxrdata.load_splits()
    lines = []
    for rec in cxrdata.load_records():
        if splits[(rec.source, rec.file)] != "train":
            continue
        lines += cxrdata.note_sentences(rec.notes)
    caption_texts = set(cxrdata.all_caption_texts())
    for rec in cxrdata.load_records()[::7]:
        caption_texts |= {c[0] for c in cxrdata.captions_for(rec)}
    lines += sorted(caption_texts) * 3
    # The prompt files (resources/prompts/default.json, eval_prompts.json) reuse these caption
    # phrasings; they are not read here so that the tokenizer does not change when prompts are edited.
    return [canonicalize(l) for l in lines if l.strip()]


def prompt_texts(path: Path) -> list[str]:
    """Every string found in a prompt JSON file (phrasings the product will tokenize)."""
    if not path.exists():
        return []
    out = []

    def walk(x):
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(json.loads(path.read_text()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(cxrdata.CACHE_DIR / "spiece.model"))
    ap.add_argument("--vocab-size", type=int, default=4000)
    args = ap.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus = out.with_suffix(".corpus.txt")
    lines = corpus_lines()
    corpus.write_text("\n".join(lines) + "\n")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(out.with_suffix("")), model_type="unigram",
        vocab_size=args.vocab_size, hard_vocab_limit=False, character_coverage=1.0,
        byte_fallback=True, normalization_rule_name="nmt_nfkc_cf", add_dummy_prefix=True,
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, pad_piece="<pad>", eos_piece="</s>",
        unk_piece="<unk>", input_sentence_size=0, shuffle_input_sentence=False, seed_sentencepiece_size=100000,
        num_threads=1, minloglevel=2)  # 1 thread: byte-identical output
    sp = spm.SentencePieceProcessor(model_file=str(out))
    print(f"tokenizer: {out} vocab {sp.get_piece_size()} from {len(lines)} lines")


if __name__ == "__main__":
    main()
