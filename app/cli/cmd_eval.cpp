// cxr eval --labels CSV --finding ID — AUC with a 95% bootstrap interval (by patient when the CSV
// has a patient column). Exit codes: 0 ok, 1 some inputs failed, 2 usage.
#include "command.h"
#include "engine_flags.h"

#include "cxr/core/analyzer.h"
#include "cxr/core/disclaimer.h"
#include "cxr/core/teaching.h"

#include <cstdio>
#include <iostream>

namespace cxr::cli {
namespace {

struct EvalArgs {
  std::string labels, finding, library;
  AnalyzerFlags model;
  int rounds = 1000;
};

int run_eval(const EvalArgs& a) {
  auto rows = core::read_label_csv(a.labels);
  if (!rows) {
    std::cerr << "cxr eval: " << rows.error().message << "\n";
    return kExitUsage;
  }
  core::AnalyzerOptions opt;
  apply(a.model, opt);
  opt.site_library = a.library;
  auto analyzer = core::Analyzer::create(opt);
  if (!analyzer) {
    std::cerr << "cxr eval: " << analyzer.error().message << "\n";
    return analyzer.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  auto report = core::evaluate(*analyzer.value(), rows.value(), a.finding, a.rounds);
  if (!report) {
    std::cerr << "cxr eval: " << report.error().message << "\n";
    return report.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  for (const auto& f : report->failed) std::cerr << "cxr eval: failed: " << f << "\n";
  std::printf("%s: AUC %.3f (95%% CI %.3f-%.3f, %d bootstrap rounds %s), n=%d, positives=%d\n",
              report->finding.c_str(), report->auc, report->ci_low, report->ci_high, report->bootstrap_rounds,
              report->by_patient ? "by patient" : "by image", report->n, report->positives);
  std::printf("%s\n", core::kDisclaimer);
  return report->failed.empty() ? kExitOk : kExitSomeFailed;
}

CXR_CLI_COMMAND("eval", "AUC of one finding on labelled images, with a bootstrap interval", [](CLI::App& sub) {
  auto a = std::make_shared<EvalArgs>();
  sub.add_option("--labels", a->labels, "CSV with columns path,label (+ finding, patient)")->required();
  sub.add_option("--finding", a->finding, "finding id")->required();
  sub.add_option("--library", a->library, "site library (adapters are used when present)");
  sub.add_option("--rounds", a->rounds, "bootstrap rounds")->capture_default_str();
  add_analyzer_flags(sub, a->model);
  return [a]() { return run_eval(*a); };
});

}  // namespace
}  // namespace cxr::cli
