// cxr teach FINDING --positive PATH... --negative PATH... [--library FILE] — few-shot site adapter.
// Exit codes: 0 taught (every input read), 1 taught but some inputs failed / teaching failed, 2 usage.
#include "command.h"
#include "engine_flags.h"

#include "cxr/core/analyzer.h"
#include "cxr/core/disclaimer.h"
#include "cxr/core/teaching.h"
#include "cxr/dicom/inputs.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace cxr::cli {
namespace {

struct TeachArgs {
  std::string finding, library = "site-library.json", user;
  std::vector<std::string> positives, negatives;
  AnalyzerFlags model;
};

// Expands folders so a site can pass a folder of positives; failures are reported, not fatal.
std::vector<std::string> expand(const std::vector<std::string>& paths, std::vector<std::string>* failed) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    auto items = dicom::expand_inputs({p});
    if (!items) {
      failed->push_back(items.error().message);
      continue;
    }
    for (const auto& it : items.value()) out.push_back(it.path);
  }
  return out;
}

int run_teach(const TeachArgs& a) {
  std::vector<std::string> failed;
  core::TeachRequest req;
  req.finding = a.finding;
  req.positives = expand(a.positives, &failed);
  req.negatives = expand(a.negatives, &failed);
  req.library_path = a.library;
  req.user = a.user;
  if (req.positives.empty() || req.negatives.empty()) {
    for (const auto& f : failed) std::cerr << "cxr teach: " << f << "\n";
    std::cerr << "cxr teach: need at least one positive and one negative image\n";
    return kExitUsage;
  }
  core::AnalyzerOptions opt;
  apply(a.model, opt);
  auto analyzer = core::Analyzer::create(opt);
  if (!analyzer) {
    std::cerr << "cxr teach: " << analyzer.error().message << "\n";
    return analyzer.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  auto report = core::teach(*analyzer.value(), req);
  if (!report) {
    std::cerr << "cxr teach: " << report.error().message << "\n";
    return report.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  failed.insert(failed.end(), report->failed.begin(), report->failed.end());
  for (const auto& f : failed) std::cerr << "cxr teach: failed: " << f << "\n";
  auto show = [](double v) { return std::isnan(v) ? std::string("n/a") : std::to_string(v).substr(0, 5); };
  std::printf("taught \"%s\" from %d positive and %d negative image(s) into %s\n", report->finding.c_str(),
              report->positives, report->negatives, report->library_path.c_str());
  std::printf("leave-one-out AUC on the examples: zero-shot %s, site adapter %s\n",
              show(report->loo_auc_zero_shot).c_str(), show(report->loo_auc_adapter).c_str());
  std::printf("%s\n", core::kDisclaimer);
  return failed.empty() ? kExitOk : kExitSomeFailed;
}

CXR_CLI_COMMAND("teach", "Teach a finding from a few labelled studies (site adapter)", [](CLI::App& sub) {
  auto a = std::make_shared<TeachArgs>();
  sub.add_option("finding", a->finding, "finding id from the prompt set (e.g. pneumonia)")->required();
  sub.add_option("--positive", a->positives, "images (or folders) showing the finding")->required();
  sub.add_option("--negative", a->negatives, "images (or folders) without it")->required();
  sub.add_option("--library", a->library, "site library JSON to create or update")->capture_default_str();
  sub.add_option("--user", a->user, "who teaches (default: $USER)");
  add_analyzer_flags(sub, a->model);
  return [a]() { return run_teach(*a); };
});

}  // namespace
}  // namespace cxr::cli
