// Model-input preprocessing: letterbox geometry, stretch, normalisation, spec validation.
#include "test_util.h"

#include "cxr/dicom/dicom.h"

#include <gtest/gtest.h>

namespace cxr::dicom {
namespace {

Image8 constant_image(int width, int height, uint8_t value) {
  return Image8{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height, value)};
}

TEST(Preprocess, LetterboxKeepsAspectAndCentres) {
  PreprocessSpec spec;
  spec.image_size = 224;
  spec.pad_value = 7;
  const Image8 out = resize_for_model(constant_image(200, 100, 200), spec);  // -> 224 x 112, top margin 56
  ASSERT_EQ(out.width, 224);
  ASSERT_EQ(out.height, 224);
  auto at = [&](int x, int y) { return out.pixels[static_cast<size_t>(y) * 224 + x]; };
  EXPECT_EQ(at(100, 55), 7);
  EXPECT_EQ(at(100, 56), 200);
  EXPECT_EQ(at(100, 167), 200);
  EXPECT_EQ(at(100, 168), 7);
  EXPECT_EQ(at(0, 100), 200);
  EXPECT_EQ(at(223, 100), 200);
}

TEST(Preprocess, StretchFillsTheSquare) {
  PreprocessSpec spec;
  spec.image_size = 64;
  spec.resize = "stretch";
  spec.filter = "bilinear";
  const Image8 out = resize_for_model(constant_image(300, 30, 90), spec);
  for (uint8_t p : out.pixels) ASSERT_EQ(p, 90);
}

TEST(Preprocess, TensorIsNormalisedPerChannel) {
  PreprocessSpec spec;
  spec.image_size = 8;
  spec.mean = {0.5f, 0.25f, 0.0f};
  spec.std = {0.5f, 0.25f, 1.0f};
  const Image8 resized = resize_for_model(constant_image(8, 8, 255), spec);
  const auto tensor = to_model_tensor(resized, spec);
  ASSERT_EQ(tensor.size(), 3u * 64);
  EXPECT_FLOAT_EQ(tensor[0], 1.0f);        // (1 - 0.5) / 0.5
  EXPECT_FLOAT_EQ(tensor[64], 3.0f);       // (1 - 0.25) / 0.25
  EXPECT_FLOAT_EQ(tensor[128 + 63], 1.0f); // (1 - 0) / 1
  spec.channels = 1;
  EXPECT_EQ(to_model_tensor(resized, spec).size(), 64u);
}

TEST(Preprocess, RealRadiographKeepsItsContent) {
  auto loaded = load_image(test::shared_dicom("xray/nih_cxr_sample.dcm"));
  ASSERT_TRUE(loaded) << loaded.error().message;
  PreprocessSpec spec;
  const Image8 out = resize_for_model(loaded->image, spec);
  double in_mean = 0, out_mean = 0;
  for (uint8_t p : loaded->image.pixels) in_mean += p;
  for (uint8_t p : out.pixels) out_mean += p;
  in_mean /= loaded->image.pixels.size();
  out_mean /= out.pixels.size();
  EXPECT_NEAR(out_mean, in_mean, 1.0);  // square input: no padding, area filter preserves the mean
}

TEST(Preprocess, SpecParsingAndValidation) {
  auto spec = parse_preprocess_spec(R"({"image_size": 384, "resize": "stretch", "filter": "bicubic",
                                        "mean": [0.485, 0.456, 0.406], "std": 0.5, "channels": 3})");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->image_size, 384);
  EXPECT_EQ(spec->resize, "stretch");
  EXPECT_FLOAT_EQ(spec->mean[2], 0.406f);
  EXPECT_FLOAT_EQ(spec->std[1], 0.5f);
  for (const char* bad : {R"({"image_size": 2})", R"({"resize": "crop"})", R"({"std": [0, 1, 1]})",
                          R"({"mean": [1, 2]})", "[1, 2]", "{not json"}) {
    auto parsed = parse_preprocess_spec(bad);
    EXPECT_FALSE(parsed) << bad;
  }
  auto missing = load_preprocess_spec("/no/such/preprocess.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/no/such/preprocess.json"), std::string::npos);
}

}  // namespace
}  // namespace cxr::dicom
