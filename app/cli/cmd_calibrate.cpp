// cxr calibrate --labels CSV [--library FILE] — per-finding temperature and operating points.
// CSV columns: path,finding,label (+ patient). Exit codes: 0 ok, 1 some inputs failed, 2 usage.
#include "command.h"
#include "engine_flags.h"

#include "cxr/core/analyzer.h"
#include "cxr/core/disclaimer.h"
#include "cxr/core/teaching.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace cxr::cli {
namespace {

struct CalibrateArgs {
  std::string labels, library = "site-library.json";
  AnalyzerFlags model;
};

int run_calibrate(const CalibrateArgs& a) {
  auto rows = core::read_label_csv(a.labels);
  if (!rows) {
    std::cerr << "cxr calibrate: " << rows.error().message << "\n";
    return kExitUsage;
  }
  core::AnalyzerOptions opt;
  apply(a.model, opt);
  opt.site_library = std::filesystem::exists(a.library) ? a.library : "";  // use its adapters when present
  auto analyzer = core::Analyzer::create(opt);
  if (!analyzer) {
    std::cerr << "cxr calibrate: " << analyzer.error().message << "\n";
    return analyzer.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  auto report = core::calibrate(*analyzer.value(), rows.value(), a.library);
  if (!report) {
    std::cerr << "cxr calibrate: " << report.error().message << "\n";
    return report.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  for (const auto& f : report->failed) std::cerr << "cxr calibrate: failed: " << f << "\n";
  std::printf("%-22s %5s %5s %8s %8s %9s %9s %9s %9s %9s\n", "finding", "n", "pos", "T", "bias", "ECE_pre",
              "ECE_post", "thr_sens", "thr_spec", "thr_J");
  for (const auto& e : report->entries) {
    std::printf("%-22s %5d %5d %8.3f %8.3f %9.4f %9.4f %9.3f %9.3f %9.3f\n", e.finding.c_str(), e.n, e.positives,
                e.temperature, e.bias, e.ece_before, e.ece_after, e.threshold_high_sensitivity,
                e.threshold_high_specificity, e.threshold_default);
  }
  std::printf("stored in %s\n%s\n", report->library_path.c_str(), core::kDisclaimer);
  return report->failed.empty() ? kExitOk : kExitSomeFailed;
}

CXR_CLI_COMMAND("calibrate", "Fit per-finding temperature and operating points on labelled images", [](CLI::App& sub) {
  auto a = std::make_shared<CalibrateArgs>();
  sub.add_option("--labels", a->labels, "CSV with columns path,finding,label (+ patient)")->required();
  sub.add_option("--library", a->library, "site library JSON to update")->capture_default_str();
  add_analyzer_flags(sub, a->model);
  return [a]() { return run_calibrate(*a); };
});

}  // namespace
}  // namespace cxr::cli
