// DICOM SR and heatmap Secondary Capture: valid per dciodvfy (dicom3tools), readable by dsrdump
// (DCMTK), in the source study, carrying codes, probabilities, decisions and the disclaimer.
#include "cxr/core/disclaimer.h"
#include "cxr/dicom/image.h"
#include "cxr/dicom/metadata.h"
#include "cxr/dicom/sr.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace cxr;

namespace {

// dciodvfy prints "Error - ..." for each violation; warnings are allowed.
std::vector<std::string> dciodvfy_errors(const std::string& path) {
  const auto r = test::run("dciodvfy " + test::quote(path));
  std::vector<std::string> errors;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Error", 0) == 0) errors.push_back(line);
  }
  return errors;
}

dicom::SrContent content_for(const std::string& source) {
  auto meta = dicom::read_metadata(source);
  EXPECT_TRUE(meta.ok()) << meta.error().message;
  dicom::SrContent c;
  c.sources.push_back({source, meta->sop_class_uid, meta->sop_instance_uid, meta->series_instance_uid});
  c.algorithm_version = "0.1.0";
  c.model_hash = std::string(64, 'a');
  c.prompt_set_hash = std::string(64, 'b');
  c.disclaimer = core::kDisclaimer;
  dicom::SrFinding pneumonia{"pneumonia", "SCT", "233604007", "Pneumonia", 0.87, "positive", 0.65,
                             {"Note evidence (+2.00 log-odds): Right lower lobe pneumonia."}};
  dicom::SrFinding effusion{"effusion", "SCT", "60046008", "Pleural effusion", 0.12, "negative", 0.65, {}};
  dicom::SrFinding thickening{"pleural_thickening", "99CXRA", "PLEURTHICK", "Pleural thickening", 0.5,
                              "indeterminate", 0.65, {}};
  c.findings = {pneumonia, effusion, thickening};
  return c;
}

}  // namespace

TEST(StructuredReport, ValidatesReadsBackAndStaysInTheSourceStudy) {
  const std::string source = test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm");
  test::TempDir dir;
  const std::string out = dir / "analysis.sr.dcm";
  const dicom::SrContent c = content_for(source);
  const Status st = dicom::write_analysis_sr(out, c);
  ASSERT_TRUE(st.ok()) << st.error().message;
  const auto errors = dciodvfy_errors(out);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(errors);
  const auto dump = test::run("dsrdump +Pl " + test::quote(out));
  ASSERT_EQ(dump.exit_code, 0) << dump.output;
  for (const char* expected : {"Imaging Measurement Report", "233604007", "Pneumonia", "Probability", "0.8700",
                               "Suggested present", "Suggested absent", "Indeterminate", "Right lower lobe pneumonia",
                               "Decision support only", "CXR Assist", "Algorithm Version"}) {
    EXPECT_NE(dump.output.find(expected), std::string::npos) << "missing " << expected << " in\n" << dump.output;
  }
  auto sr_meta = dicom::read_metadata(out);
  auto src_meta = dicom::read_metadata(source);
  ASSERT_TRUE(sr_meta.ok() && src_meta.ok());
  EXPECT_EQ(sr_meta->study_instance_uid, src_meta->study_instance_uid);
  EXPECT_EQ(sr_meta->patient_id, src_meta->patient_id);
  EXPECT_NE(sr_meta->series_instance_uid, src_meta->series_instance_uid);
  EXPECT_EQ(sr_meta->modality, "SR");
}

TEST(StructuredReport, SeveralSourcesAndClearErrors) {
  test::TempDir dir;
  dicom::SrContent c = content_for(test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm"));
  auto second = dicom::read_metadata(test::shared("dicom/xray/rsna_cr_jpeg_baseline_monochrome1.dcm"));
  ASSERT_TRUE(second.ok());
  c.sources.push_back({test::shared("dicom/xray/rsna_cr_jpeg_baseline_monochrome1.dcm"), second->sop_class_uid,
                       second->sop_instance_uid, second->series_instance_uid});
  ASSERT_TRUE(dicom::write_analysis_sr(dir / "two.sr.dcm", c).ok());
  EXPECT_TRUE(dciodvfy_errors(dir / "two.sr.dcm").empty());

  dicom::SrContent no_disclaimer = c;
  no_disclaimer.disclaimer.clear();
  EXPECT_FALSE(dicom::write_analysis_sr(dir / "x.dcm", no_disclaimer).ok());
  dicom::SrContent no_source = c;
  no_source.sources.clear();
  EXPECT_FALSE(dicom::write_analysis_sr(dir / "x.dcm", no_source).ok());
  const Status unwritable = dicom::write_analysis_sr("/nonexistent-dir/x.sr.dcm", c);
  ASSERT_FALSE(unwritable.ok());
  EXPECT_NE(unwritable.error().message.find("/nonexistent-dir/x.sr.dcm"), std::string::npos);
}

TEST(HeatmapSecondaryCapture, BurnsTheMapOntoTheImageAndValidates) {
  const std::string source = test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm");
  auto loaded = dicom::load_image(source);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  dicom::HeatmapOverlay overlay;
  overlay.grid = 4;
  overlay.values.assign(16, 0.0f);
  overlay.values[0] = 1.0f;  // hot top-left cell
  overlay.label = "Pneumonia 0.87 - decision support";
  auto burned = dicom::burn_heatmap(loaded->image, overlay);
  ASSERT_TRUE(burned.ok()) << burned.error().message;
  ASSERT_EQ(burned->width, loaded->image.width);
  // Top-left region is coloured (R != B), bottom-right stays gray.
  const auto px = [&](int x, int y) { return &burned->pixels[(static_cast<std::size_t>(y) * burned->width + x) * 3]; };
  const int w = burned->width, h = burned->height;
  const uint8_t* hot = px(w / 16, h / 8 + h / 32);
  const uint8_t* cold = px(w - 5, h - 5);
  EXPECT_GT(std::abs(int(hot[0]) - int(hot[2])), 40);
  EXPECT_EQ(cold[0], cold[2]);
  test::TempDir dir;
  ASSERT_TRUE(dicom::write_png_rgb(dir / "heat.png", burned.value()).ok());
  auto png = dicom::read_png_or_jpeg(dir / "heat.png");
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->width, w);
  const Status sc = dicom::write_heatmap_sc(dir / "heat.sc.dcm", content_for(source), burned.value());
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  EXPECT_TRUE(dciodvfy_errors(dir / "heat.sc.dcm").empty()) << test::run("dciodvfy " + (dir / "heat.sc.dcm")).output;
  auto meta = dicom::read_metadata(dir / "heat.sc.dcm");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->study_instance_uid, dicom::read_metadata(source)->study_instance_uid);
  EXPECT_EQ(meta->samples_per_pixel, 3);
  // Bad overlays are errors, not crashes.
  overlay.values.resize(3);
  EXPECT_FALSE(dicom::burn_heatmap(loaded->image, overlay).ok());
}
