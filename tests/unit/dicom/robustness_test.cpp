// Bad input never crashes or hangs: every file in shared/data/dicom/broken, plus truncated and
// byte-flipped variants of good files (generated here, fixed seed), gives either an image or an
// error whose message names the file. Run under ASan/UBSan with -DCXR_SANITIZE=ON.
#include "test_util.h"

#include "cxr/dicom/dicom.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

namespace cxr::dicom {
namespace {

// Loads path; on failure the message must name the file and say something after it.
void expect_clean_outcome(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  auto loaded = load_image(path);
  auto meta = read_metadata(path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0) << path;
  for (const Error* error : {loaded ? nullptr : &loaded.error(), meta ? nullptr : &meta.error()}) {
    if (!error) continue;
    EXPECT_EQ(error->message.rfind(path + ": ", 0), 0u) << error->message;
    EXPECT_GT(error->message.size(), path.size() + 8) << error->message;
  }
  if (loaded) {
    EXPECT_GT(loaded->image.width, 0);
    EXPECT_EQ(loaded->image.pixels.size(), static_cast<size_t>(loaded->image.width) * loaded->image.height);
  }
}

TEST(Robustness, EveryBrokenFileGivesAClearError) {
  // bad_sequence.dcm only has a malformed sequence in an unrelated attribute (stored as UN): its
  // image is intact and is shown, as DCMTK and pydicom do. Every other file here must fail.
  int failed = 0, total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::shared_dicom("broken"))) {
    const std::string path = entry.path().string();
    SCOPED_TRACE(path);
    expect_clean_outcome(path);
    ++total;
    if (entry.path().filename() == "bad_sequence.dcm") continue;
    auto loaded = load_image(path);
    EXPECT_FALSE(loaded) << "a broken file loaded without error";
    failed += !loaded;
  }
  EXPECT_EQ(total, 6);
  EXPECT_EQ(failed, 5);
}

TEST(Robustness, NotDicomAtAll) {
  const auto dir = test::scratch_dir("not-dicom");
  const std::string empty = (dir / "empty.dcm").string(), text = (dir / "notes.dcm").string(),
                    folder = dir.string(), missing = (dir / "missing.dcm").string();
  test::write_bytes(empty, {});
  test::write_bytes(text, std::vector<uint8_t>(5000, 'x'));
  for (const auto& path : {empty, text, folder, missing}) {
    SCOPED_TRACE(path);
    auto loaded = load_image(path);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().message.rfind(path + ": ", 0), 0u) << loaded.error().message;
  }
  EXPECT_EQ(load_image(missing).error().code, ErrorCode::kNotFound);
}

TEST(Robustness, FuzzFoundDcmtkExceptionBecomesAnError) {
  // Found by tests/fuzz/dicom: DCMTK 3.6.7 throws std::out_of_range while parsing this damaged
  // DICOMDIR; it must come back as a corrupt-data error naming the file, not an internal error.
  const std::string path = std::string(CXR_TEST_FIXTURES_DIR) + "/dicom/fuzz-dcmtk-out-of-range.dcm";
  for (bool header_only : {true, false}) {
    const Error error = header_only ? read_metadata(path).error() : load_image(path).error();
    EXPECT_EQ(error.code, ErrorCode::kCorruptData) << error.message;
    EXPECT_EQ(error.message.rfind(path + ": malformed data", 0), 0u) << error.message;
  }
}

class DamagedVariants : public ::testing::TestWithParam<const char*> {};

TEST_P(DamagedVariants, TruncatedAndByteFlippedCopiesNeverCrash) {
  const std::string source = GetParam()[0] == '/' ? GetParam() : test::shared_dicom(GetParam());
  const auto original = test::read_bytes(source);
  ASSERT_GT(original.size(), 200u);
  const auto dir = test::scratch_dir(std::string("damaged-") + std::filesystem::path(source).stem().string());
  // Truncations: inside the preamble, inside the header, and at several points in the pixel data.
  for (double fraction : {0.0005, 0.02, 0.1, 0.5, 0.9, 0.99}) {
    std::vector<uint8_t> cut(original.begin(), original.begin() + std::max<size_t>(1, original.size() * fraction));
    const std::string path = (dir / ("cut" + std::to_string(cut.size()) + ".dcm")).string();
    test::write_bytes(path, cut);
    SCOPED_TRACE(path);
    expect_clean_outcome(path);
  }
  std::vector<uint8_t> minus_one(original.begin(), original.end() - 1);
  test::write_bytes((dir / "minus1.dcm").string(), minus_one);
  expect_clean_outcome((dir / "minus1.dcm").string());
  // Byte flips: 1 to 16 random bytes set to random values, mostly in the first 2 KiB (the header).
  std::mt19937 random(20261203);
  for (int variant = 0; variant < 40; ++variant) {
    auto damaged = original;
    const int flips = 1 + variant % 16;
    for (int f = 0; f < flips; ++f) {
      const size_t range = (variant % 4 == 3) ? damaged.size() : std::min<size_t>(damaged.size(), 2048);
      damaged[random() % range] = static_cast<uint8_t>(random());
    }
    const std::string path = (dir / ("flip" + std::to_string(variant) + ".dcm")).string();
    test::write_bytes(path, damaged);
    SCOPED_TRACE(path);
    expect_clean_outcome(path);
  }
}

INSTANTIATE_TEST_SUITE_P(SharedData, DamagedVariants,
                         ::testing::Values("syntax/MR_small_RLE.dcm", "syntax/MR_small_jpeg_ls_lossless.dcm",
                                           "syntax/JPEGBaseline_1s_1f_u_08_08.dcm", "syntax/US1_J2KI.dcm",
                                           "syntax/emri_small_big_endian.dcm", "syntax/image_dfl.dcm",
                                           "syntax/SC_rgb_rle_16bit.dcm", "syntax/emri_small_RLE.dcm",
                                           CXR_SHARED_DATA_DIR "/cxr/nih-dev/images/00001280_004.jpg"));

}  // namespace
}  // namespace cxr::dicom
