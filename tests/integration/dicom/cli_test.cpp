// `cxr info`, `cxr render`, `cxr preprocess` end to end: exit codes, JSON records, PNG and .npy outputs.
#include "cxr/dicom/dicom.h"
#include "cxr/npy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace cxr::dicom {
namespace {

namespace fs = std::filesystem;

struct Run {
  int exit_code = -1;
  std::string out;  // stdout only; stderr goes to the test log
};

Run cxr(const std::string& args) {
  const std::string command = std::string(CXR_BINARY_DIR) + "/bin/cxr " + args;
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.out.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string dicom_file(const std::string& relative) { return std::string(CXR_SHARED_DATA_DIR) + "/dicom/" + relative; }
std::string nih_jpeg(const std::string& name) { return std::string(CXR_SHARED_DATA_DIR) + "/cxr/nih-dev/images/" + name; }

fs::path scratch(const std::string& name) {
  // Per process: CTest runs the cases in parallel processes; a shared folder would be wiped under another.
  const fs::path dir = fs::path(CXR_BINARY_DIR) / "test-scratch" / "dicom-cli" / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::string> lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CxrInfo, JsonRecordPerInstanceAndErrorsForFailedInputs) {
  const auto run = cxr("info --json '" + dicom_file("xray") + "' '" + dicom_file("broken/badVR.dcm") + "' /no/such.dcm");
  EXPECT_EQ(run.exit_code, 1);
  const auto records = nlohmann::json::parse(run.out);
  ASSERT_EQ(records.size(), 11u + 2u);
  int errors = 0;
  for (const auto& record : records) {
    ASSERT_TRUE(record.contains("path"));
    if (record.contains("error")) {
      ++errors;
      EXPECT_NE(record["error"].get<std::string>().find(record["path"].get<std::string>()), std::string::npos);
      continue;
    }
    for (const char* key : {"sop_instance_uid", "study_instance_uid", "series_instance_uid", "modality", "rows",
                            "columns", "frames", "photometric", "bits_stored", "transfer_syntax_uid",
                            "view_position", "patient_name"})
      EXPECT_TRUE(record.contains(key)) << key;
  }
  EXPECT_EQ(errors, 2);
}

TEST(CxrInfo, KoreanPatientNameIsUtf8AndAllGoodMeansExitZero) {
  const auto run = cxr("info --json '" + std::string(CXR_TEST_FIXTURES_DIR) + "/dicom/charset/korean_ir149.dcm'");
  EXPECT_EQ(run.exit_code, 0);
  const auto records = nlohmann::json::parse(run.out);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["patient_name"], "Hong^Gildong=\xE6\xB4\xAA^\xE5\x90\x89\xE6\xB4\x9E=\xED\x99\x8D^\xEA\xB8\xB8\xEB\x8F\x99");
  EXPECT_EQ(cxr("info").exit_code, 2);
}

TEST(CxrRender, WritesTheWindowedFrame) {
  const auto dir = scratch("render");
  const std::string source = dicom_file("syntax/emri_small_RLE.dcm");
  const std::string out = (dir / "frame3.png").string();
  ASSERT_EQ(cxr("render '" + source + "' -o '" + out + "' --window 300,600 --frame 3").exit_code, 0);
  auto png = read_png_or_jpeg(out);
  ASSERT_TRUE(png) << png.error().message;
  auto expected = load_image(source, {3, Window{300, 600, ""}});
  ASSERT_TRUE(expected);
  EXPECT_EQ(png->pixels, expected->image.pixels);
  EXPECT_EQ(cxr("render '" + source + "' -o '" + out + "' --frame 99").exit_code, 1);
  EXPECT_EQ(cxr("render '" + source + "' -o '" + out + "' --window 300").exit_code, 2);
  EXPECT_EQ(cxr("render '" + dicom_file("broken/MR_truncated.dcm") + "' -o '" + out + "'").exit_code, 1);
}

TEST(CxrPreprocess, U8CacheWithSidecarsAndAFailedInput) {
  const auto dir = scratch("preprocess-u8");
  const fs::path spec = dir / "spec.json";
  std::ofstream(spec) << R"({"image_size": 64, "resize": "letterbox"})";
  const fs::path list = dir / "list.txt";
  std::ofstream(list) << "00001280_004.jpg\n00001299_000.jpg\nmissing.jpg\n";
  const fs::path out = dir / "cache.npy";
  const auto run = cxr("preprocess --spec '" + spec.string() + "' --list '" + list.string() + "' --root '" +
                       nih_jpeg("") + "' '" + dicom_file("xray/nih_cxr_sample.dcm") + "' -o '" + out.string() +
                       "' --format u8 --threads 3");
  EXPECT_EQ(run.exit_code, 1);
  auto array = read_npy(out.string());
  ASSERT_TRUE(array) << array.error().message;
  EXPECT_EQ(array->shape, (std::vector<int64_t>{4, 64, 64}));
  EXPECT_EQ(lines(out.string() + ".paths.txt").size(), 4u);
  const auto failed = lines(out.string() + ".failed.txt");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].find("missing.jpg"), std::string::npos);
  const size_t plane = 64 * 64;
  for (size_t i = 0; i < plane; ++i) ASSERT_EQ(array->bytes[2 * plane + i], 0) << "failed row must be zero";
  // Row 3 is the DICOM: equal to the library's own preprocessing.
  auto loaded = load_image(dicom_file("xray/nih_cxr_sample.dcm"));
  ASSERT_TRUE(loaded);
  PreprocessSpec s;
  s.image_size = 64;
  const Image8 expected = resize_for_model(loaded->image, s);
  EXPECT_TRUE(std::equal(expected.pixels.begin(), expected.pixels.end(), array->bytes.begin() + 3 * plane));
}

TEST(CxrPreprocess, F32TensorIsIndependentOfThreadCount) {
  const auto dir = scratch("preprocess-f32");
  const fs::path spec = dir / "spec.json";
  std::ofstream(spec) << R"({"image_size": 32, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]})";
  const std::string inputs = "'" + nih_jpeg("00001280_004.jpg") + "' '" + nih_jpeg("00001299_000.jpg") + "' '" +
                             dicom_file("syntax/MR_small_RLE.dcm") + "'";
  for (int threads : {1, 3})
    ASSERT_EQ(cxr("preprocess --spec '" + spec.string() + "' " + inputs + " -o '" +
                  (dir / ("t" + std::to_string(threads) + ".npy")).string() + "' --threads " + std::to_string(threads))
                  .exit_code,
              0);
  auto one = read_npy((dir / "t1.npy").string());
  auto three = read_npy((dir / "t3.npy").string());
  ASSERT_TRUE(one && three);
  EXPECT_EQ(one->shape, (std::vector<int64_t>{3, 3, 32, 32}));
  EXPECT_EQ(one->bytes, three->bytes);
  const auto values = one->as_f32();
  for (float v : values) ASSERT_TRUE(v >= -1.0f && v <= 1.0f);
  EXPECT_FALSE(fs::exists(dir / "t1.npy.failed.txt"));
  EXPECT_EQ(cxr("preprocess --spec '" + spec.string() + "' -o '" + (dir / "x.npy").string() + "'").exit_code, 2);
}

}  // namespace
}  // namespace cxr::dicom
