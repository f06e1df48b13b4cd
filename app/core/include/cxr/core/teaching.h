// cxr/core/teaching.h — few-shot teaching (`cxr teach`), calibration (`cxr calibrate`) and
// evaluation (`cxr eval`) on top of an Analyzer. The results live in a site library (JSON file,
// format in docs/findings.md) that Analyzer picks up via AnalyzerOptions::site_library.
//
// Thread-safety: functions are reentrant; two processes writing the same library file at once is
// not supported (the file is replaced atomically, last writer wins).
#pragma once

#include "cxr/core/analyzer.h"
#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::core {

struct TeachRequest {
  std::string finding;                  // prompt-set id
  std::vector<std::string> positives;   // image files showing the finding (k >= 1)
  std::vector<std::string> negatives;   // image files without it (k >= 1)
  std::string library_path;             // site library to create or update
  std::string user;                     // who taught (default $USER)
};

struct TeachReport {
  std::string finding;
  int positives = 0, negatives = 0;     // examples actually used
  std::vector<std::string> failed;      // "<path>: <error>" for inputs that could not be read
  // Leave-one-out AUC on the examples: zero-shot prompt score vs the adapter (NaN if k too small).
  double loo_auc_zero_shot = 0, loo_auc_adapter = 0;
  std::string library_path;
};

// Embeds the examples with the analyzer's model and fits a logistic adapter on the image embeddings
// with the prompt direction as prior (docs/findings.md), then writes it into the library with
// provenance (user, time, SOP/Study UIDs, model hash).
Result<TeachReport> teach(const Analyzer& analyzer, const TeachRequest& request,
                          const CancelToken* cancel = nullptr);

struct LabelRow {
  std::string path, finding, patient;  // patient optional (bootstrap unit)
  int label = 0;                       // 0 or 1
};

// Reads a CSV with header columns path,finding,label (+ optional patient); relative paths resolve
// against the CSV's folder. Errors name the file and line.
Result<std::vector<LabelRow>> read_label_csv(const std::string& path);

struct CalibrationEntry {
  std::string finding;
  int n = 0, positives = 0;
  double temperature = 1, bias = 0;        // p = sigmoid((logit + bias) / temperature)... see docs
  double ece_before = 0, ece_after = 0;    // expected calibration error, 10 bins
  double threshold_default = 0.5, threshold_high_sensitivity = 0.5, threshold_high_specificity = 0.5;
  double sensitivity_at_high_sens = 0, specificity_at_high_spec = 0;
};

struct CalibrationReport {
  std::vector<CalibrationEntry> entries;
  std::vector<std::string> failed;
  std::string library_path;
};

// Scores every labelled image (image only) and fits per finding a temperature + bias (Platt scaling
// on the log-odds) and the operating points (high sensitivity: sensitivity >= 0.95; high
// specificity: specificity >= 0.95); stores them in the library.
Result<CalibrationReport> calibrate(const Analyzer& analyzer, const std::vector<LabelRow>& labels,
                                    const std::string& library_path, const CancelToken* cancel = nullptr);

struct EvalReport {
  std::string finding;
  int n = 0, positives = 0;
  double auc = 0, ci_low = 0, ci_high = 0;  // 95% bootstrap (by patient when given)
  int bootstrap_rounds = 0;
  bool by_patient = false;
  std::vector<std::string> failed;
};

Result<EvalReport> evaluate(const Analyzer& analyzer, const std::vector<LabelRow>& labels,
                            const std::string& finding, int bootstrap_rounds = 1000,
                            const CancelToken* cancel = nullptr);

}  // namespace cxr::core
