// Few-shot teaching, calibration and evaluation (contract: cxr/core/teaching.h).
#include "cxr/core/teaching.h"

#include "analyzer_impl.h"
#include "cxr/core/csv.h"
#include "cxr/dicom/metadata.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <thread>

namespace cxr::core {
namespace fs = std::filesystem;

namespace {

std::string current_user(const std::string& given) {
  if (!given.empty()) return given;
  const char* u = std::getenv("USER");
  return u != nullptr && *u != '\0' ? u : "unknown";
}

struct Embedded {
  std::vector<float> x;  // (n, D) unit rows of the images that loaded
  std::vector<int> y;
  std::vector<std::size_t> source_index;  // row -> index into the input list
  std::vector<std::string> failed;
};

// Embeds paths in parallel (bounded); failures are collected, never fatal.
Embedded embed_all(const Analyzer& analyzer, const std::vector<std::string>& paths, const std::vector<int>& labels,
                   const CancelToken* cancel) {
  Embedded out;
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  for (std::size_t begin = 0; begin < paths.size(); begin += workers) {
    if (cancel != nullptr && cancel->cancelled()) {
      out.failed.push_back("cancelled");
      break;
    }
    std::vector<std::future<Result<std::vector<float>>>> futures;
    const std::size_t end = std::min(paths.size(), begin + workers);
    for (std::size_t i = begin; i < end; ++i) {
      futures.push_back(std::async(std::launch::async, [&analyzer, &paths, i] { return analyzer.embed_image(paths[i]); }));
    }
    for (std::size_t i = begin; i < end; ++i) {
      auto e = futures[i - begin].get();
      if (!e) {
        out.failed.push_back(e.error().message);
        continue;
      }
      out.x.insert(out.x.end(), e->begin(), e->end());
      out.y.push_back(labels[i]);
      out.source_index.push_back(i);
    }
  }
  return out;
}

int finding_index(const Analyzer& analyzer, const std::string& id) {
  return analyzer.internals().prompts->index_of(id);
}

Error unknown_finding(const Analyzer& analyzer, const std::string& id) {
  std::string known;
  for (const auto& f : analyzer.internals().prompts->findings) known += (known.empty() ? "" : ", ") + f.id;
  return make_error(ErrorCode::kInvalidArgument, "unknown finding \"" + id + "\"; known: " + known);
}

}  // namespace

Result<TeachReport> teach(const Analyzer& analyzer, const TeachRequest& req, const CancelToken* cancel) {
  const Analyzer::Impl& impl = analyzer.internals();
  const int f = finding_index(analyzer, req.finding);
  if (f < 0) return unknown_finding(analyzer, req.finding);
  if (req.positives.empty() || req.negatives.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "teach needs at least one --positive and one --negative image");
  }
  if (req.library_path.empty()) return make_error(ErrorCode::kInvalidArgument, "teach needs a site library path");
  std::vector<std::string> paths = req.positives;
  paths.insert(paths.end(), req.negatives.begin(), req.negatives.end());
  std::vector<int> labels(req.positives.size(), 1);
  labels.insert(labels.end(), req.negatives.size(), 0);
  Embedded data = embed_all(analyzer, paths, labels, cancel);
  TeachReport report;
  report.finding = req.finding;
  report.failed = data.failed;
  report.library_path = req.library_path;
  for (int v : data.y) (v == 1 ? report.positives : report.negatives) += 1;
  if (report.positives == 0 || report.negatives == 0) {
    return make_error(ErrorCode::kCorruptData, "teach: need at least one readable positive and one readable negative "
                                               "image (" + std::to_string(data.failed.size()) + " failed to load)");
  }
  const int dim = impl.directions->dim;
  const std::vector<float> prior = model::prompt_weight(*impl.directions, f);
  model::LogisticAdapter adapter = model::fit_logistic_adapter(data.x, dim, data.y, prior);
  // Honest estimates on the examples: zero-shot scores need no fitting; the adapter is scored leave-one-out.
  std::vector<double> zero_shot;
  for (std::size_t i = 0; i < data.y.size(); ++i) {
    zero_shot.push_back(model::prompt_logit(*impl.directions, f, &data.x[i * dim]));
  }
  report.loo_auc_zero_shot = model::roc_auc(zero_shot, data.y);
  report.loo_auc_adapter =
      model::roc_auc(model::leave_one_out_logits(data.x, dim, data.y, prior, adapter.lambda), data.y);

  auto lib = model::SiteLibrary::load(req.library_path, true);
  if (!lib) return lib.error();
  model::SiteAdapter site;
  site.adapter = std::move(adapter);
  site.model_hash = impl.provenance.model_hash;
  site.created_by = current_user(req.user);
  site.created_at = utc_timestamp();
  site.loo_auc_zero_shot = std::isnan(report.loo_auc_zero_shot) ? 0 : report.loo_auc_zero_shot;
  site.loo_auc_adapter = std::isnan(report.loo_auc_adapter) ? 0 : report.loo_auc_adapter;
  for (std::size_t r = 0; r < data.source_index.size(); ++r) {
    model::TeachExample ex;
    const std::string& path = paths[data.source_index[r]];
    ex.label = data.y[r];
    ex.file = fs::path(path).filename().string();
    if (auto meta = dicom::read_metadata(path); meta && meta->is_dicom) {
      ex.sop_instance_uid = meta->sop_instance_uid;
      ex.study_instance_uid = meta->study_instance_uid;
    }
    site.examples.push_back(std::move(ex));
  }
  model::SiteFinding& entry = lib->findings[req.finding];
  entry.adapter = std::move(site);
  if (entry.calibration && !entry.calibration->with_adapter) entry.calibration.reset();  // fitted on other scores
  if (Status s = lib->save(req.library_path); !s) return s.error();
  return report;
}

Result<std::vector<LabelRow>> read_label_csv(const std::string& path) {
  auto table = read_csv(path);
  if (!table) return table.error();
  const int c_path = table->column("path"), c_finding = table->column("finding"), c_label = table->column("label");
  const int c_patient = table->column("patient");
  if (c_path < 0 || c_label < 0) {
    return make_error(ErrorCode::kCorruptData, path + ": header must have columns path,finding,label (+ patient)");
  }
  const fs::path base = fs::path(path).parent_path();
  std::vector<LabelRow> rows;
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    const std::string where = path + ": line " + std::to_string(table->line_numbers[r]);
    LabelRow l;
    l.path = row[c_path];
    if (l.path.empty()) return make_error(ErrorCode::kCorruptData, where + ": empty path");
    if (fs::path(l.path).is_relative() && !fs::exists(l.path)) l.path = (base / l.path).string();
    l.finding = c_finding >= 0 ? row[c_finding] : "";
    l.patient = c_patient >= 0 ? row[c_patient] : "";
    std::string v = row[c_label];
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (v == "1" || v == "true" || v == "yes" || v == "positive") l.label = 1;
    else if (v == "0" || v == "false" || v == "no" || v == "negative") l.label = 0;
    else return make_error(ErrorCode::kCorruptData, where + ": label \"" + row[c_label] + "\" is not 0/1");
    rows.push_back(std::move(l));
  }
  if (rows.empty()) return make_error(ErrorCode::kCorruptData, path + ": no labelled rows");
  return rows;
}

namespace {

struct Scored {
  std::vector<double> logits;
  std::vector<int> labels;
  std::vector<std::string> groups;
  bool adapted = false;
};

// Image-only log-odds (site adapter when valid, before calibration) of each row of one finding.
// Images are embedded once even when several findings share them.
std::map<std::string, Scored> score_rows(const Analyzer& analyzer, const std::vector<LabelRow>& rows,
                                         const std::string& only_finding, std::vector<std::string>* failed,
                                         const CancelToken* cancel) {
  const Analyzer::Impl& impl = analyzer.internals();
  std::vector<std::string> unique_paths;
  std::map<std::string, std::size_t> path_index;
  for (const auto& r : rows) {
    if (path_index.emplace(r.path, unique_paths.size()).second) unique_paths.push_back(r.path);
  }
  Embedded data = embed_all(analyzer, unique_paths, std::vector<int>(unique_paths.size(), 0), cancel);
  *failed = data.failed;
  std::map<std::size_t, std::size_t> row_of_path;  // unique path index -> embedding row
  for (std::size_t r = 0; r < data.source_index.size(); ++r) row_of_path[data.source_index[r]] = r;
  const int dim = impl.directions->dim;
  std::map<std::string, Scored> out;
  for (const auto& r : rows) {
    const std::string finding = only_finding.empty() ? r.finding : only_finding;
    if (!only_finding.empty() && !r.finding.empty() && r.finding != only_finding) continue;
    const int f = impl.prompts->index_of(finding);
    if (f < 0) continue;
    auto it = row_of_path.find(path_index[r.path]);
    if (it == row_of_path.end()) continue;
    Scored& s = out[finding];
    s.logits.push_back(impl.image_logit(f, &data.x[it->second * dim], &s.adapted));
    s.labels.push_back(r.label);
    s.groups.push_back(r.patient);
  }
  return out;
}

}  // namespace

Result<CalibrationReport> calibrate(const Analyzer& analyzer, const std::vector<LabelRow>& labels,
                                    const std::string& library_path, const CancelToken* cancel) {
  const Analyzer::Impl& impl = analyzer.internals();
  std::set<std::string> unknown;
  for (const auto& r : labels) {
    if (r.finding.empty()) return make_error(ErrorCode::kInvalidArgument, "calibrate: every row needs a finding");
    if (impl.prompts->index_of(r.finding) < 0) unknown.insert(r.finding);
  }
  if (!unknown.empty()) return unknown_finding(analyzer, *unknown.begin());
  CalibrationReport report;
  report.library_path = library_path;
  auto scored = score_rows(analyzer, labels, "", &report.failed, cancel);
  auto lib = model::SiteLibrary::load(library_path, true);
  if (!lib) return lib.error();
  for (auto& [finding, s] : scored) {
    int pos = 0;
    for (int v : s.labels) pos += v;
    if (pos == 0 || pos == static_cast<int>(s.labels.size())) {
      report.failed.push_back(finding + ": needs both positive and negative labels; not calibrated");
      continue;
    }
    model::Calibration cal = model::fit_calibration(s.logits, s.labels);
    CalibrationEntry e;
    e.finding = finding;
    e.n = cal.n;
    e.positives = cal.positives;
    e.temperature = 1.0 / cal.scale;
    e.bias = cal.offset;
    e.ece_before = cal.ece_before;
    e.ece_after = cal.ece_after;
    e.threshold_default = cal.threshold_default;
    e.threshold_high_sensitivity = cal.threshold_high_sensitivity;
    e.threshold_high_specificity = cal.threshold_high_specificity;
    e.sensitivity_at_high_sens = cal.sensitivity_at_high_sens;
    e.specificity_at_high_spec = cal.specificity_at_high_spec;
    report.entries.push_back(e);
    model::SiteCalibration site;
    site.calibration = cal;
    site.model_hash = impl.provenance.model_hash;
    site.created_by = current_user("");
    site.created_at = utc_timestamp();
    site.with_adapter = s.adapted;
    lib->findings[finding].calibration = site;
  }
  if (report.entries.empty()) {
    return make_error(ErrorCode::kCorruptData, "calibrate: no finding had usable labels (" +
                                                   std::to_string(report.failed.size()) + " problems)");
  }
  if (Status st = lib->save(library_path); !st) return st.error();
  return report;
}

Result<EvalReport> evaluate(const Analyzer& analyzer, const std::vector<LabelRow>& labels, const std::string& finding,
                            int bootstrap_rounds, const CancelToken* cancel) {
  if (finding_index(analyzer, finding) < 0) return unknown_finding(analyzer, finding);
  EvalReport report;
  report.finding = finding;
  auto scored = score_rows(analyzer, labels, finding, &report.failed, cancel);
  auto it = scored.find(finding);
  if (it == scored.end() || it->second.labels.empty()) {
    return make_error(ErrorCode::kCorruptData, "eval: no readable labelled image for \"" + finding + "\"");
  }
  Scored& s = it->second;
  report.n = static_cast<int>(s.labels.size());
  for (int v : s.labels) report.positives += v;
  if (report.positives == 0 || report.positives == report.n) {
    return make_error(ErrorCode::kInvalidArgument, "eval: AUC needs both positive and negative labels");
  }
  report.by_patient = std::any_of(s.groups.begin(), s.groups.end(), [](const std::string& g) { return !g.empty(); });
  if (!report.by_patient) s.groups.clear();
  const model::AucInterval ci = model::bootstrap_auc(s.logits, s.labels, s.groups, bootstrap_rounds);
  report.auc = ci.auc;
  report.ci_low = ci.low;
  report.ci_high = ci.high;
  report.bootstrap_rounds = ci.rounds;
  return report;
}

}  // namespace cxr::core
