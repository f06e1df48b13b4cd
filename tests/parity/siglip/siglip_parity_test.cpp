// SigLIP engine vs Hugging Face transformers (fp32 reference outputs stored as .npy by the fixture
// tool): every case in tests/fixtures/parity/ on every CPU backend.
//
// Tolerance: relative error <= 1e-4, measured per row as ||ours - hf|| / ||hf|| (L2) — the engine
// computes in fp32 like the reference, but with a different summation order (blocked sgemm, fused
// QKV, precomputed probe query), which after a few layers gives ~1e-6..1e-5; 1e-4 is the project's
// parity bar and still catches any real mistake (a wrong GELU, LN eps or position gives > 1e-2).
// For bf16/fp16 cases the reference was computed in fp32 from the same rounded weights, so the
// same bar applies. Logits are compared relative to the largest |logit| of the case.
#include "parity/parity_util.h"
#include "cxr/model/siglip.h"
#include "cxr/model/safetensors.h"
#include "cxr/npy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace cxr::model {
namespace {
namespace fs = std::filesystem;

const fs::path kParityDir = fs::path(CXR_TEST_FIXTURES_DIR) / "parity";
constexpr double kMaxRelativeError = 1e-4;

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (fs::is_directory(kParityDir))
    for (const auto& entry : fs::directory_iterator(kParityDir))
      if (entry.is_directory() && fs::exists(entry.path() / "case.json")) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A missing or empty fixtures directory is a failure, never a silent pass.
TEST(ParityFixtures, CasesArePresent) {
  const auto names = case_names();
  ASSERT_FALSE(names.empty()) << "no parity cases in " << kParityDir << "; regenerate them with tools/ (see docs/engine.md)";
  for (const char* required : {"small", "odd", "interp", "bf16", "sharded_fp16"})
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << "parity case '" << required << "' missing";
}

NpyArray load(const fs::path& path) {
  auto array = read_npy(path.string());
  if (!array) throw Exception(array.error().code, array.error().message);
  return *array;
}

using cxr::test::worst_row_error;

void expect_shape(const Embeddings& ours, const NpyArray& expected, const std::string& what) {
  ASSERT_EQ(expected.shape.size(), 2u) << what;
  EXPECT_EQ(ours.rows, expected.shape[0]) << what;
  EXPECT_EQ(ours.cols, expected.shape[1]) << what;
}

struct ParityParam {
  std::string case_name, backend;
};
std::ostream& operator<<(std::ostream& os, const ParityParam& p) { return os << p.case_name << "/" << p.backend; }

class SiglipParity : public ::testing::TestWithParam<ParityParam> {};

TEST_P(SiglipParity, MatchesTransformers) {
  const auto& [case_name, backend] = GetParam();
  const fs::path dir = kParityDir / case_name;
  auto model = SiglipModel::load(dir.string(), EngineOptions{backend, 2});
  ASSERT_TRUE(model.ok()) << model.error().message;
  const auto& m = **model;
  EXPECT_EQ(m.backend_name(), backend);

  // Images: pooled embeddings.
  const auto pixels = load(dir / "pixel_values.npy");
  ASSERT_EQ(pixels.shape.size(), 4u);
  const int batch = static_cast<int>(pixels.shape[0]), size = static_cast<int>(pixels.shape[2]);
  const auto pixel_data = pixels.as_f32();
  auto images = m.encode_images_with_patches(pixel_data.data(), batch, size);
  ASSERT_TRUE(images.ok()) << images.error().message;
  const auto image_ref = load(dir / "image_embeds.npy");
  expect_shape(images->pooled, image_ref, "image_embeds");
  const double image_error = worst_row_error(images->pooled, image_ref);
  EXPECT_LE(image_error, kMaxRelativeError) << "image embeddings";
  EXPECT_EQ(images->grid, size / m.config().vision.patch_size);
  EXPECT_EQ(images->patch_embeds.rows, batch * images->grid * images->grid);

  // encode_images (pooled only) must agree with the pooled part of encode_images_with_patches.
  auto pooled_only = m.encode_images(pixel_data.data(), batch, size);
  ASSERT_TRUE(pooled_only.ok()) << pooled_only.error().message;
  EXPECT_EQ(pooled_only->data, images->pooled.data);

  // Texts from the fixture's token ids.
  const auto ids_array = load(dir / "input_ids.npy");
  ASSERT_EQ(ids_array.shape.size(), 2u);
  const auto flat_ids = ids_array.as_i64();
  std::vector<std::vector<int>> ids(ids_array.shape[0]);
  for (std::size_t t = 0; t < ids.size(); ++t)
    for (int64_t j = 0; j < ids_array.shape[1]; ++j) ids[t].push_back(static_cast<int>(flat_ids[t * ids_array.shape[1] + j]));
  auto texts = m.encode_texts(ids);
  ASSERT_TRUE(texts.ok()) << texts.error().message;
  const auto text_ref = load(dir / "text_embeds.npy");
  expect_shape(*texts, text_ref, "text_embeds");
  const double text_error = worst_row_error(*texts, text_ref);
  EXPECT_LE(text_error, kMaxRelativeError) << "text embeddings";

  // Logits: scale and bias as transformers applies them.
  const auto logits_ref = load(dir / "logits_per_image.npy");
  const auto logits = siglip_logits(images->pooled, *texts, m.logit_scale(), m.logit_bias());
  expect_shape(logits, logits_ref, "logits_per_image");
  const auto ref = logits_ref.as_f32();
  double max_ref = 0, max_diff = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    max_ref = std::max(max_ref, std::abs(static_cast<double>(ref[i])));
    max_diff = std::max(max_diff, std::abs(static_cast<double>(logits.data[i]) - ref[i]));
  }
  const double logit_error = max_diff / std::max(max_ref, 1e-30);
  EXPECT_LE(logit_error, kMaxRelativeError) << "logits";
  std::printf("  %-14s %-9s image %.2e  text %.2e  logits %.2e\n", case_name.c_str(), backend.c_str(), image_error,
              text_error, logit_error);
}

std::vector<ParityParam> all_params() {
  std::vector<ParityParam> params;
  for (const auto& name : case_names())
    for (const char* backend : {"fast", "reference"}) params.push_back({name, backend});
  return params;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SiglipParity, ::testing::ValuesIn(all_params()),
                         [](const ::testing::TestParamInfo<ParityParam>& info) {
                           return info.param.case_name + "_" + info.param.backend;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SiglipParity);  // CasesArePresent fails instead

// The tokenizer path end to end: texts.json through the model's tokenizer must give the fixture's
// ids, hence the same embeddings.
TEST(SiglipParityText, TokenizedTextsMatch) {
  const fs::path dir = kParityDir / "small";
  auto model = SiglipModel::load(dir.string());
  ASSERT_TRUE(model.ok()) << model.error().message;
  ASSERT_NE((*model)->tokenizer(), nullptr);
  std::ifstream in(dir / "texts.json");
  ASSERT_TRUE(in) << "texts.json missing in " << dir;
  const auto json = nlohmann::json::parse(in);
  std::vector<std::string> texts;
  for (const auto& t : json.at("texts")) texts.push_back(t.at("text").get<std::string>());
  auto embeds = (*model)->encode_texts(texts);
  ASSERT_TRUE(embeds.ok()) << embeds.error().message;
  EXPECT_LE(worst_row_error(*embeds, load(dir / "text_embeds.npy")), kMaxRelativeError);
}

// Per-patch embeddings (MaskCLIP) recomputed on the host in double from the stored weights and the
// fixture's HF last_hidden_state: h = out_proj(v_proj(x)); patch = h + fc2(gelu(fc1(LN(h)))).
TEST(SiglipPatchEmbeddings, MatchMaskClipDefinition) {
  const fs::path dir = kParityDir / "small";
  auto model = SiglipModel::load(dir.string(), EngineOptions{"fast", 2});
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto store = WeightStore::open(dir.string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto tensor = [&](const std::string& name) {
    auto info = (*store)->get(name);
    if (!info) throw Exception(info.error().code, info.error().message);
    return info->to_f32();
  };
  const int dim = (*model)->config().vision.hidden_size, inter = (*model)->config().vision.intermediate_size;
  const auto in_w = tensor("vision_model.head.attention.in_proj_weight"), in_b = tensor("vision_model.head.attention.in_proj_bias");
  const auto out_w = tensor("vision_model.head.attention.out_proj.weight"), out_b = tensor("vision_model.head.attention.out_proj.bias");
  const auto ln_w = tensor("vision_model.head.layernorm.weight"), ln_b = tensor("vision_model.head.layernorm.bias");
  const auto fc1_w = tensor("vision_model.head.mlp.fc1.weight"), fc1_b = tensor("vision_model.head.mlp.fc1.bias");
  const auto fc2_w = tensor("vision_model.head.mlp.fc2.weight"), fc2_b = tensor("vision_model.head.mlp.fc2.bias");
  auto linear = [](const std::vector<double>& x, const std::vector<float>& w, const float* b, int out, int in) {
    std::vector<double> y(out);
    for (int o = 0; o < out; ++o) {
      double acc = b[o];
      for (int i = 0; i < in; ++i) acc += w[static_cast<std::size_t>(o) * in + i] * x[i];
      y[o] = acc;
    }
    return y;
  };
  std::vector<float> wv(in_w.begin() + 2 * dim * dim, in_w.end());

  const auto hidden = load(dir / "vision_last_hidden_state.npy").as_f32();  // (B, N, D)
  const auto pixels = load(dir / "pixel_values.npy");
  const auto pixel_data = pixels.as_f32();
  auto enc = (*model)->encode_images_with_patches(pixel_data.data(), static_cast<int>(pixels.shape[0]), static_cast<int>(pixels.shape[2]));
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  ASSERT_EQ(static_cast<std::size_t>(enc->patch_embeds.rows) * dim, hidden.size());
  double worst = 0;
  for (int r = 0; r < enc->patch_embeds.rows; ++r) {
    std::vector<double> x(hidden.begin() + static_cast<std::size_t>(r) * dim, hidden.begin() + static_cast<std::size_t>(r + 1) * dim);
    auto h = linear(linear(x, wv, in_b.data() + 2 * dim, dim, dim), out_w, out_b.data(), dim, dim);
    double mean = 0, var = 0;
    for (double v : h) mean += v;
    mean /= dim;
    for (double v : h) var += (v - mean) * (v - mean);
    var /= dim;
    std::vector<double> n(dim);
    for (int c = 0; c < dim; ++c) n[c] = (h[c] - mean) / std::sqrt(var + 1e-6) * ln_w[c] + ln_b[c];
    auto f = linear(n, fc1_w, fc1_b.data(), inter, dim);
    for (auto& v : f) v = 0.5 * v * (1 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
    auto o = linear(f, fc2_w, fc2_b.data(), dim, inter);
    double diff = 0, norm = 0;
    for (int c = 0; c < dim; ++c) {
      const double expected = h[c] + o[c];
      diff += (enc->patch_embeds.row(r)[c] - expected) * (enc->patch_embeds.row(r)[c] - expected);
      norm += expected * expected;
    }
    worst = std::max(worst, std::sqrt(diff / norm));
  }
  EXPECT_LE(worst, kMaxRelativeError);
}

}  // namespace
}  // namespace cxr::model
