// cuda_ops_bench — throughput of a SigLIP-base image tower (ViT-B/16 at 224: 196 tokens, width 768,
// 12 heads, MLP 3072, 12 layers; ~35 GFLOP per image) run op by op through a kernels::Backend with
// random weights: patch embedding, then per layer LN -> QKV -> attention -> out proj + residual -> LN
// -> fc1 + GELU -> fc2 + residual, then the final LN. The attention-pooling head (~1% of the FLOPs)
// is left out. Needs only cxr_kernels, so it builds on the GPU machine's image (scripts/gpu-check.sh).
//
// Usage: cuda_ops_bench --backend cuda|fast [--precision fp32|bf16] [--batch N] [--rounds N] [--threads N]
// Prints one JSON line: images/s (median of the timed rounds, after one warm-up), ms per batch,
// achieved TFLOP/s.
#include "cxr/kernels/backend.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace cxr::kernels;

constexpr int kImage = 224, kPatch = 16, kChannels = 3, kWidth = 768, kHeads = 12, kMlp = 3072, kLayers = 12;
constexpr int kTokens = (kImage / kPatch) * (kImage / kPatch);

std::vector<float> random_values(std::size_t n, uint32_t seed, float scale) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

struct Layer {
  std::unique_ptr<PackedLinear> qkv, out, fc1, fc2;
  Buffer ln1_g, ln1_b, ln2_g, ln2_b;
};

struct Tower {
  std::unique_ptr<PackedLinear> patch;
  Buffer positions, final_g, final_b;
  std::vector<Layer> layers;
};

Buffer constant(const Backend& b, std::size_t n, float value) { return b.upload_new(std::vector<float>(n, value)); }

std::unique_ptr<PackedLinear> random_linear(const Backend& b, int out, int in, uint32_t seed) {
  const auto w = random_values(static_cast<std::size_t>(out) * in, seed, 0.02f);
  const auto bias = random_values(static_cast<std::size_t>(out), seed + 1, 0.02f);
  return b.pack_linear(w.data(), bias.data(), out, in);
}

Tower make_tower(const Backend& b) {
  Tower t;
  t.patch = random_linear(b, kWidth, kChannels * kPatch * kPatch, 1);
  t.positions = b.upload_new(random_values(static_cast<std::size_t>(kTokens) * kWidth, 2, 0.02f));
  t.final_g = constant(b, kWidth, 1.0f);
  t.final_b = constant(b, kWidth, 0.0f);
  for (int l = 0; l < kLayers; ++l) {
    Layer layer;
    layer.qkv = random_linear(b, 3 * kWidth, kWidth, 10 + 10 * l);
    layer.out = random_linear(b, kWidth, kWidth, 12 + 10 * l);
    layer.fc1 = random_linear(b, kMlp, kWidth, 14 + 10 * l);
    layer.fc2 = random_linear(b, kWidth, kMlp, 16 + 10 * l);
    layer.ln1_g = constant(b, kWidth, 1.0f), layer.ln1_b = constant(b, kWidth, 0.0f);
    layer.ln2_g = constant(b, kWidth, 1.0f), layer.ln2_b = constant(b, kWidth, 0.0f);
    t.layers.push_back(std::move(layer));
  }
  return t;
}

// Activations for one batch, allocated once.
struct Workspace {
  Buffer images, patches, x, h, qkv, attn, mlp;
  Workspace(const Backend& b, int batch) {
    const std::size_t rows = static_cast<std::size_t>(batch) * kTokens;
    images = b.upload_new(random_values(static_cast<std::size_t>(batch) * kChannels * kImage * kImage, 3, 1.0f));
    patches = b.alloc(rows * kChannels * kPatch * kPatch);
    x = b.alloc(rows * kWidth), h = b.alloc(rows * kWidth), attn = b.alloc(rows * kWidth);
    qkv = b.alloc(rows * 3 * kWidth), mlp = b.alloc(rows * kMlp);
  }
};

// One forward pass of the tower; returns after download() has synchronised with the device.
void forward(const Backend& b, const Tower& t, Workspace& w, int batch) {
  const int rows = batch * kTokens;
  b.patchify(w.images.data(), w.patches.data(), batch, kChannels, kImage, kPatch);
  b.linear(*t.patch, w.patches.data(), w.x.data(), rows, Activation::kNone);
  b.add_rows(w.x.data(), t.positions.data(), w.x.data(), rows, kTokens, kWidth);
  for (const auto& l : t.layers) {
    b.layer_norm(w.x.data(), l.ln1_g.data(), l.ln1_b.data(), w.h.data(), rows, kWidth, 1e-6f);
    b.linear(*l.qkv, w.h.data(), w.qkv.data(), rows, Activation::kNone);
    AttentionArgs a;
    a.q = w.qkv.data(), a.k = w.qkv.data() + kWidth, a.v = w.qkv.data() + 2 * kWidth, a.out = w.attn.data();
    a.batch = batch, a.heads = kHeads, a.q_len = kTokens, a.kv_len = kTokens, a.head_dim = kWidth / kHeads;
    a.q_row_stride = a.kv_row_stride = 3 * kWidth;
    a.q_batch_stride = a.kv_batch_stride = static_cast<int64_t>(kTokens) * 3 * kWidth;
    a.scale = 1.0f / 8.0f;  // 1 / sqrt(64)
    b.attention(a);
    b.linear(*l.out, w.attn.data(), w.x.data(), rows, Activation::kNone, w.x.data());
    b.layer_norm(w.x.data(), l.ln2_g.data(), l.ln2_b.data(), w.h.data(), rows, kWidth, 1e-6f);
    b.linear(*l.fc1, w.h.data(), w.mlp.data(), rows, Activation::kGeluTanh);
    b.linear(*l.fc2, w.mlp.data(), w.x.data(), rows, Activation::kNone, w.x.data());
  }
  b.layer_norm(w.x.data(), t.final_g.data(), t.final_b.data(), w.x.data(), rows, kWidth, 1e-6f);
  float probe[4];
  b.download(w.x, probe, 4);
}

// Multiply-adds x 2 of the linears and attention of one image (the rest is < 1%).
double gflop_per_image() {
  const double t = kTokens, d = kWidth;
  const double linears = 2 * t * (kChannels * kPatch * kPatch) * d +
                         kLayers * 2 * t * (3 * d * d + d * d + 2 * d * kMlp);
  const double attention = kLayers * 2 * 2 * t * t * d;
  return (linears + attention) / 1e9;
}

const char* arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string backend_name = arg(argc, argv, "--backend", "cuda");
  const std::string precision_name_arg = arg(argc, argv, "--precision", "fp32");
  const int batch = std::atoi(arg(argc, argv, "--batch", "64"));
  const int rounds = std::atoi(arg(argc, argv, "--rounds", "10"));
  const int threads = std::atoi(arg(argc, argv, "--threads", "0"));
  auto precision = parse_precision(precision_name_arg);
  if (!precision) return std::fprintf(stderr, "%s\n", precision.error().message.c_str()), 2;
  auto backend = create_backend(backend_name, threads, *precision);
  if (!backend) {
    std::printf("{\"backend\":\"%s\",\"precision\":\"%s\",\"batch\":%d,\"error\":\"%s\"}\n", backend_name.c_str(),
                precision_name_arg.c_str(), batch, backend.error().message.c_str());
    return 1;
  }
  const Backend& b = **backend;
  try {
    const Tower tower = make_tower(b);
    Workspace w(b, batch);
    forward(b, tower, w, batch);  // warm-up: module load, cuBLASLt heuristics, pool growth
    std::vector<double> seconds;
    for (int r = 0; r < rounds; ++r) {
      const auto start = std::chrono::steady_clock::now();
      forward(b, tower, w, batch);
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf("{\"backend\":\"%s\",\"precision\":\"%s\",\"batch\":%d,\"rounds\":%d,\"ms_per_batch\":%.3f,"
                "\"images_per_s\":%.1f,\"tflops\":%.2f}\n",
                b.name().c_str(), precision_name(b.precision()), batch, rounds, median * 1e3, batch / median,
                batch * gflop_per_image() / median / 1e3);
  } catch (const cxr::Exception& e) {
    std::printf("{\"backend\":\"%s\",\"precision\":\"%s\",\"batch\":%d,\"error\":\"%s\"}\n", backend_name.c_str(),
                precision_name_arg.c_str(), batch, e.what());
    return 1;
  }
  return 0;
}
