// `cxr pull --config FILE --from AET@HOST:PORT [--study-uid UID | --date RANGE --modality CR,DX]`:
// C-FIND (study root), then C-GET into this node's store (or C-MOVE to a running node with
// --move-to), then analysis and delivery as `cxr serve` does.
#include "command.h"

#include "cxr/dicom/net.h"
#include "cxr/server/config.h"
#include "cxr/server/node.h"
#include "cxr/server/study_analyzer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

namespace cxr::cli {
namespace {

struct PullOptions {
  std::string config_path, from, study_uid, date, modality, move_to;
  int timeout_s = 600;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Waits until every study is done or failed (or the deadline); returns their final states.
nlohmann::json wait_for_studies(cxr::server::JobQueue& queue, const std::vector<std::string>& uids, int timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (true) {
    nlohmann::json states = nlohmann::json::object();
    bool finished = true;
    for (const auto& uid : uids) {
      auto st = queue.study_state(uid);
      std::string state = st ? st->first : "unknown";
      states[uid] = state;
      if (state != "done" && state != "failed") finished = false;
    }
    if (finished || std::chrono::steady_clock::now() > deadline) return states;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int run_pull(const PullOptions& o) {
  auto config = cxr::server::load_config(o.config_path);
  if (!config) {
    std::cerr << "cxr pull: " << config.error().message << "\n";
    return kExitUsage;
  }
  auto peer = cxr::dicom::net::parse_peer(o.from);
  if (!peer) {
    std::cerr << "cxr pull: " << peer.error().message << "\n";
    return kExitUsage;
  }
  if (o.study_uid.empty() && o.date.empty()) {
    std::cerr << "cxr pull: give --study-uid or --date (with --modality to narrow)\n";
    return kExitUsage;
  }
  cxr::dicom::net::ScuOptions scu;
  scu.calling_ae = config->node.ae_title;
  scu.peer = *peer;
  cxr::dicom::net::StudyQuery query{o.study_uid, o.date, split_list(o.modality)};
  auto matches = cxr::dicom::net::find_studies(scu, query);
  if (!matches) {
    std::cerr << "cxr pull: " << matches.error().message << "\n";
    return kExitSomeFailed;
  }
  std::cerr << "cxr pull: " << matches->size() << " stud" << (matches->size() == 1 ? "y" : "ies") << " found\n";
  nlohmann::json report = {{"studies", nlohmann::json::array()}};
  int failures = 0;

  if (!o.move_to.empty()) {  // C-MOVE to a running node: it analyses and delivers
    for (const auto& m : *matches) {
      auto moved = cxr::dicom::net::move_study(scu, m.study_instance_uid, o.move_to);
      report["studies"].push_back({{"study_uid", m.study_instance_uid}, {"moved", moved ? *moved : 0},
                                   {"error", moved ? "" : moved.error().message}});
      if (!moved) ++failures;
    }
    std::cout << report.dump(2) << "\n";
    return failures ? kExitSomeFailed : kExitOk;
  }

  cxr::server::LogLevel level = cxr::server::LogLevel::kInfo;
  cxr::server::parse_log_level(config->log_level, level);
  cxr::server::Logger log(level, config->log_file);
  auto analyzer = cxr::server::make_study_analyzer(config->analysis);
  if (!analyzer) {
    std::cerr << "cxr pull: " << analyzer.error().message << "\n";
    return kExitSomeFailed;
  }
  auto node = cxr::server::Node::start(*config, std::shared_ptr<const cxr::server::StudyAnalyzer>(std::move(*analyzer)), log,
                                       /*listen=*/false);
  if (!node) {
    std::cerr << "cxr pull: " << node.error().message << "\n";
    return kExitSomeFailed;
  }
  std::vector<std::string> pulled;
  nlohmann::json retrieved = nlohmann::json::object();
  for (const auto& m : *matches) {
    auto got = cxr::dicom::net::get_study(scu, m.study_instance_uid, config->node.storage_dir, &(*node)->sink(),
                                          config->node.accepted_classes);
    if (!got) {
      std::cerr << "cxr pull: study " << m.study_instance_uid << ": " << got.error().message << "\n";
      retrieved[m.study_instance_uid] = got.error().message;
      ++failures;
      continue;
    }
    retrieved[m.study_instance_uid] = *got;
    if (*got > 0) {
      (void)(*node)->queue().mark_complete(m.study_instance_uid);
      pulled.push_back(m.study_instance_uid);
    }
  }
  auto states = wait_for_studies((*node)->queue(), pulled, o.timeout_s);
  (*node)->stop(0);
  for (const auto& m : *matches) {
    std::string state = states.contains(m.study_instance_uid) ? states[m.study_instance_uid].get<std::string>() : "not retrieved";
    if (state != "done") ++failures;
    report["studies"].push_back({{"study_uid", m.study_instance_uid}, {"retrieved", retrieved[m.study_instance_uid]},
                                 {"state", state}});
  }
  std::cout << report.dump(2) << "\n";
  return failures ? kExitSomeFailed : kExitOk;
}

}  // namespace

CXR_CLI_COMMAND("pull", "Query a PACS (C-FIND), retrieve studies (C-GET or C-MOVE) and analyse them", [](CLI::App& sub) {
  auto o = std::make_shared<PullOptions>();
  sub.add_option("--config,-c", o->config_path, "Node configuration file (JSON; see docs/pacs.md)")->required();
  sub.add_option("--from", o->from, "The PACS, AET@HOST:PORT")->required();
  sub.add_option("--study-uid", o->study_uid, "Study Instance UID to retrieve");
  sub.add_option("--date", o->date, "Study date or range, YYYYMMDD[-YYYYMMDD]");
  sub.add_option("--modality", o->modality, "Modalities in study, comma-separated (e.g. CR,DX)");
  sub.add_option("--move-to", o->move_to, "Use C-MOVE to this AE (a running `cxr serve`) instead of C-GET");
  sub.add_option("--timeout", o->timeout_s, "Seconds to wait for analysis and delivery (default 600)");
  return [o]() -> int { return run_pull(*o); };
});

}  // namespace cxr::cli
