// SigLIP engine internals and behaviour that needs no fixture: the model hash, bicubic position
// interpolation (against values printed by torch.nn.functional.interpolate), input validation,
// batching, backend agreement and concurrent use, on small random-weight models.
#include "cxr/model/siglip.h"
#include "siglip/position_interpolation.h"
#include "siglip/sha256.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace cxr::model {
namespace {

TEST(Sha256, KnownVectors) {  // FIPS 180-4 examples
  auto digest = [](const std::string& s) {
    siglip::Sha256 h;
    h.update(s.data(), s.size());
    return h.hex_digest();
  };
  EXPECT_EQ(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Streaming in odd pieces gives the same digest as one update.
  siglip::Sha256 pieces;
  const std::string million(1000000, 'a');
  for (std::size_t i = 0; i < million.size(); i += 997) pieces.update(million.data() + i, std::min<std::size_t>(997, million.size() - i));
  EXPECT_EQ(pieces.hex_digest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FilesAndErrors) {
  const auto path = std::filesystem::temp_directory_path() / "cxr_sha256_test.bin";
  std::ofstream(path) << "abc";
  EXPECT_EQ(siglip::sha256_files({path.string()}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
  EXPECT_THROW(siglip::sha256_files({path.string()}), Exception);
}

// Expected values: torch.nn.functional.interpolate(x, size, mode="bicubic", align_corners=False)
// on x = arange(9).reshape(1, 1, 3, 3) ** 1.5 (torch 2.15).
TEST(PositionInterpolation, MatchesTorchBicubic) {
  std::vector<float> grid(9);
  for (int i = 0; i < 9; ++i) grid[i] = std::pow(static_cast<float>(i), 1.5f);
  const std::vector<float> up = {-0.578206f, -0.300322f, 0.328f,    1.427103f, 2.189714f, 1.175911f, 1.798524f,
                                 2.958545f,  4.474831f,  5.464264f, 4.926983f, 6.055062f, 8.0f,      10.148245f,
                                 11.485654f, 11.043223f, 12.488291f, 14.9424f,  17.551622f, 19.156403f, 15.232583f,
                                 16.828316f, 19.530209f, 22.380566f, 24.129171f};
  const auto got_up = siglip::interpolate_positions(grid, 3, 5, 1);
  ASSERT_EQ(got_up.size(), up.size());
  for (std::size_t i = 0; i < up.size(); ++i) EXPECT_NEAR(got_up[i], up[i], 2e-5) << i;
  const std::vector<float> down = {1.080373f, 3.890219f, 13.416672f, 19.562361f};
  const auto got_down = siglip::interpolate_positions(grid, 3, 2, 1);
  for (std::size_t i = 0; i < down.size(); ++i) EXPECT_NEAR(got_down[i], down[i], 2e-5) << i;
  EXPECT_EQ(siglip::interpolate_positions(grid, 3, 3, 1), grid);  // native size: untouched
}

SiglipConfig tiny_config() {
  SiglipConfig c;
  c.vision.hidden_size = 32; c.vision.intermediate_size = 48; c.vision.num_hidden_layers = 2;
  c.vision.num_attention_heads = 4; c.vision.image_size = 32; c.vision.patch_size = 8;
  c.text.hidden_size = 24; c.text.intermediate_size = 40; c.text.num_hidden_layers = 2;
  c.text.num_attention_heads = 3; c.text.vocab_size = 100; c.text.max_position_embeddings = 12;
  c.text.projection_size = 32;
  return c;
}

std::vector<float> random_pixels(int batch, int size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> pixels(static_cast<std::size_t>(batch) * 3 * size * size);
  for (auto& p : pixels) p = dist(rng);
  return pixels;
}

std::shared_ptr<SiglipModel> tiny_model(const std::string& backend = "fast") {
  auto model = SiglipModel::create_random(tiny_config(), 7, EngineOptions{backend, 2});
  EXPECT_TRUE(model.ok()) << model.error().message;
  return *model;
}

TEST(SiglipModel, RejectsBadInputsWithClearErrors) {
  auto model = tiny_model();
  const auto pixels = random_pixels(1, 32, 1);
  auto bad_size = model->encode_images(pixels.data(), 1, 30);
  ASSERT_FALSE(bad_size.ok());
  EXPECT_NE(bad_size.error().message.find("multiple of the patch size 8"), std::string::npos) << bad_size.error().message;
  EXPECT_FALSE(model->encode_images(pixels.data(), 0, 32).ok());
  EXPECT_FALSE(model->encode_images(nullptr, 1, 32).ok());
  auto nan_pixels = pixels;
  nan_pixels[100] = NAN;
  auto nan = model->encode_images(nan_pixels.data(), 1, 32);
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.error().message.find("NaN"), std::string::npos);

  EXPECT_FALSE(model->encode_texts(std::vector<std::vector<int>>{}).ok());
  auto out_of_vocab = model->encode_texts(std::vector<std::vector<int>>{std::vector<int>(12, 100)});
  ASSERT_FALSE(out_of_vocab.ok());
  EXPECT_NE(out_of_vocab.error().message.find("outside the vocabulary"), std::string::npos);
  EXPECT_FALSE(model->encode_texts(std::vector<std::vector<int>>{std::vector<int>(13, 1)}).ok());  // too long
  EXPECT_FALSE(model->encode_texts(std::vector<std::vector<int>>{std::vector<int>(12, 1), std::vector<int>(11, 1)}).ok());
  auto no_tokenizer = model->encode_texts(std::vector<std::string>{"pleural effusion"});
  ASSERT_FALSE(no_tokenizer.ok());
  EXPECT_EQ(no_tokenizer.error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(model->tokenizer(), nullptr);
  EXPECT_EQ(model->model_hash(), "random-7");
}

TEST(SiglipModel, LoadErrorsNameTheProblem) {
  auto missing = SiglipModel::load("/nonexistent/model");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/model"), std::string::npos);
  auto bad_backend = SiglipModel::create_random(tiny_config(), 1, EngineOptions{"quantum", 0});
  ASSERT_FALSE(bad_backend.ok());
  EXPECT_NE(bad_backend.error().message.find("quantum"), std::string::npos);
  auto config = tiny_config();
  config.vision.num_attention_heads = 5;  // 32 % 5 != 0
  EXPECT_FALSE(SiglipModel::create_random(config, 1).ok());
}

double max_relative_row_error(const Embeddings& a, const Embeddings& b) {
  double worst = 0;
  for (int r = 0; r < a.rows; ++r) {
    double diff = 0, norm = 0;
    for (int c = 0; c < a.cols; ++c) {
      diff += (a.row(r)[c] - b.row(r)[c]) * double(a.row(r)[c] - b.row(r)[c]);
      norm += b.row(r)[c] * double(b.row(r)[c]);
    }
    worst = std::max(worst, std::sqrt(diff / norm));
  }
  return worst;
}

// Batch of 19 (crosses the 16-image internal chunk) == each image alone, and fast == reference.
TEST(SiglipModel, BatchingAndBackendsAgree) {
  auto fast = tiny_model("fast");
  auto reference = tiny_model("reference");
  const int batch = 19;
  const auto pixels = random_pixels(batch, 32, 2);
  auto batched = fast->encode_images(pixels.data(), batch, 32);
  ASSERT_TRUE(batched.ok()) << batched.error().message;
  ASSERT_EQ(batched->rows, batch);
  auto ref = reference->encode_images(pixels.data(), batch, 32);
  ASSERT_TRUE(ref.ok());
  EXPECT_LE(max_relative_row_error(*batched, *ref), 1e-5);
  for (int i : {0, 15, 16, 18}) {
    auto single = fast->encode_images(pixels.data() + static_cast<std::size_t>(i) * 3 * 32 * 32, 1, 32);
    ASSERT_TRUE(single.ok());
    for (int c = 0; c < single->cols; ++c) EXPECT_NEAR(single->row(0)[c], batched->row(i)[c], 1e-5) << "image " << i;
  }
  // Another input size (interpolated positions) works and differs from the native one.
  const auto big = random_pixels(2, 48, 3);
  auto interp = fast->encode_images_with_patches(big.data(), 2, 48);
  ASSERT_TRUE(interp.ok()) << interp.error().message;
  EXPECT_EQ(interp->grid, 6);
  EXPECT_EQ(interp->patch_embeds.rows, 2 * 36);
  auto interp_ref = reference->encode_images_with_patches(big.data(), 2, 48);
  ASSERT_TRUE(interp_ref.ok());
  EXPECT_LE(max_relative_row_error(interp->patch_embeds, interp_ref->patch_embeds), 1e-5);

  std::vector<std::vector<int>> ids;
  for (int t = 0; t < 70; ++t) {  // crosses the 64-text chunk
    std::vector<int> row(12, 1);
    for (int j = 0; j < 1 + t % 10; ++j) row[j] = 2 + (t * 7 + j * 13) % 98;
    ids.push_back(row);
  }
  auto texts = fast->encode_texts(ids);
  auto texts_ref = reference->encode_texts(ids);
  ASSERT_TRUE(texts.ok() && texts_ref.ok());
  EXPECT_EQ(texts->rows, 70);
  EXPECT_EQ(texts->cols, 32);
  EXPECT_LE(max_relative_row_error(*texts, *texts_ref), 1e-5);
}

TEST(SiglipModel, ConcurrentEncodesAreConsistent) {
  auto model = tiny_model("fast");
  const auto pixels = random_pixels(3, 32, 4);
  auto expected = model->encode_images(pixels.data(), 3, 32);
  ASSERT_TRUE(expected.ok());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 5; ++round) {
        auto got = model->encode_images(pixels.data(), 3, 32);
        if (!got.ok() || got->data != expected->data) mismatches++;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Embeddings, NormalizeAndLogits) {
  Embeddings images{2, 2, {3, 4, 0, 0}};
  Embeddings texts{1, 2, {1, 0}};
  const auto logits = siglip_logits(images, texts, 10.0f, -1.0f);
  EXPECT_FLOAT_EQ(logits.row(0)[0], 10.0f * 0.6f - 1.0f);
  EXPECT_FLOAT_EQ(logits.row(1)[0], -1.0f);  // zero vector: cosine 0, no NaN
  l2_normalize_rows(images);
  EXPECT_FLOAT_EQ(images.row(0)[1], 0.8f);
  EXPECT_FLOAT_EQ(images.row(1)[0], 0.0f);
}

}  // namespace
}  // namespace cxr::model
