"""PyTorch peer for scripts/gpu-check.sh: the same SigLIP-base image tower as tests/bench/cuda/
cuda_ops_bench.cpp (ViT-B/16 at 224, random weights, Hugging Face SiglipVisionModel), on the same GPU
in the same run: eager fp32, eager bf16 (autocast: bf16 matmul operands, fp32 elsewhere, as our bf16
path), and torch.compile of both. Median of timed rounds after warm-up, CUDA events.

Prints one JSON line per configuration: {"backend": "torch-eager"|"torch-compile", "precision",
"batch", "ms_per_batch", "images_per_s"}.

Usage: python3 tools/gpu/torch_vit_bench.py [--batches 1,256] [--rounds 20] [--no-compile]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import statistics

import torch
from transformers import SiglipVisionConfig, SiglipVisionModel


def time_model(model, pixels: torch.Tensor, precision: str, rounds: int) -> float:
    """Median milliseconds of one forward pass."""
    autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if precision == "bf16" else contextlib.nullcontext())
    with torch.inference_mode(), autocast:
        for _ in range(3):
            model(pixel_values=pixels)
        torch.cuda.synchronize()
        times = []
        for _ in range(rounds):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            model(pixel_values=pixels)
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", default="1,256")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--no-compile", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.backends.cuda.matmul.allow_tf32 = False  # an fp32 peer, like our CUBLAS_COMPUTE_32F
    torch.backends.cudnn.allow_tf32 = False
    config = SiglipVisionConfig(hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                                num_attention_heads=12, image_size=224, patch_size=16)
    eager = SiglipVisionModel(config).cuda().eval()
    variants = [("torch-eager", eager)]
    if not args.no_compile:
        variants.append(("torch-compile", torch.compile(eager)))
    for batch in (int(b) for b in args.batches.split(",")):
        pixels = torch.randn(batch, 3, 224, 224, device="cuda")
        for name, model in variants:
            for precision in ("fp32", "bf16"):
                ms = time_model(model, pixels, precision, args.rounds)
                print(json.dumps({"backend": name, "precision": precision, "batch": batch,
                                  "ms_per_batch": round(ms, 3), "images_per_s": round(batch / ms * 1e3, 1)}),
                      flush=True)


if __name__ == "__main__":
    main()
