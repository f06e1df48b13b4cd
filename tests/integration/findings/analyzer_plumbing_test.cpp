// The Analyzer end to end on real images with the tiny random parity model: every stage runs and
// its contracts hold (a corrupt input fails alone, notes move findings the right way, heatmaps,
// study aggregation, SR from a result, teaching/calibration round trip). Model quality is measured
// in real_model_test.cpp with the shipped model.
#include "cxr/core/analyzer.h"
#include "cxr/core/report.h"
#include "cxr/core/teaching.h"
#include "cxr/dicom/metadata.h"
#include "cxr/model/findings_site.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

using namespace cxr;

namespace {

std::shared_ptr<core::Analyzer> make_analyzer(bool heatmaps = false, const std::string& library = "") {
  core::AnalyzerOptions o;
  o.model_dir = test::tiny_model();
  o.prompts_path = test::tiny_prompts();
  o.heatmaps = heatmaps;
  o.site_library = library;
  o.threads = 2;
  auto a = core::Analyzer::create(o);
  EXPECT_TRUE(a.ok()) << a.error().message;
  return a.ok() ? a.value() : nullptr;
}

const core::FindingResult& finding(const core::InstanceResult& r, const std::string& id) {
  for (const auto& f : r.findings) {
    if (f.id == id) return f;
  }
  throw std::runtime_error("no finding " + id);
}

}  // namespace

TEST(AnalyzerPlumbing, CreateReportsBadConfigurationClearly) {
  core::AnalyzerOptions o;
  o.model_dir = "/nonexistent/model";
  auto a = core::Analyzer::create(o);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("/nonexistent/model"), std::string::npos);
  o.model_dir = test::tiny_model();
  o.prompts_path = test::tiny_prompts();
  o.findings = {"pneumonia", "nonsense"};
  a = core::Analyzer::create(o);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("nonsense"), std::string::npos);
  EXPECT_EQ(a.error().code, ErrorCode::kInvalidArgument);
  o.findings = {};
  o.site_library = "/nonexistent/site.json";
  EXPECT_FALSE(core::Analyzer::create(o).ok());
}

TEST(AnalyzerPlumbing, CorruptInputFailsAloneInABatch) {
  auto analyzer = make_analyzer();
  ASSERT_TRUE(analyzer);
  test::TempDir dir;
  const std::string good_jpeg = test::shared("cxr/kermany-train/images/normal/IM-0115-0001.jpeg");
  test::write_truncated(good_jpeg, dir / "truncated.jpeg", 300);
  const std::vector<core::BatchItem> items = {
      {good_jpeg, ""},
      {dir / "truncated.jpeg", ""},
      {test::shared("dicom/broken/MR_truncated.dcm"), ""},
      {test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm"), ""},
      {"/nonexistent/image.dcm", ""},
      {test::shared("cxr/nih-dev/images/00001280_004.jpg"), ""},
  };
  int progress_calls = 0;
  const auto results = analyzer->analyze_batch(items, {2, 2}, [&](int done, int total, const std::string&) {
    ++progress_calls;
    EXPECT_LE(done, total);
  });
  ASSERT_EQ(results.size(), items.size());
  EXPECT_EQ(progress_calls, static_cast<int>(items.size()));
  for (std::size_t i : {0u, 3u, 5u}) {
    EXPECT_TRUE(results[i].ok()) << results[i].error;
    ASSERT_EQ(results[i].findings.size(), 3u);
    for (const auto& f : results[i].findings) {
      EXPECT_TRUE(std::isfinite(f.probability));
      EXPECT_GE(f.probability, 0.0);
      EXPECT_LE(f.probability, 1.0);
      EXPECT_TRUE(f.decision == "positive" || f.decision == "negative" || f.decision == "indeterminate");
      EXPECT_NEAR(f.probability, 1.0 / (1.0 + std::exp(-(f.image_logit + f.notes_logit))), 1e-9);
    }
  }
  for (std::size_t i : {1u, 2u, 4u}) {
    EXPECT_FALSE(results[i].ok());
    EXPECT_NE(results[i].error.find(items[i].path), std::string::npos) << results[i].error;
  }
  // Same image alone gives the same scores as inside the batch (batching does not change results).
  auto alone = analyzer->analyze(good_jpeg, "");
  ASSERT_TRUE(alone.ok());
  EXPECT_NEAR(alone->findings[0].image_logit, results[0].findings[0].image_logit, 1e-4);
}

TEST(AnalyzerPlumbing, NotesRaiseStatedAndLowerDeniedFindingsWithEvidence) {
  auto analyzer = make_analyzer();
  ASSERT_TRUE(analyzer);
  const std::string image = test::shared("cxr/nih-dev/images/00001280_004.jpg");
  auto none = analyzer->analyze(image, "");
  auto stated = analyzer->analyze(image, "Fever and cough for 3 days. Right lower lobe pneumonia.");
  auto denied = analyzer->analyze(image, "Follow-up film. No pneumonia, no effusion.");
  ASSERT_TRUE(none.ok() && stated.ok() && denied.ok());
  const auto& p0 = finding(none.value(), "pneumonia");
  const auto& p1 = finding(stated.value(), "pneumonia");
  const auto& p2 = finding(denied.value(), "pneumonia");
  EXPECT_DOUBLE_EQ(p0.notes_logit, 0.0);
  EXPECT_TRUE(p0.evidence.empty());
  EXPECT_GT(p1.probability, p0.probability);
  EXPECT_LT(p2.probability, p0.probability);
  EXPECT_DOUBLE_EQ(p1.image_logit, p0.image_logit);  // notes never change the image evidence
  ASSERT_FALSE(p1.evidence.empty());
  EXPECT_EQ(p1.evidence.front().sentence, "Right lower lobe pneumonia.");
  EXPECT_GT(p1.evidence.front().delta_logit, 0);
  ASSERT_FALSE(p2.evidence.empty());
  EXPECT_LT(p2.evidence.front().delta_logit, 0);
  EXPECT_TRUE(p2.evidence.front().negated);
  EXPECT_LT(finding(denied.value(), "effusion").notes_logit, 0);
  EXPECT_LT(finding(denied.value(), "bacterial_pneumonia").notes_logit, 0);  // parent denied
}

TEST(AnalyzerPlumbing, OddNoteEncodingsAndVeryLongNotesAreHandled) {
  auto analyzer = make_analyzer();
  ASSERT_TRUE(analyzer);
  const std::string image = test::shared("cxr/nih-dev/images/00001280_004.jpg");
  std::string odd = "\xEF\xBB\xBFPatient febrile\r\nfi\xE8vre 39\xB0 C. \xFF\xFE garbage \x01\x02. Pneumonia?";
  auto r = analyzer->analyze(image, odd);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string long_notes;
  for (int i = 0; i < 40; ++i) long_notes += "intermittent productive cough with fever chills and malaise ";
  long_notes += ". Right pneumonia.";
  auto l = analyzer->analyze(image, long_notes);
  ASSERT_TRUE(l.ok());
  bool split_reported = false;
  for (const auto& w : l->warnings) split_reported |= w.find("split into") != std::string::npos;
  EXPECT_TRUE(split_reported) << ::testing::PrintToString(l->warnings);
  EXPECT_GT(finding(l.value(), "pneumonia").notes_logit, 0);
}

TEST(AnalyzerPlumbing, HeatmapsAggregationAndSrFromResults) {
  auto analyzer = make_analyzer(true);
  ASSERT_TRUE(analyzer);
  const std::string a = test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm");
  const std::string b = test::shared("dicom/xray/rsna_cr_jpeg_baseline_monochrome1.dcm");
  const std::string c = test::shared("cxr/nih-dev/images/00001280_004.jpg");
  const auto results = analyzer->analyze_batch({{a, ""}, {b, ""}, {c, ""}});
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error;
    for (const auto& f : r.findings) {
      ASSERT_EQ(f.heatmap_grid, 4);  // 32 px / patch 8
      ASSERT_EQ(f.heatmap.size(), 16u);
      float max = 0;
      for (float v : f.heatmap) {
        EXPECT_TRUE(v >= 0.0f && v <= 1.0f);
        max = std::max(max, v);
      }
      EXPECT_NEAR(max, f.probability, 1e-6) << f.id << ": the strongest patch carries the finding's probability";
    }
  }
  const auto studies = core::Analyzer::aggregate(results);
  // a and b share a Study Instance UID (b is an edited copy of a): one study; c is its own.
  const bool same_study = dicom::read_metadata(a)->study_instance_uid == dicom::read_metadata(b)->study_instance_uid;
  ASSERT_EQ(studies.size(), same_study ? 2u : 3u);
  if (same_study) {
    EXPECT_EQ(studies[0].instance_paths.size(), 2u);
    const double mean = (results[0].findings[0].image_logit + results[1].findings[0].image_logit) / 2;
    EXPECT_NEAR(studies[0].findings[0].image_logit, mean, 1e-9);
  }
  test::TempDir dir;
  ASSERT_TRUE(core::write_study_sr(dir / "s.sr.dcm", studies[0], results, analyzer->provenance()).ok());
  const auto v = test::run("dciodvfy " + (dir / "s.sr.dcm"));
  EXPECT_EQ(v.output.find("\nError"), std::string::npos) << v.output;
  EXPECT_FALSE(core::write_study_sr(dir / "png.sr.dcm", studies.back(), results, analyzer->provenance()).ok());
  ASSERT_TRUE(core::write_heatmap_png(dir / "h.png", results[2], results[2].findings[0]).ok());
  ASSERT_TRUE(core::write_heatmap_secondary_capture(dir / "h.sc.dcm", results[0], results[0].findings[0],
                                                    analyzer->provenance())
                  .ok());
  EXPECT_EQ(analyzer->provenance().model_hash.size(), 64u);
  EXPECT_EQ(analyzer->provenance().prompt_set_hash.size(), 64u);
}

TEST(AnalyzerPlumbing, TeachingAndCalibrationChangeScoresAndRecordProvenance) {
  auto analyzer = make_analyzer();
  ASSERT_TRUE(analyzer);
  test::TempDir dir;
  const std::string library = dir / "site.json";
  core::TeachRequest req;
  req.finding = "pneumonia";
  req.positives = {test::shared("cxr/kermany-train/images/pneumonia/person1000_bacteria_2931.jpeg"),
                   test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm")};
  req.negatives = {test::shared("cxr/kermany-train/images/normal/IM-0115-0001.jpeg"), "/nonexistent.png"};
  req.library_path = library;
  req.user = "tester";
  auto report = core::teach(*analyzer, req);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->positives, 2);
  EXPECT_EQ(report->negatives, 1);
  EXPECT_EQ(report->failed.size(), 1u);
  auto lib = model::SiteLibrary::load(library, false);
  ASSERT_TRUE(lib.ok());
  const auto& adapter = lib->findings.at("pneumonia").adapter;
  ASSERT_TRUE(adapter.has_value());
  EXPECT_EQ(adapter->created_by, "tester");
  EXPECT_EQ(adapter->model_hash, analyzer->provenance().model_hash);
  ASSERT_EQ(adapter->examples.size(), 3u);
  bool has_uid = false;
  for (const auto& e : adapter->examples) has_uid |= !e.sop_instance_uid.empty() && !e.study_instance_uid.empty();
  EXPECT_TRUE(has_uid);
  auto with_lib = make_analyzer(false, library);
  ASSERT_TRUE(with_lib);
  const std::string img = test::shared("cxr/kermany-train/images/normal/IM-0115-0001.jpeg");
  auto before = analyzer->analyze(img, "");
  auto after = with_lib->analyze(img, "");
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_TRUE(finding(after.value(), "pneumonia").site_adapted);
  EXPECT_FALSE(finding(after.value(), "effusion").site_adapted);
  EXPECT_NE(finding(after.value(), "pneumonia").image_logit, finding(before.value(), "pneumonia").image_logit);
  EXPECT_EQ(with_lib->provenance().site_library_hash.size(), 64u);
}
