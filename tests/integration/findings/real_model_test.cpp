// The shipped model (resources/models/cxr-siglip-default) on real data, by-patient validation splits
// of the training worker (tools/train/splits/*.csv, column split = val never trained on):
//  * zero-shot pneumonia vs normal ranks well above chance on >= 100 Kermany validation images;
//  * notes that state a finding raise it, notes that deny it lower it (every image), in English and Korean;
//  * the physicians' own narratives raise COVID-19-vs-other AUC on covid-notes validation, and every
//    narrative that names another diagnosis (SARS, Pneumocystis...) lowers COVID-19;
//  * teaching with 16 unseen NIH studies per class does not lose to zero-shot on the other patients;
//  * SR from a real analysis validates; a corrupt input among good ones fails alone;
//  * --precision bf16 keeps every finding order and the AUC of fp32 on 80 dev images.
// Skips (GTEST_SKIP) only when the model folder is absent.
#include "cxr/core/analyzer.h"
#include "cxr/core/csv.h"
#include "cxr/core/report.h"
#include "cxr/core/teaching.h"
#include "cxr/model/findings_site.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>

using namespace cxr;

namespace {

const std::string kModel = std::string(CXR_SOURCE_DIR) + "/resources/models/cxr-siglip-default";

struct Labelled {
  std::string path, patient;
  int label = 0;
};

// Rows of a split CSV (file,patient,label,split) with split == want; label via `positive`.
std::vector<Labelled> split_rows(const std::string& dataset, const std::string& want,
                                 const std::function<int(const std::string&)>& positive) {
  auto t = core::read_csv(test::source("tools/train/splits/" + dataset + ".csv"));
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  std::vector<Labelled> out;
  if (!t.ok()) return out;
  const int f = t->column("file"), p = t->column("patient"), l = t->column("label"), s = t->column("split");
  for (const auto& row : t->rows) {
    if (row[s] != want) continue;
    const int y = positive(row[l]);
    if (y < 0) continue;
    out.push_back({test::shared("cxr/" + dataset + "/" + row[f]), row[p], y});
  }
  return out;
}

// The first n of each class, in file order (deterministic).
std::vector<Labelled> take_per_class(const std::vector<Labelled>& rows, int n, bool one_per_patient) {
  std::vector<Labelled> out;
  int count[2] = {0, 0};
  std::set<std::string> patients;
  for (const auto& r : rows) {
    if (count[r.label] >= n) continue;
    if (one_per_patient && !patients.insert(r.patient).second) continue;
    out.push_back(r);
    ++count[r.label];
  }
  return out;
}

class RealModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kModel + "/config.json")) return;
    core::AnalyzerOptions o;
    o.model_dir = kModel;
    o.threads = 2;
    auto a = core::Analyzer::create(o);
    ASSERT_TRUE(a.ok()) << a.error().message;
    analyzer_ = a.value();
  }
  static void TearDownTestSuite() { analyzer_.reset(); }
  void SetUp() override {
    if (!std::filesystem::exists(kModel + "/config.json")) GTEST_SKIP() << "no shipped model at " << kModel;
    ASSERT_TRUE(analyzer_);
  }
  static double logit_of(const core::InstanceResult& r, const std::string& id) {
    for (const auto& f : r.findings) {
      if (f.id == id) return f.image_logit;
    }
    return 0;
  }
  static std::shared_ptr<core::Analyzer> analyzer_;
};
std::shared_ptr<core::Analyzer> RealModel::analyzer_;

int kermany_pneumonia(const std::string& label) { return label == "normal" ? 0 : 1; }
int nih_pneumonia(const std::string& label) {
  if (label == "No Finding") return 0;
  return label.find("Pneumonia") != std::string::npos ? 1 : -1;
}

}  // namespace

// n of each class spread evenly over the split (file order groups similar images together).
std::vector<Labelled> spread_per_class(const std::vector<Labelled>& rows, std::size_t n) {
  std::vector<Labelled> by_class[2], out;
  for (const auto& r : rows) by_class[r.label].push_back(r);
  for (const auto& c : by_class) {
    for (std::size_t i = 0; i < n && i < c.size(); ++i) out.push_back(c[i * c.size() / n]);
  }
  return out;
}

TEST_F(RealModel, ZeroShotPneumoniaVsNormalOnKermanyValidation) {
  const auto rows = spread_per_class(split_rows("kermany-train", "val", kermany_pneumonia), 75);
  ASSERT_GE(rows.size(), 100u);
  std::vector<core::BatchItem> items;
  for (const auto& r : rows) items.push_back({r.path, ""});
  const auto results = analyzer_->analyze_batch(items, {16, 2});
  std::vector<double> scores;
  std::vector<int> labels;
  std::vector<std::string> patients;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error;
    scores.push_back(logit_of(results[i], "pneumonia"));
    labels.push_back(rows[i].label);
    patients.push_back(rows[i].patient);
  }
  const auto ci = model::bootstrap_auc(scores, labels, patients, 1000);
  std::printf("[measured] Kermany val pneumonia vs normal, zero-shot: AUC %.3f (95%% CI %.3f-%.3f), n=%zu, %d patients\n",
              ci.auc, ci.low, ci.high, rows.size(), ci.groups);
  EXPECT_GT(ci.low, 0.8) << "AUC " << ci.auc;
}

TEST_F(RealModel, NotesThatStateRaiseAndNotesThatDenyLower) {
  const auto rows = take_per_class(split_rows("kermany-train", "val", kermany_pneumonia), 4, false);
  for (const char* finding : {"pneumonia", "effusion"}) {
    const std::string stated = std::string("Fever and productive cough. Chest film shows right lower lobe ") +
                               (std::string(finding) == "pneumonia" ? "pneumonia." : "pleural effusion.");
    const std::string denied = std::string("Routine check. No ") +
                               (std::string(finding) == "pneumonia" ? "pneumonia." : "pleural effusion.");
    for (const auto& r : rows) {
      auto none = analyzer_->analyze(r.path, "");
      auto up = analyzer_->analyze(r.path, stated);
      auto down = analyzer_->analyze(r.path, denied);
      ASSERT_TRUE(none.ok() && up.ok() && down.ok());
      double p0 = 0, p1 = 0, p2 = 0;
      for (const auto& f : none->findings) if (f.id == finding) p0 = f.probability;
      for (const auto& f : up->findings) if (f.id == finding) p1 = f.probability;
      for (const auto& f : down->findings) if (f.id == finding) p2 = f.probability;
      EXPECT_GT(p1, p0) << finding << " " << r.path;
      EXPECT_LT(p2, p0) << finding << " " << r.path;
    }
  }
}

// covid-notes validation images with their physician's narrative (labels.csv `clinical_notes`): the
// product's notes fusion must raise the COVID-19-vs-other AUC over the image alone, and every non-COVID
// case whose narrative names its diagnosis must come out lower with its notes than without. 64 images,
// 9 of them non-COVID (7 patients): the AUCs have wide intervals (printed), so this checks the direction
// on these cases, not a size of effect.
TEST_F(RealModel, ClinicalNarrativesRaiseCovidVsOtherOnCovidNotesValidation) {
  auto labels = core::read_csv(test::shared("cxr/covid-notes-dev/labels.csv"));
  ASSERT_TRUE(labels.ok()) << labels.error().message;
  const int file = labels->column("file"), notes = labels->column("clinical_notes");
  std::map<std::string, std::string> notes_of;
  for (const auto& row : labels->rows) notes_of[test::shared("cxr/covid-notes-dev/" + row[file])] = row[notes];
  std::vector<Labelled> rows;
  for (const auto& r : split_rows("covid-notes-dev", "val", [](const std::string& l) {
         return l.find("COVID-19") != std::string::npos ? 1 : 0;
       })) {
    if (!notes_of[r.path].empty()) rows.push_back(r);
  }
  ASSERT_GE(rows.size(), 60u);
  std::vector<core::BatchItem> with_notes, without;
  for (const auto& r : rows) with_notes.push_back({r.path, notes_of[r.path]}), without.push_back({r.path, ""});
  const auto fused = analyzer_->analyze_batch(with_notes, {16, 2});
  const auto plain = analyzer_->analyze_batch(without, {16, 2});
  std::vector<double> image, both;
  std::vector<int> y;
  std::vector<std::string> patients;
  int named_other = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_TRUE(fused[i].ok() && plain[i].ok()) << rows[i].path;
    const auto& f = *std::find_if(fused[i].findings.begin(), fused[i].findings.end(),
                                  [](const core::FindingResult& x) { return x.id == "covid19"; });
    image.push_back(logit_of(plain[i], "covid19"));
    both.push_back(f.image_logit + f.notes_logit);
    y.push_back(rows[i].label);
    patients.push_back(rows[i].patient);
    const bool names_other = std::any_of(f.evidence.begin(), f.evidence.end(),
                                         [](const core::NoteEvidence& e) { return !e.competing.empty(); });
    if (rows[i].label == 0 && names_other) {
      ++named_other;
      EXPECT_LT(both.back(), image.back()) << rows[i].path;
    }
  }
  const auto a = model::bootstrap_auc(image, y, patients, 1000);
  const auto b = model::bootstrap_auc(both, y, patients, 1000);
  std::printf("[measured] covid-notes val COVID-19 vs other, %zu images with notes: image %.3f (%.3f-%.3f), "
              "image + notes %.3f (%.3f-%.3f); %d non-COVID narratives name their diagnosis\n",
              rows.size(), a.auc, a.low, a.high, b.auc, b.low, b.high, named_other);
  EXPECT_GT(b.auc, a.auc);
  EXPECT_GE(named_other, 4);  // the SARS and Pneumocystis narratives
}

// The same in Korean, the studio's second language: the text tower was trained on English, so the
// lexical rules (Korean terms in the prompt set, post-position negation) carry these notes.
TEST_F(RealModel, KoreanNotesThatStateRaiseAndNotesThatDenyLower) {
  const auto rows = take_per_class(split_rows("kermany-train", "val", kermany_pneumonia), 4, false);
  const struct {
    const char* finding;
    const char* stated;
    const char* denied;
  } cases[] = {{"pneumonia", "3일간 발열과 기침. 흉부 사진에서 우하엽 폐렴 소견이 있음.", "정기 검진. 폐렴 소견 없음."},
               {"effusion", "호흡곤란. 우측 흉수 있음.", "정기 검진. 흉수는 보이지 않음."}};
  for (const auto& c : cases) {
    for (const auto& r : rows) {
      auto none = analyzer_->analyze(r.path, "");
      auto up = analyzer_->analyze(r.path, c.stated);
      auto down = analyzer_->analyze(r.path, c.denied);
      ASSERT_TRUE(none.ok() && up.ok() && down.ok());
      double p0 = 0, p1 = 0, p2 = 0;
      for (const auto& f : none->findings) if (f.id == c.finding) p0 = f.probability;
      for (const auto& f : up->findings) if (f.id == c.finding) p1 = f.probability;
      for (const auto& f : down->findings) if (f.id == c.finding) p2 = f.probability;
      EXPECT_GT(p1, p0) << c.finding << " " << r.path;
      EXPECT_LT(p2, p0) << c.finding << " " << r.path;
    }
  }
}

TEST_F(RealModel, TeachingSixteenPerClassOnUnseenNihStudies) {
  // A site teaches with its own studies, which the model never saw. So the 16 studies per class come
  // from the NIH *validation* patients (the model trained on the NIH train split: its zero-shot score
  // there is near-perfect, ~0.97-0.99 LOO, and an adapter fitted on memorised embeddings says nothing),
  // one image per patient; the adapter is scored on the validation images of every other patient and
  // compared with zero-shot on exactly those images. Three draws (patient orders shuffled by seed).
  const auto held_out = split_rows("nih-dev", "val", nih_pneumonia);
  ASSERT_GE(held_out.size(), 100u);
  std::vector<core::BatchItem> items;
  for (const auto& r : held_out) items.push_back({r.path, ""});
  const auto zero = analyzer_->analyze_batch(items, {16, 2});
  std::vector<double> s0;
  for (std::size_t i = 0; i < held_out.size(); ++i) {
    ASSERT_TRUE(zero[i].ok()) << zero[i].error;
    s0.push_back(logit_of(zero[i], "pneumonia"));
  }
  const int draws = 3;
  double sum_zero = 0, sum_taught = 0;
  for (int d = 0; d < draws; ++d) {
    std::vector<Labelled> shuffled = held_out;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(1000 + d));
    const auto train = take_per_class(shuffled, 16, true);
    ASSERT_EQ(train.size(), 32u);
    std::set<std::string> train_patients;
    test::TempDir dir;
    core::TeachRequest req;
    req.finding = "pneumonia";
    req.library_path = dir / "site.json";
    for (const auto& r : train) {
      (r.label ? req.positives : req.negatives).push_back(r.path);
      train_patients.insert(r.patient);
    }
    auto report = core::teach(*analyzer_, req);
    ASSERT_TRUE(report.ok()) << report.error().message;
    core::AnalyzerOptions o;
    o.model_dir = kModel;
    o.site_library = req.library_path;
    o.findings = {"pneumonia"};
    o.threads = 2;
    auto taught = core::Analyzer::create(o);
    ASSERT_TRUE(taught.ok()) << taught.error().message;
    std::vector<core::BatchItem> test_items;
    std::vector<double> zero_scores;
    std::vector<int> y;
    std::vector<std::string> g;
    for (std::size_t i = 0; i < held_out.size(); ++i) {
      if (train_patients.count(held_out[i].patient)) continue;
      test_items.push_back(items[i]);
      zero_scores.push_back(s0[i]);
      y.push_back(held_out[i].label);
      g.push_back(held_out[i].patient);
    }
    ASSERT_GE(test_items.size(), 60u);
    const auto adapted = taught.value()->analyze_batch(test_items, {16, 2});
    std::vector<double> s1;
    for (const auto& r : adapted) {
      ASSERT_TRUE(r.ok()) << r.error;
      ASSERT_TRUE(r.findings[0].site_adapted);
      s1.push_back(logit_of(r, "pneumonia"));
    }
    const auto ci0 = model::bootstrap_auc(zero_scores, y, g, 500);
    const auto ci1 = model::bootstrap_auc(s1, y, g, 500);
    std::printf("[measured] NIH val, draw %d: 16/class taught from unseen patients; on the other %zu images: "
                "zero-shot AUC %.3f (%.3f-%.3f), taught %.3f (%.3f-%.3f); LOO on the examples %.3f -> %.3f\n",
                d + 1, test_items.size(), ci0.auc, ci0.low, ci0.high, ci1.auc, ci1.low, ci1.high, report->loo_auc_zero_shot, report->loo_auc_adapter);
    sum_zero += ci0.auc;
    sum_taught += ci1.auc;
  }
  std::printf("[measured] NIH val pneumonia vs no finding, mean over %d draws: zero-shot %.3f, taught 16/class %.3f\n",
              draws, sum_zero / draws, sum_taught / draws);
  // The adapter is anchored to the prompt direction (lambda chosen by leave-one-out): teaching with
  // 16 unseen studies per class must not make the finding worse than zero-shot.
  EXPECT_GE(sum_taught / draws, sum_zero / draws - 0.01);
}

TEST_F(RealModel, SrOfARealAnalysisValidatesAndCorruptInputFailsAlone) {
  test::TempDir dir;
  test::write_truncated(test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm"), dir / "cut.dcm", 4000);
  const auto results = analyzer_->analyze_batch({{test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm"), ""},
                                                 {dir / "cut.dcm", ""},
                                                 {test::shared("dicom/xray/nih_cxr_sample.dcm"), ""}});
  ASSERT_TRUE(results[0].ok()) << results[0].error;
  EXPECT_FALSE(results[1].ok());
  ASSERT_TRUE(results[2].ok()) << results[2].error;
  const auto studies = core::Analyzer::aggregate(results);
  ASSERT_FALSE(studies.empty());
  ASSERT_TRUE(core::write_study_sr(dir / "real.sr.dcm", studies[0], results, analyzer_->provenance()).ok());
  const auto v = test::run("dciodvfy " + (dir / "real.sr.dcm"));
  EXPECT_EQ(v.output.find("\nError"), std::string::npos) << v.output;
  EXPECT_EQ(test::run("dsrdump " + (dir / "real.sr.dcm")).exit_code, 0);
}

// The bf16 path (--precision bf16) must not change what the radiologist is shown. On dev images
// (Kermany and NIH validation, 20 per class each):
//  * per image, the findings come in the fp32 order, except pairs whose fp32 probabilities are within
//    0.01 of each other (the step of the 2 decimals shown; bf16 moves probabilities by up to ~0.02 on
//    this model, so such near-ties may swap: measured 14 swaps on 80 images, the widest at a fp32 gap
//    of 0.0053);
//  * per finding, the images keep their order: the AUC of every finding against the pneumonia labels
//    is unchanged to 0.002 (measured 0.0006), and no probability moves by 0.03 or more (measured 0.017).
TEST_F(RealModel, Bf16KeepsTheFindingsRankingOnDevImages) {
  core::AnalyzerOptions o;
  o.model_dir = kModel;
  o.threads = 2;
  o.precision = "bf16";
  auto bf16 = core::Analyzer::create(o);
  if (!bf16.ok() && bf16.error().code == ErrorCode::kUnsupported) GTEST_SKIP() << bf16.error().message;
  ASSERT_TRUE(bf16.ok()) << bf16.error().message;
  auto rows = spread_per_class(split_rows("kermany-train", "val", kermany_pneumonia), 20);
  const auto nih = spread_per_class(split_rows("nih-dev", "val", nih_pneumonia), 20);
  rows.insert(rows.end(), nih.begin(), nih.end());
  ASSERT_GE(rows.size(), 80u);
  std::vector<core::BatchItem> items;
  for (const auto& r : rows) items.push_back({r.path, ""});
  const auto a = analyzer_->analyze_batch(items, {16, 2});
  const auto b = bf16.value()->analyze_batch(items, {16, 2});
  constexpr double kTie = 0.01;
  int identical_order = 0, swapped_near_ties = 0, swapped_clear = 0;
  double worst_dp = 0;
  const std::size_t findings = a.at(0).findings.size();
  std::vector<std::vector<double>> p32(findings), p16(findings);
  std::vector<int> y;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_TRUE(a[i].ok() && b[i].ok()) << rows[i].path;
    ASSERT_EQ(a[i].findings.size(), findings);
    ASSERT_EQ(b[i].findings.size(), findings);
    bool same = true;
    for (std::size_t f = 0; f < findings; ++f) {
      const double af = a[i].findings[f].probability, bf = b[i].findings[f].probability;
      worst_dp = std::max(worst_dp, std::abs(af - bf));
      p32[f].push_back(af);
      p16[f].push_back(bf);
      for (std::size_t g = f + 1; g < findings; ++g) {
        const double ag = a[i].findings[g].probability, bg = b[i].findings[g].probability;
        if ((af - ag) * (bf - bg) >= 0) continue;  // same order (or a tie in one of them)
        same = false;
        const bool near_tie = std::abs(af - ag) < kTie;
        ++(near_tie ? swapped_near_ties : swapped_clear);
        if (!near_tie)
          std::printf("  clear swap on %s: %s %.4f vs %s %.4f (fp32) -> %.4f vs %.4f (bf16)\n", rows[i].path.c_str(),
                      a[i].findings[f].id.c_str(), af, a[i].findings[g].id.c_str(), ag, bf, bg);
      }
    }
    identical_order += same;
    y.push_back(rows[i].label);
  }
  double worst_auc_shift = 0;
  for (std::size_t f = 0; f < findings; ++f)
    worst_auc_shift = std::max(worst_auc_shift, std::abs(model::roc_auc(p32[f], y) - model::roc_auc(p16[f], y)));
  std::printf("[measured] bf16 vs fp32 on %zu dev images: identical findings order on %d; swapped pairs: %d near-ties "
              "(fp32 gap < %.3f), %d clear; worst |dp| %.4f; worst per-finding AUC shift %.4f\n",
              rows.size(), identical_order, swapped_near_ties, kTie, swapped_clear, worst_dp, worst_auc_shift);
  EXPECT_EQ(swapped_clear, 0);
  EXPECT_LT(worst_dp, 0.03);
  EXPECT_LT(worst_auc_shift, 0.002);
}
