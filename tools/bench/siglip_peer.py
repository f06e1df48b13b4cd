#!/usr/bin/env python3
"""PyTorch peer benchmark for `cxr bench`: Hugging Face transformers' SiglipModel on the CPU.

  siglip_peer.py make-model OUT_DIR          # SigLIP-base-sized random model (ViT-B/16 @ 224 + base text), save_pretrained
  siglip_peer.py bench MODEL_DIR [--threads 2] [--batch 8] [--rounds 5] [--dtype fp32|bf16]
                                             # one JSON line, same fields as `cxr bench --json`
  siglip_peer.py summarize PEER.jsonl ENGINE.jsonl   # medians over the interleaved repeats + engine/peer ratios

The model is random (no download); throughput does not depend on weight values. Timing: one warm-up
call per shape, then the median of --rounds calls, under torch.inference_mode(), eager attention
(what transformers picks on CPU when sdpa is unavailable is reported as "attn_implementation").
--dtype bf16 runs under torch.autocast("cpu", dtype=torch.bfloat16), PyTorch's own bf16 CPU path (the
peer of `cxr bench --precision bf16`); fp32 (the default) is the peer of the engine's default.
"""
import argparse
import json
import os
import statistics
import sys
import time


def make_model(out_dir: str) -> None:
    import torch
    from transformers import SiglipConfig, SiglipModel

    torch.manual_seed(0)
    config = SiglipConfig(
        # SigLIP's real checkpoints use </s> = 1 as EOS and pad (the config class defaults are CLIP's).
        text_config=dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                         max_position_embeddings=64, vocab_size=32000, pad_token_id=1, eos_token_id=1, bos_token_id=None),
        vision_config=dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                           image_size=224, patch_size=16),
    )
    model = SiglipModel(config).eval()
    model.save_pretrained(out_dir)
    print(json.dumps({"saved": out_dir, "parameters": sum(p.numel() for p in model.parameters())}))


def median_timing(fn, rounds: int):
    """(wall, process CPU) seconds of one call, medians over rounds after one warm-up call."""
    fn()
    walls, cpus = [], []
    for _ in range(rounds):
        cpu, start = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def bench(model_dir: str, threads: int, batch: int, rounds: int, dtype: str = "fp32") -> None:
    import contextlib

    import torch
    from transformers import SiglipModel

    def context():
        if dtype == "bf16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    torch.set_num_threads(threads)
    model = SiglipModel.from_pretrained(model_dir, torch_dtype=torch.float32).eval()
    vc, tc = model.config.vision_config, model.config.text_config
    gen = torch.Generator().manual_seed(1)

    def time_images(b: int):
        pixels = torch.rand(b, 3, vc.image_size, vc.image_size, generator=gen) * 2 - 1
        with torch.inference_mode(), context():
            return median_timing(lambda: model.get_image_features(pixel_values=pixels), rounds)

    def time_texts(b: int):
        ids = torch.full((b, tc.max_position_embeddings), 1, dtype=torch.long)
        ids[:, :20] = torch.randint(2, tc.vocab_size, (b, 20), generator=gen)
        ids[:, 20] = 1  # EOS
        with torch.inference_mode(), context():
            return median_timing(lambda: model.get_text_features(input_ids=ids), rounds)

    image1, imagen = time_images(1), time_images(batch)
    text1, textn = time_texts(1), time_texts(batch)
    img1, imgn = 1 / image1[0], batch / imagen[0]
    txt1, txtn = 1 / text1[0], batch / textn[0]
    try:
        import resource
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    except ImportError:
        rss = None
    print(json.dumps({
        "model": model_dir, "backend": "pytorch", "torch": torch.__version__, "threads": threads, "precision": dtype,
        "attn_implementation": getattr(model.config, "_attn_implementation", None),
        "image_size": vc.image_size, "batch": batch, "rounds": rounds,
        "image_ms_batch1": 1000 / img1, "image_ms_per_image_batchN": 1000 / imgn,
        "images_per_s_batch1": img1, "images_per_s_batchN": imgn,
        "texts_per_s_batch1": txt1, "texts_per_s_batchN": txtn,
        "image_cpu_s_batch1": image1[1], "image_cpu_s_per_image_batchN": imagen[1] / batch,
        "text_cpu_s_batch1": text1[1], "text_cpu_s_per_text_batchN": textn[1] / batch, "peak_rss_mib": rss,
    }))


FIELDS = ["images_per_s_batch1", "images_per_s_batchN", "texts_per_s_batch1", "texts_per_s_batchN",
          "image_ms_batch1", "image_ms_per_image_batchN", "image_cpu_s_batch1", "image_cpu_s_per_image_batchN",
          "text_cpu_s_batch1", "text_cpu_s_per_text_batchN", "peak_rss_mib"]
LOWER_IS_BETTER = ("image_ms", "cpu_s", "peak_rss")


def summarize(peer_path: str, engine_path: str) -> None:
    def rows(path):
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip().startswith("{")]

    peer, engine = rows(peer_path), rows(engine_path)
    if not peer or not engine:
        raise SystemExit("summarize: no measurements in %s or %s" % (peer_path, engine_path))
    batch = engine[0].get("batch")
    print("%-28s %12s %12s %8s   (median of %d interleaved runs each; batch N = %s)"
          % ("", "pytorch", "cxr engine", "ratio", min(len(peer), len(engine)), batch))
    for field in FIELDS:
        p = [r[field] for r in peer if r.get(field) is not None]
        e = [r[field] for r in engine if r.get(field) is not None]
        if not p or not e:
            continue
        pm, em = statistics.median(p), statistics.median(e)
        ratio = em / pm if pm else float("nan")
        if any(tag in field for tag in LOWER_IS_BETTER):
            ratio = pm / em if em else float("nan")  # > 1: engine better (faster / smaller)
        print("%-28s %12.3f %12.3f %7.2fx" % (field, pm, em, ratio))
    print("per-run engine/pytorch image ratio at batch N:",
          ", ".join("%.2f" % (e["images_per_s_batchN"] / p["images_per_s_batchN"]) for p, e in zip(peer, engine)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-model")
    make.add_argument("out_dir")
    run = sub.add_parser("bench")
    run.add_argument("model_dir")
    run.add_argument("--threads", type=int, default=2)
    run.add_argument("--batch", type=int, default=8)
    run.add_argument("--rounds", type=int, default=5)
    run.add_argument("--dtype", choices=["fp32", "bf16"], default="fp32")
    summary = sub.add_parser("summarize")
    summary.add_argument("peer_jsonl")
    summary.add_argument("engine_jsonl")
    args = parser.parse_args()
    if args.command == "make-model":
        make_model(args.out_dir)
    elif args.command == "summarize":
        summarize(args.peer_jsonl, args.engine_jsonl)
    else:
        bench(args.model_dir, args.threads, args.batch, args.rounds, args.dtype)
    return 0


if __name__ == "__main__":
    sys.exit(main())
