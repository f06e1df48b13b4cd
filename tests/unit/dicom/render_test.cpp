// The windowed 8-bit rendering against DCMTK's dcmj2pnm (run at test time) with the same window:
// every pixel within one gray level. Plus MONOCHROME1 inversion and frame selection on real files.
#include "test_util.h"

#include "cxr/dicom/image.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cxr::dicom {
namespace {

// Reads a binary 8-bit PGM (P5) as written by dcmj2pnm.
Image8 read_pgm(const std::string& path) {
  const auto bytes = test::read_bytes(path);
  std::string header(bytes.begin(), bytes.begin() + std::min<size_t>(bytes.size(), 64));
  std::istringstream in(header);
  std::string magic;
  int width = 0, height = 0, max_value = 0;
  in >> magic >> width >> height >> max_value;
  Image8 image;
  if (magic != "P5" || max_value != 255) return image;
  const size_t offset = static_cast<size_t>(in.tellg()) + 1;
  if (bytes.size() < offset + static_cast<size_t>(width) * height) return image;
  image.width = width;
  image.height = height;
  image.pixels.assign(bytes.begin() + offset, bytes.begin() + offset + static_cast<size_t>(width) * height);
  return image;
}

// Runs dcmj2pnm (dcml2pnm for JPEG-LS, which dcmj2pnm cannot decode) with an explicit window
// (or a VOI LUT index) on one frame (0-based).
Image8 dcmj2pnm(const std::string& path, const std::string& voi_args, int frame, const std::string& out) {
  auto meta = read_metadata(path);
  const bool jpeg_ls = meta && (meta->transfer_syntax_uid == "1.2.840.10008.1.2.4.80" ||
                                meta->transfer_syntax_uid == "1.2.840.10008.1.2.4.81");
  const std::string command = std::string(jpeg_ls ? "dcml2pnm" : "dcmj2pnm") + " --write-raw-pnm " + voi_args + " --frame " + std::to_string(frame + 1) +
                              " '" + path + "' '" + out + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) return {};
  return read_pgm(out);
}

int max_difference(const Image8& a, const Image8& b) {
  int worst = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) worst = std::max(worst, std::abs(a.pixels[i] - b.pixels[i]));
  return worst;
}

TEST(Render, DcmtkIsAvailable) {
  ASSERT_EQ(std::system("dcmj2pnm --version >/dev/null 2>&1"), 0) << "install dcmtk (scripts/setup.sh)";
}

// Monochrome files DCMTK can decode (it has no JPEG 2000), across syntaxes, bit depths, MONOCHROME1.
class RenderVsDcmtk : public ::testing::TestWithParam<const char*> {};

TEST_P(RenderVsDcmtk, WindowedRenderingWithinOneGrayLevel) {
  const std::string path = test::shared_dicom(GetParam());
  auto modality = load_modality_image(path);
  ASSERT_TRUE(modality) << modality.error().message;
  // A mid-range window, so that the whole ramp (not just clipping) is compared.
  const double center = (modality->min + modality->max) / 2, width = std::max(2.0, (modality->max - modality->min) * 0.6);
  LoadOptions options;
  options.window = Window{center, width, ""};
  auto ours = load_image(path, options);
  ASSERT_TRUE(ours) << ours.error().message;
  char window_args[128];
  std::snprintf(window_args, sizeof window_args, "--set-window %.6f %.6f", center, width);
  const auto out = test::scratch_dir("render") / (std::string(std::filesystem::path(path).stem()) + ".pgm");
  const Image8 reference = dcmj2pnm(path, window_args, 0, out.string());
  ASSERT_EQ(reference.width, ours->image.width) << "dcmj2pnm failed on " << path;
  ASSERT_EQ(reference.height, ours->image.height);
  EXPECT_LE(max_difference(ours->image, reference), 1) << path << " window " << center << "/" << width;
}

INSTANTIATE_TEST_SUITE_P(SharedData, RenderVsDcmtk,
                         ::testing::Values("xray/RG1_JLSN.dcm", "xray/RG2_JLSL.dcm",
                                           "xray/RG2_JPLL.dcm", "xray/RG2_JPLY.dcm", "xray/nih_cxr_sample.dcm",
                                           "xray/rsna_cr_jpeg_baseline.dcm",
                                           "xray/rsna_cr_jpeg_baseline_monochrome1.dcm",
                                           "syntax/JPEGExtended_1s_1f_u_16_12.dcm",
                                           "syntax/JPEGLossless_1s_1f_u_16_12.dcm", "syntax/MR_small_RLE.dcm",
                                           "syntax/MR_small_implicit.dcm", "syntax/emri_small_big_endian.dcm",
                                           "syntax/image_dfl.dcm", "syntax/mlut_18.dcm", "syntax/vlut_04.dcm",
                                           "syntax/MR_small_jpeg_ls_lossless.dcm"));

TEST(Render, VoiLutSequenceMatchesDcmtk) {
  const std::string path = test::shared_dicom("syntax/vlut_04.dcm");
  auto ours = load_image(path);  // no window option: the file's VOI (LUT sequence when no window)
  ASSERT_TRUE(ours) << ours.error().message;
  const auto out = test::scratch_dir("voilut") / "vlut_04.pgm";
  const Image8 reference = dcmj2pnm(path, "--use-voi-lut 1", 0, out.string());
  ASSERT_EQ(reference.width, ours->image.width);
  EXPECT_LE(max_difference(ours->image, reference), 1);
}

// Variants of a real MR made at test time with dcmodify: a file window with each VOI LUT Function,
// and Presentation LUT Shape INVERSE; our default rendering vs dcmj2pnm using the file's window.
struct VoiVariant {
  const char* name;
  const char* dcmodify_args;
};

class VoiFunctionVsDcmtk : public ::testing::TestWithParam<VoiVariant> {};

TEST_P(VoiFunctionVsDcmtk, FileWindowWithinOneGrayLevel) {
  const auto dir = test::scratch_dir(std::string("voi-") + GetParam().name);
  const std::string path = (dir / "variant.dcm").string();
  std::filesystem::copy_file(test::shared_dicom("syntax/MR_small_implicit.dcm"), path);
  const std::string modify = std::string("dcmodify -nb ") + GetParam().dcmodify_args + " '" + path + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(modify.c_str()), 0) << modify;
  auto ours = load_image(path);
  ASSERT_TRUE(ours) << ours.error().message;
  const Image8 reference = dcmj2pnm(path, "--use-window 1", 0, (dir / "variant.pgm").string());
  ASSERT_EQ(reference.width, ours->image.width);
  EXPECT_LE(max_difference(ours->image, reference), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Dcmodify, VoiFunctionVsDcmtk,
    ::testing::Values(VoiVariant{"linear", "-i '(0028,1050)=600' -i '(0028,1051)=800'"},
                      VoiVariant{"sigmoid", "-i '(0028,1050)=600' -i '(0028,1051)=800' -i '(0028,1056)=SIGMOID'"},
                      VoiVariant{"linear_exact", "-i '(0028,1050)=600' -i '(0028,1051)=800' -i '(0028,1056)=LINEAR_EXACT'"},
                      VoiVariant{"inverse", "-i '(0028,1050)=600' -i '(0028,1051)=800' -i '(2050,0020)=INVERSE'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Render, Monochrome1IsDisplayedInverted) {
  // The same RSNA image, once as MONOCHROME2 and once edited to MONOCHROME1.
  Window window{2048, 4096, ""};
  auto normal = load_image(test::shared_dicom("xray/rsna_cr_jpeg_baseline.dcm"), {0, window});
  auto inverted = load_image(test::shared_dicom("xray/rsna_cr_jpeg_baseline_monochrome1.dcm"), {0, window});
  ASSERT_TRUE(normal && inverted);
  EXPECT_EQ(inverted->meta.photometric, "MONOCHROME1");
  ASSERT_EQ(normal->image.pixels.size(), inverted->image.pixels.size());
  int mismatches = 0;
  for (size_t i = 0; i < normal->image.pixels.size(); ++i)
    mismatches += normal->image.pixels[i] + inverted->image.pixels[i] != 255;
  EXPECT_EQ(mismatches, 0);
}

TEST(Render, EveryFrameOfAMultiFrameFileIsReachable) {
  const std::string path = test::shared_dicom("syntax/emri_small_RLE.dcm");
  auto meta = read_metadata(path);
  ASSERT_TRUE(meta) << meta.error().message;
  ASSERT_GT(meta->frames, 1);
  auto first = load_modality_image(path, 0);
  auto last = load_modality_image(path, meta->frames - 1);
  ASSERT_TRUE(first && last);
  EXPECT_NE(first->values, last->values);
  auto beyond = load_image(path, {meta->frames, std::nullopt});
  ASSERT_FALSE(beyond);
  EXPECT_NE(beyond.error().message.find("out of range"), std::string::npos) << beyond.error().message;
  EXPECT_NE(beyond.error().message.find(path), std::string::npos);
}

TEST(Render, ApplyWindowIsTheLinearFunctionOfPs3_3) {
  ModalityImage image;
  image.width = 5;
  image.height = 1;
  image.values = {0, 99.5f, 100, 150, 300};
  const Image8 out = apply_window(image, Window{100, 101, ""});  // ramp over [49.5, 149.5]
  EXPECT_EQ(out.pixels[0], 0);
  EXPECT_EQ(out.pixels[1], 128);  // ((99.5 - 99.5) / 100 + 0.5) * 255 = 127.5 -> 128
  EXPECT_EQ(out.pixels[4], 255);
  image.monochrome1 = true;
  EXPECT_EQ(apply_window(image, Window{100, 101, ""}).pixels[0], 255);
}

TEST(Render, WritePngRoundTrips) {
  auto loaded = load_image(test::shared_dicom("syntax/MR_small_implicit.dcm"));
  ASSERT_TRUE(loaded);
  const auto png = (test::scratch_dir("png") / "mr.png").string();
  ASSERT_TRUE(write_png(png, loaded->image));
  auto back = read_png_or_jpeg(png);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->pixels, loaded->image.pixels);
  EXPECT_FALSE(write_png("/nonexistent-folder/x.png", loaded->image));
}

}  // namespace
}  // namespace cxr::dicom
