// `cxr serve --config FILE` — the PACS node (docs/pacs.md); `--status` prints the queue counters.
#include "command.h"

#include "cxr/server/config.h"
#include "cxr/server/node.h"
#include "cxr/server/queue.h"
#include "cxr/server/study_analyzer.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <iostream>
#include <pthread.h>

namespace cxr::cli {
namespace {

nlohmann::json status_json(const cxr::server::QueueStatus& s) {
  auto latency = [](double v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  return {{"received", s.instances_received},
          {"studies", s.studies_total},
          {"analysed", s.analyses},
          {"failed", s.studies_failed + s.deliveries_dead},
          {"queue_depth", s.queue_depth},
          {"studies_by_state", {{"receiving", s.studies_receiving}, {"analysing", s.studies_analysing},
                                {"analysed", s.studies_analysed}, {"done", s.studies_done}, {"failed", s.studies_failed}}},
          {"deliveries", {{"pending", s.deliveries_pending}, {"sent", s.deliveries_sent}, {"dead", s.deliveries_dead}}},
          {"latency_s", {{"mean", latency(s.latency_mean_s)}, {"p50", latency(s.latency_p50_s)},
                         {"p95", latency(s.latency_p95_s)}, {"max", latency(s.latency_max_s)}}}};
}

int print_status(const cxr::server::ServerConfig& config) {
  auto s = cxr::server::JobQueue::read_status(config.queue_db());
  if (!s) {
    std::cerr << "cxr serve --status: " << s.error().message << "\n";
    return kExitSomeFailed;
  }
  std::cout << status_json(*s).dump(2) << "\n";
  return kExitOk;
}

// Blocks SIGTERM/SIGINT in this thread (and every thread started later), so sigwait receives them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int serve(const cxr::server::ServerConfig& config) {
  cxr::server::LogLevel level = cxr::server::LogLevel::kInfo;
  cxr::server::parse_log_level(config.log_level, level);
  cxr::server::Logger log(level, config.log_file);
  sigset_t signals = block_stop_signals();
  auto analyzer = cxr::server::make_study_analyzer(config.analysis);
  if (!analyzer) {
    log.error("analyzer_failed", analyzer.error().message);
    std::cerr << "cxr serve: " << analyzer.error().message << "\n";
    return kExitSomeFailed;
  }
  auto node = cxr::server::Node::start(config, std::shared_ptr<const cxr::server::StudyAnalyzer>(std::move(*analyzer)), log);
  if (!node) {
    log.error("start_failed", node.error().message);
    std::cerr << "cxr serve: " << node.error().message << "\n";
    return kExitSomeFailed;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  log.info("shutdown", std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + "; shutting down");
  (*node)->stop(10);
  return kExitOk;
}

}  // namespace

CXR_CLI_COMMAND("serve", "Run the PACS node: receive studies (DICOM), analyse them, send results back", [](CLI::App& sub) {
  auto config_path = std::make_shared<std::string>();
  auto status = std::make_shared<bool>(false);
  auto check = std::make_shared<bool>(false);
  sub.add_option("--config,-c", *config_path, "Configuration file (JSON; see docs/pacs.md)")->required();
  sub.add_flag("--status", *status, "Print counters of the node's queue (received, analysed, failed, depth, latency) and exit");
  sub.add_flag("--check-config", *check, "Validate the configuration file and exit");
  return [=]() -> int {
    auto config = cxr::server::load_config(*config_path);
    if (!config) {
      std::cerr << "cxr serve: " << config.error().message << "\n";
      return kExitUsage;
    }
    if (*check) {
      std::cout << "configuration OK: " << *config_path << "\n";
      return kExitOk;
    }
    if (*status) return print_status(*config);
    return serve(*config);
  };
});

}  // namespace cxr::cli
