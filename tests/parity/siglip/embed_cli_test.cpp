// `cxr embed` end to end: runs the built binary on the small parity model and checks its outputs
// against the fixture (texts) and against the library called in-process (images), plus exit codes.
#include "cxr/core/engine_io.h"
#include "cxr/model/siglip.h"
#include "cxr/npy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

namespace cxr {
namespace {
namespace fs = std::filesystem;

const fs::path kModel = fs::path(CXR_TEST_FIXTURES_DIR) / "parity" / "small";
const fs::path kSampleDicom = fs::path(CXR_SOURCE_DIR) / "resources" / "samples" / "rsna_cr_jpeg_baseline.dcm";
const std::string kCxr = std::string(CXR_BINARY_DIR) + "/bin/cxr";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int run(const std::string& args) {
  const int status = std::system((kCxr + " " + args + " 2>/dev/null").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

double relative_error(const float* a, const float* b, int n) {
  double diff = 0, norm = 0;
  for (int i = 0; i < n; ++i) {
    diff += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    norm += double(b[i]) * b[i];
  }
  return std::sqrt(diff / norm);
}

TEST(EmbedCli, TextMatchesTransformers) {
  std::ifstream in(kModel / "texts.json");
  ASSERT_TRUE(in);
  const auto texts = nlohmann::json::parse(in).at("texts");
  const std::string text = texts.at(1).at("text").get<std::string>();
  const fs::path out = fs::temp_directory_path() / "cxr_embed_text_test.json";
  ASSERT_EQ(run("embed --model " + quote(kModel.string()) + " --text " + quote(text) + " -o " + quote(out.string())), 0);
  std::ifstream result(out);
  const auto json = nlohmann::json::parse(result);
  EXPECT_EQ(json.at("kind"), "text");
  EXPECT_EQ(json.at("model_hash").get<std::string>().size(), 64u);
  const auto embedding = json.at("embeddings").at(0).at("embedding").get<std::vector<float>>();
  const auto expected = read_npy((kModel / "text_embeds.npy").string())->as_f32();
  ASSERT_EQ(embedding.size(), 64u);
  EXPECT_LE(relative_error(embedding.data(), expected.data() + 64, 64), 1e-4);
  fs::remove(out);
}

TEST(EmbedCli, ImagesToNpyReportFailures) {
  const fs::path out = fs::temp_directory_path() / "cxr_embed_image_test.npy";
  // One real DICOM, one missing file: exit 1, the good one written, normalised.
  EXPECT_EQ(run("embed --model " + quote(kModel.string()) + " --image " + quote(kSampleDicom.string()) +
                " --image /nonexistent/x.png --normalize -o " + quote(out.string())),
            1);
  auto array = read_npy(out.string());
  ASSERT_TRUE(array.ok()) << array.error().message;
  ASSERT_EQ(array->shape, (std::vector<int64_t>{1, 64}));
  const auto got = array->as_f32();

  auto model = model::SiglipModel::load(kModel.string());
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto spec = core::preprocess_spec_for_model(kModel.string(), (*model)->config());
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->image_size, 32);  // no preprocess.json: the model's own size
  auto tensor = core::image_to_model_tensor(kSampleDicom.string(), *spec);
  ASSERT_TRUE(tensor.ok()) << tensor.error().message;
  auto expected = (*model)->encode_images(tensor->data(), 1, spec->image_size);
  ASSERT_TRUE(expected.ok());
  model::l2_normalize_rows(*expected);
  EXPECT_LE(relative_error(got.data(), expected->data.data(), 64), 1e-5);
  fs::remove(out);
}

TEST(EmbedCli, UsageErrors) {
  EXPECT_EQ(run("embed --model " + quote(kModel.string())), 2);                                   // nothing to embed
  EXPECT_EQ(run("embed --model " + quote(kModel.string()) + " --text a --image b.png"), 2);        // both kinds
  EXPECT_EQ(run("embed --model /nonexistent/model --text a"), 2);                                  // no model
  EXPECT_EQ(run("embed --model " + quote(kModel.string()) + " --text a --backend tpu"), 2);        // bad backend
}

}  // namespace
}  // namespace cxr
