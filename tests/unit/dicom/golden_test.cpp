// Decoded stored values of every file in shared/data/dicom/{xray,syntax} against goldens written by
// an independent decoder (pydicom + pylibjpeg/openjpeg; tools/dicom/make_goldens.py).
// Lossless syntaxes: exact (weighted checksum, sum, min, max). Lossy: 8x8 block means of sample 0
// within 1.5% of the value range (different IDCT/wavelet implementations round differently).
#include "pixel_decode.h"
#include "test_util.h"

#include "cxr/dicom/image.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace cxr::dicom {
namespace {

nlohmann::json load_goldens() {
  std::ifstream in(std::string(CXR_TEST_FIXTURES_DIR) + "/dicom/golden.json");
  return nlohmann::json::parse(in);
}

uint64_t checksum(const std::vector<int32_t>& values) {
  uint64_t sum = 0;
  for (size_t i = 0; i < values.size(); ++i)
    sum += static_cast<uint64_t>(static_cast<int64_t>(values[i])) * (i % 65521 + 1);
  return sum;
}

std::vector<double> block_means(const internal::RawFrame& f) {
  std::vector<double> means;
  for (int by = 0; by < 8; ++by)
    for (int bx = 0; bx < 8; ++bx) {
      double sum = 0;
      size_t count = 0;
      for (int y = by * f.rows / 8; y < (by + 1) * f.rows / 8; ++y)
        for (int x = bx * f.columns / 8; x < (bx + 1) * f.columns / 8; ++x, ++count)
          sum += f.samples[(static_cast<size_t>(y) * f.columns + x) * f.samples_per_pixel];
      means.push_back(count ? sum / count : 0);
    }
  return means;
}

TEST(Golden, GoldenFileCoversTheSharedData) {
  const auto goldens = load_goldens();
  EXPECT_GE(goldens["files"].size(), 30u) << "regenerate with tools/dicom/make_goldens.py";
}

TEST(Golden, EveryDecodableFileMatchesTheReferenceDecoder) {
  const auto goldens = load_goldens();
  int checked = 0;
  for (const auto& entry : goldens["files"]) {
    const std::string path = test::shared_dicom(entry["file"].get<std::string>());
    for (const auto& check : entry["checks"]) {
      const int frame = check["frame"].get<int>();
      SCOPED_TRACE(path + " frame " + std::to_string(frame));
      internal::RawFrame decoded;
      try {
        decoded = internal::decode_file_frame(path, frame);
      } catch (const Exception& e) {
        ADD_FAILURE() << "decode failed: " << e.what();
        continue;
      }
      ASSERT_EQ(decoded.rows, entry["rows"].get<int>());
      ASSERT_EQ(decoded.columns, entry["columns"].get<int>());
      ASSERT_EQ(decoded.samples_per_pixel, entry["samples_per_pixel"].get<int>());
      const auto [lo, hi] = std::minmax_element(decoded.samples.begin(), decoded.samples.end());
      if (!entry["lossy"].get<bool>()) {
        int64_t sum = 0;
        for (int32_t v : decoded.samples) sum += v;
        EXPECT_EQ(std::to_string(checksum(decoded.samples)), check["checksum"].get<std::string>());
        EXPECT_EQ(sum, check["sum"].get<int64_t>());
        EXPECT_EQ(*lo, check["min"].get<int>());
        EXPECT_EQ(*hi, check["max"].get<int>());
      } else {
        const double range = std::max(1, check["max"].get<int>() - check["min"].get<int>());
        const auto means = block_means(decoded);
        const auto expected = check["block_means"];
        for (size_t b = 0; b < means.size(); ++b)
          EXPECT_NEAR(means[b], expected[b].get<double>(), 0.015 * range + 0.5) << "block " << b;
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

TEST(Golden, FilesTheReferenceCannotDecodeGiveAClearError) {
  const auto goldens = load_goldens();
  for (const auto& skipped : goldens["not_decodable_by_reference"]) {
    const std::string path = test::shared_dicom(skipped["file"].get<std::string>());
    auto loaded = load_image(path);
    if (!loaded) {
      EXPECT_NE(loaded.error().message.find(path), std::string::npos) << loaded.error().message;
    } else {
      EXPECT_GT(loaded->image.width, 0) << path;  // we decode more than the reference can
    }
  }
}

}  // namespace
}  // namespace cxr::dicom
