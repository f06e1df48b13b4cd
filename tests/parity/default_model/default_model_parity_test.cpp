// The shipped default model (resources/models/cxr-siglip-default) through the C++ engine vs PyTorch
// (transformers' SiglipModel on the same fp16 weights widened to fp32), on every CPU backend.
// Fixture: tests/fixtures/default_model/ (tools/train/make_default_parity_fixture.py): 4 real
// validation chest X-rays (Kermany, NIH) preprocessed by `cxr preprocess --format f32`, 4 texts with
// Hugging Face SiglipTokenizer ids, and PyTorch's embeddings and logits.
//
// Tolerance: relative error <= 1e-4 per row (L2), logits relative to the largest |logit| — the
// project's parity bar (tests/parity/siglip). Also checked: the fixture belongs to the shipped weights
// (sha256), the C++ tokenizer gives HF's ids, and the product's preprocessing of the same JPEGs gives
// the fixture's pixels (so the engine sees what the model was trained and evaluated on).
#include "parity/parity_util.h"
#include "cxr/dicom/image.h"
#include "cxr/dicom/preprocess.h"
#include "cxr/model/siglip.h"
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

const fs::path kFixtureDir = fs::path(CXR_TEST_FIXTURES_DIR) / "default_model";
const fs::path kModelDir = fs::path(CXR_SOURCE_DIR) / "resources" / "models" / "cxr-siglip-default";
constexpr double kMaxRelativeError = 1e-4;

NpyArray load_npy(const std::string& name) {
  auto array = read_npy((kFixtureDir / name).string());
  if (!array) throw Exception(array.error().code, array.error().message);
  return *array;
}

nlohmann::json load_case() {
  std::ifstream in(kFixtureDir / "case.json");
  if (!in) throw Exception(ErrorCode::kNotFound, "missing " + (kFixtureDir / "case.json").string());
  return nlohmann::json::parse(in);
}

using cxr::test::worst_row_error;

std::vector<std::vector<int>> fixture_ids() {
  const auto array = load_npy("input_ids.npy");
  const auto flat = array.as_i64();
  std::vector<std::vector<int>> ids(array.shape.at(0));
  for (std::size_t t = 0; t < ids.size(); ++t)
    for (int64_t j = 0; j < array.shape.at(1); ++j) ids[t].push_back(static_cast<int>(flat[t * array.shape[1] + j]));
  return ids;
}

// A fixture made from other weights would compare the engine against the wrong numbers.
TEST(DefaultModelFixture, BelongsToTheShippedWeights) {
  ASSERT_TRUE(fs::exists(kModelDir / "model.safetensors")) << "shipped model missing: " << kModelDir;
  auto model = SiglipModel::load(kModelDir.string(), EngineOptions{"reference", 1});
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ((*model)->model_hash(), load_case().at("model_sha256").get<std::string>())
      << "tests/fixtures/default_model is stale: run tools/train/make_default_parity_fixture.py after exporting";
  const auto case_json = load_case();
  EXPECT_NEAR((*model)->logit_scale(), case_json.at("logit_scale").get<double>(), 1e-4 * case_json.at("logit_scale").get<double>());
  EXPECT_NEAR((*model)->logit_bias(), case_json.at("logit_bias").get<double>(), 1e-4 * std::abs(case_json.at("logit_bias").get<double>()) + 1e-6);
}

// The model's spiece.model through the C++ tokenizer gives Hugging Face SiglipTokenizer's ids
// (lower-casing is inside the SentencePiece model, punctuation stripped, EOS, pad = </s>).
TEST(DefaultModelFixture, TokenizerMatchesHuggingFace) {
  auto model = SiglipModel::load(kModelDir.string(), EngineOptions{"reference", 1});
  ASSERT_TRUE(model.ok()) << model.error().message;
  const Tokenizer* tokenizer = (*model)->tokenizer();
  ASSERT_NE(tokenizer, nullptr);
  const auto texts = load_case().at("texts");
  const auto ids = fixture_ids();
  ASSERT_EQ(texts.size(), ids.size());
  for (std::size_t t = 0; t < ids.size(); ++t) {
    const auto encoded = tokenizer->encode(texts[t].get<std::string>());
    EXPECT_EQ(encoded.ids, ids[t]) << "text #" << t << ": " << texts[t];
    EXPECT_FALSE(encoded.truncated());
  }
}

// `cxr preprocess` made the fixture's pixels; the dicom API must still give exactly the same tensor
// from the same JPEGs with the model's preprocess.json (else the model sees other pixels than in
// training and evaluation).
TEST(DefaultModelFixture, PreprocessingReproducesFixturePixels) {
  auto spec = dicom::load_preprocess_spec((kModelDir / "preprocess.json").string());
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  const auto pixels = load_npy("pixels.npy");
  ASSERT_EQ(pixels.shape.size(), 4u);
  const auto ref = pixels.as_f32();
  const std::size_t per_image = static_cast<std::size_t>(pixels.shape[1] * pixels.shape[2] * pixels.shape[3]);
  const auto images = load_case().at("images");
  ASSERT_EQ(images.size(), static_cast<std::size_t>(pixels.shape[0]));
  for (std::size_t i = 0; i < images.size(); ++i) {
    const fs::path path = fs::path(CXR_SHARED_DATA_DIR) / "cxr" / images[i].at("source").get<std::string>() /
                          images[i].at("file").get<std::string>();
    auto loaded = dicom::load_image(path.string());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const auto tensor = dicom::to_model_tensor(dicom::resize_for_model(loaded->image, *spec), *spec);
    ASSERT_EQ(tensor.size(), per_image) << path;
    double worst = 0;
    for (std::size_t k = 0; k < per_image; ++k) worst = std::max(worst, std::abs(double(tensor[k]) - ref[i * per_image + k]));
    EXPECT_LE(worst, 1e-6) << path << ": preprocessing differs from the fixture (regenerate only if the change is intended)";
  }
}

class DefaultModelParity : public ::testing::TestWithParam<std::string> {};

TEST_P(DefaultModelParity, MatchesPyTorch) {
  const std::string backend = GetParam();
  auto model = SiglipModel::load(kModelDir.string(), EngineOptions{backend, 2});
  ASSERT_TRUE(model.ok()) << model.error().message;
  const auto& m = **model;
  ASSERT_EQ(m.backend_name(), backend);

  const auto pixels = load_npy("pixels.npy");  // (B, 3, S, S)
  ASSERT_EQ(pixels.shape.size(), 4u);
  const int batch = static_cast<int>(pixels.shape[0]), size = static_cast<int>(pixels.shape[2]);
  ASSERT_EQ(size, m.config().vision.image_size);
  const auto pixel_data = pixels.as_f32();
  auto images = m.encode_images(pixel_data.data(), batch, size);
  ASSERT_TRUE(images.ok()) << images.error().message;
  const auto image_ref = load_npy("image_embeds.npy");
  ASSERT_EQ(images->rows, image_ref.shape.at(0));
  ASSERT_EQ(images->cols, image_ref.shape.at(1));
  const double image_error = worst_row_error(*images, image_ref);
  EXPECT_LE(image_error, kMaxRelativeError) << "image embeddings, backend " << backend;

  auto texts = m.encode_texts(fixture_ids());
  ASSERT_TRUE(texts.ok()) << texts.error().message;
  const auto text_ref = load_npy("text_embeds.npy");
  ASSERT_EQ(texts->rows, text_ref.shape.at(0));
  ASSERT_EQ(texts->cols, text_ref.shape.at(1));
  const double text_error = worst_row_error(*texts, text_ref);
  EXPECT_LE(text_error, kMaxRelativeError) << "text embeddings, backend " << backend;

  const auto logits = siglip_logits(*images, *texts, m.logit_scale(), m.logit_bias());  // (4 images, 4 texts)
  const auto ref = load_npy("logits_per_image.npy").as_f32();
  ASSERT_EQ(logits.data.size(), ref.size());
  double max_ref = 0, max_diff = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    max_ref = std::max(max_ref, std::abs(static_cast<double>(ref[i])));
    max_diff = std::max(max_diff, std::abs(static_cast<double>(logits.data[i]) - ref[i]));
  }
  const double logit_error = max_diff / std::max(max_ref, 1e-30);
  EXPECT_LE(logit_error, kMaxRelativeError) << "logits, backend " << backend;
  std::printf("  default model %-9s image %.2e  text %.2e  logits %.2e\n", backend.c_str(), image_error, text_error,
              logit_error);
}

INSTANTIATE_TEST_SUITE_P(Backends, DefaultModelParity, ::testing::Values("reference", "fast"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace cxr::model
