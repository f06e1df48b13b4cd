// cxr/model/findings_site.h — what a site learns: few-shot adapters, calibration, and the metrics
// used to fit and report them (AUC with bootstrap intervals, ECE), and the site library file.
//
// Adapter (docs/findings.md, "Teaching"): logistic regression on unit image embeddings x,
//   logit(x) = <w, x> + b,  minimising  sum_i logloss(y_i, logit(x_i)) + lambda/2 * |w - w0|^2 + lambda_b/2 * b^2
// with the prior w0 = logit_scale * (P_f - N_f) (the zero-shot prompt direction), so k = 1 example
// per class moves the prompt score a little and many examples move it a lot. lambda is chosen by
// leave-one-out log-loss over a small grid when there are >= 3 examples per class.
//
// Calibration: Platt scaling of the image log-odds, p = sigmoid(a * z + c) (temperature T = 1/a),
// and operating points chosen on the labelled set.
//
// Thread-safety: plain values and pure functions; SiteLibrary is not synchronised (one writer).
#pragma once

#include "cxr/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxr::model {

// ---- metrics ------------------------------------------------------------------------------------

// Area under the ROC curve (Mann-Whitney U, ties count 1/2). NaN when a class is absent.
double roc_auc(const std::vector<double>& scores, const std::vector<int>& labels);

struct AucInterval {
  double auc = 0, low = 0, high = 0;  // point estimate and 95% percentile bootstrap interval
  int rounds = 0;
  int groups = 0;  // resampling units (patients when groups were given, else samples)
};
// groups: resampling unit per sample (e.g. patient id); empty = resample samples. Deterministic (seed).
AucInterval bootstrap_auc(const std::vector<double>& scores, const std::vector<int>& labels,
                          const std::vector<std::string>& groups, int rounds = 1000, uint64_t seed = 12345);

// Expected calibration error with `bins` equal-width probability bins (weighted by bin size).
double expected_calibration_error(const std::vector<double>& probs, const std::vector<int>& labels, int bins = 10);

// ---- adapters -----------------------------------------------------------------------------------

struct LogisticAdapter {
  std::vector<float> weights;  // (D)
  double bias = 0;
  double lambda = 1;
  double logit(const float* unit_x) const;
};

// x: n rows of (D) unit embeddings (row-major, n*D), y in {0,1}, prior: (D) = w0.
// lambda <= 0: chosen by leave-one-out log-loss from {0.3, 1, 3, 10, 30, 100} (3 when < 3 per class).
// Fitted on standardised features (docs/findings.md); the returned adapter scores raw unit embeddings.
LogisticAdapter fit_logistic_adapter(const std::vector<float>& x, int dim, const std::vector<int>& y,
                                     const std::vector<float>& prior, double lambda = -1);

// Leave-one-out scores: for each i, the logit of x_i under an adapter fitted without i (same lambda).
std::vector<double> leave_one_out_logits(const std::vector<float>& x, int dim, const std::vector<int>& y,
                                         const std::vector<float>& prior, double lambda);

// ---- calibration --------------------------------------------------------------------------------

struct Calibration {
  double scale = 1, offset = 0;  // p = sigmoid(scale * z + offset); temperature = 1 / scale
  // Operating points (probability thresholds after calibration):
  double threshold_default = 0.5;            // Youden's J
  double threshold_high_sensitivity = 0.5;   // highest threshold with sensitivity >= 0.95
  double threshold_high_specificity = 0.5;   // lowest threshold with specificity >= 0.95
  double sensitivity_at_high_sens = 0, specificity_at_high_sens = 0;
  double sensitivity_at_high_spec = 0, specificity_at_high_spec = 0;
  double ece_before = 0, ece_after = 0;
  int n = 0, positives = 0;
};

// Fits Platt scaling (Newton, with a weak prior towards scale 1 / offset 0 so a tiny set cannot
// produce an infinite temperature) and the operating points. logits: image log-odds; labels 0/1.
Calibration fit_calibration(const std::vector<double>& logits, const std::vector<int>& labels);

// ---- site library -------------------------------------------------------------------------------

struct TeachExample {
  int label = 0;
  std::string file;  // file name only (no directories: they may contain patient names)
  std::string sop_instance_uid, study_instance_uid;
};

struct SiteAdapter {
  LogisticAdapter adapter;
  std::string model_hash;  // the adapter is only valid for this model
  std::string created_by, created_at;  // $USER, ISO 8601 UTC
  std::vector<TeachExample> examples;
  double loo_auc_zero_shot = 0, loo_auc_adapter = 0;
};

struct SiteCalibration {
  Calibration calibration;
  std::string model_hash;
  std::string created_by, created_at;
  bool with_adapter = false;  // fitted on adapter scores (recalibrate after teaching again)
};

struct SiteFinding {
  std::optional<SiteAdapter> adapter;
  std::optional<SiteCalibration> calibration;
};

// The site library file (JSON, schema "cxr-site-library/1"). Unknown finding ids are kept.
struct SiteLibrary {
  std::map<std::string, SiteFinding> findings;
  std::string sha256;  // of the file bytes it was loaded from ("" when new)

  // Missing file: an empty library when allow_missing, else kNotFound. Errors name the file and key.
  static Result<SiteLibrary> load(const std::string& path, bool allow_missing);
  static Result<SiteLibrary> parse(const std::string& json_text, const std::string& source);
  std::string to_json() const;
  Status save(const std::string& path) const;  // atomic (temp + rename)
};

}  // namespace cxr::model
