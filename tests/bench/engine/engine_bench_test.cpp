// Engine performance guards on a SigLIP-base-sized model with random weights (no download).
// Bounds are deliberately loose (CI: 2 shared cores); the figures themselves come from
// scripts/bench-engine.sh and are recorded in docs/engine.md.
#include "cxr/kernels/backend.h"
#include "cxr/model/siglip.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>

namespace cxr {
namespace {

template <typename Fn>
double best_seconds(int rounds, Fn&& fn) {
  double best = INFINITY;
  for (int r = 0; r < rounds; ++r) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

// The fast backend's GEMM path must beat the naive reference by a wide margin on a ViT-B MLP
// shape (196 x 768 -> 3072). Measured ~50-100x; a 5x floor catches a lost BLAS or lost threading.
TEST(EngineBench, FastLinearBeatsReference) {
  auto fast = *kernels::create_backend("fast", 0);
  auto reference = *kernels::create_backend("reference");
  const int rows = 196, in = 768, out = 3072;
  std::mt19937 rng(1);
  std::normal_distribution<float> dist(0.0f, 0.02f);
  std::vector<float> w(static_cast<std::size_t>(out) * in), x(static_cast<std::size_t>(rows) * in);
  for (auto& v : w) v = dist(rng);
  for (auto& v : x) v = dist(rng);
  auto run = [&](const kernels::Backend& b, int rounds) {
    auto packed = b.pack_linear(w.data(), nullptr, out, in);
    auto xb = b.upload_new(x);
    auto yb = b.alloc(static_cast<std::size_t>(rows) * out);
    return best_seconds(rounds, [&] { b.linear(*packed, xb.data(), yb.data(), rows, kernels::Activation::kGeluTanh); });
  };
  const double fast_s = run(*fast, 5), reference_s = run(*reference, 1);
  const double gflops = 2.0 * rows * in * out / fast_s / 1e9;
  std::printf("  linear 196x768->3072+gelu: fast %.2f ms (%.1f GFLOP/s), reference %.0f ms, speed-up %.0fx\n",
              fast_s * 1e3, gflops, reference_s * 1e3, reference_s / fast_s);
  EXPECT_GT(reference_s / fast_s, 5.0);
}

// A whole SigLIP-base forward pass on the fast backend: finite outputs of the right shape, and an
// image at batch 1 within 20 s (measured ~0.5-1.5 s on 2 shared cores).
TEST(EngineBench, RandomBaseForward) {
  auto model = model::SiglipModel::create_random(model::SiglipModel::random_base_config(), 42);
  ASSERT_TRUE(model.ok()) << model.error().message;
  std::vector<float> pixels(3 * 224 * 224);
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (auto& p : pixels) p = dist(rng);
  (void)(*model)->encode_images(pixels.data(), 1, 224);  // warm-up
  model::Embeddings image;
  const double image_s = best_seconds(2, [&] { image = (*model)->encode_images(pixels.data(), 1, 224).value(); });
  ASSERT_EQ(image.rows, 1);
  ASSERT_EQ(image.cols, 768);
  for (float v : image.data) ASSERT_TRUE(std::isfinite(v));
  std::vector<std::vector<int>> ids(2, std::vector<int>(64, 1));
  ids[0][0] = 262;
  model::Embeddings texts;
  const double text_s = best_seconds(2, [&] { texts = (*model)->encode_texts(ids).value(); });
  ASSERT_EQ(texts.rows, 2);
  for (float v : texts.data) ASSERT_TRUE(std::isfinite(v));
  std::printf("  random-base: %.0f ms/image (batch 1), %.0f ms/text (batch 2)\n", image_s * 1e3, text_s * 1e3 / 2);
  EXPECT_LT(image_s, 20.0);
}

}  // namespace
}  // namespace cxr
