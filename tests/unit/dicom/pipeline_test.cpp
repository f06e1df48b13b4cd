// VOI functions of PS3.3 C.11.2.1.2/3 on known values, and concurrent loading (the module's
// functions are documented reentrant; DCMTK codec registration happens once).
#include "pixel_pipeline.h"
#include "test_util.h"

#include "cxr/dicom/dicom.h"

#include <gtest/gtest.h>

#include <thread>

namespace cxr::dicom {
namespace {

ModalityImage ramp(std::vector<float> values) {
  ModalityImage image;
  image.width = static_cast<int>(values.size());
  image.height = 1;
  image.values = std::move(values);
  return image;
}

TEST(Voi, LinearExactAndSigmoid) {
  const auto image = ramp({-1000, 0, 50, 100, 1000});
  const Window window{50, 100, ""};
  const auto exact = internal::window_to_8bit(image, window, internal::VoiFunction::kLinearExact);
  EXPECT_EQ(exact.pixels, (std::vector<uint8_t>{0, 0, 128, 255, 255}));  // ((x-c)/w + 0.5) * 255
  const auto sigmoid = internal::window_to_8bit(image, window, internal::VoiFunction::kSigmoid);
  EXPECT_EQ(sigmoid.pixels[0], 0);
  EXPECT_EQ(sigmoid.pixels[2], 128);  // 255 / (1 + e^0) = 127.5
  EXPECT_EQ(sigmoid.pixels[3], 225);  // 255 / (1 + e^(-4 * (100 - 50) / 100)) = 224.6
  EXPECT_EQ(sigmoid.pixels[4], 255);
}

TEST(Voi, LutSequenceIsIndexedFromFirstMapped) {
  internal::VoiLut lut;
  lut.first_mapped = 10;
  lut.bits = 8;
  lut.data = {0, 100, 255};
  const auto out = internal::voi_lut_to_8bit(ramp({0, 10, 11, 12, 500}), lut);
  EXPECT_EQ(out.pixels, (std::vector<uint8_t>{0, 0, 100, 255, 255}));
}

TEST(Concurrency, ParallelLoadsEqualSerialLoads) {
  const std::vector<std::string> files = {
      test::shared_dicom("syntax/MR_small_RLE.dcm"), test::shared_dicom("syntax/MR_small_jpeg_ls_lossless.dcm"),
      test::shared_dicom("syntax/JPEGBaseline_1s_1f_u_08_08.dcm"), test::shared_dicom("syntax/US1_J2KI.dcm"),
      test::shared_dicom("syntax/emri_small_big_endian.dcm"), test::shared_dicom("syntax/image_dfl.dcm"),
      test::shared_dicom("syntax/SC_rgb_rle_16bit.dcm"), test::shared_dicom("syntax/HTJ2K_08_RGB.dcm")};
  std::vector<std::vector<uint8_t>> serial;
  for (const auto& file : files) {
    auto loaded = load_image(file);
    ASSERT_TRUE(loaded) << loaded.error().message;
    serial.push_back(loaded->image.pixels);
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round)
        for (size_t i = 0; i < files.size(); ++i) {
          const size_t index = (i + t) % files.size();
          auto loaded = load_image(files[index]);
          mismatches[t] += !loaded || loaded->image.pixels != serial[index];
        }
    });
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace cxr::dicom
