// A `cxr serve` child process with its own temp data dir and configuration, for the PACS suites.
#pragma once

#include "pacs_harness.h"

#include <csignal>
#include <fstream>
#include <memory>
#include <set>

namespace cxr::test {

class CxrNode {
 public:
  // config: a full node configuration except data_dir and node.port (filled in here).
  CxrNode(nlohmann::json config, int port) : dir_("cxr-node"), port_(port), config_(std::move(config)) {
    config_["data_dir"] = dir_ / "data";
    config_["node"]["port"] = port_;
    if (!config_["node"].contains("ae_title")) config_["node"]["ae_title"] = "CXR_ASSIST";
  }
  ~CxrNode() { kill9(); }

  // Starts `cxr serve` and waits (polling its JSON log) until it listens.
  void start() {
    std::ofstream(config_path()) << config_.dump(2);
    ++starts_;
    log_path_ = dir_ / ("serve-" + std::to_string(starts_) + ".log");
    process_ = std::make_unique<Process>(std::vector<std::string>{cxr_binary(), "serve", "--config", config_path()}, log_path_);
    bool up = wait_until([&] { return log().find("\"node_started\"") != std::string::npos || !process_->running(); }, 120, 50);
    if (!up || !process_->running()) throw std::runtime_error("cxr serve did not start:\n" + log());
  }
  // SIGTERM and wait; returns the exit code.
  int stop() {
    if (!process_) return -1;
    process_->kill(SIGTERM);
    int rc = process_->wait(60);
    process_.reset();
    return rc;
  }
  void kill9() {
    if (!process_) return;
    process_->kill(SIGKILL);
    process_->wait(10);
    process_.reset();
  }
  nlohmann::json status() const {
    auto r = run_command({cxr_binary(), "serve", "--config", config_path(), "--status"}, 30);
    auto j = nlohmann::json::parse(r.output, nullptr, false);
    return j.is_discarded() ? nlohmann::json::object() : j;
  }
  std::string log() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string config_path() const { return dir_ / "cxr-serve.json"; }
  std::string data_dir() const { return dir_ / "data"; }
  std::string dir() const { return dir_.path(); }
  int port() const { return port_; }
  std::string peer() const { return "CXR_ASSIST@127.0.0.1:" + std::to_string(port_); }

 private:
  TempDir dir_;
  int port_;
  nlohmann::json config_;
  std::unique_ptr<Process> process_;
  std::string log_path_;
  int starts_ = 0;
};

// storescu argv sending files to AET@127.0.0.1:port as calling AE "STORESCU".
inline std::vector<std::string> storescu(int port, const std::vector<std::string>& files, const std::string& aec = "CXR_ASSIST",
                                         bool verbose = false) {
  // -R: propose only the files' SOP classes; -xy: propose JPEG baseline first (the test images are
  // JPEG baseline; storescu cannot convert them to an uncompressed syntax).
  std::vector<std::string> argv = {"storescu", "-R", "-xy", "-aet", "STORESCU", "-aec", aec, "-to", "30", "-ta", "30", "-td", "60"};
  if (verbose) argv.push_back("-v");
  argv.insert(argv.end(), {"127.0.0.1", std::to_string(port)});
  argv.insert(argv.end(), files.begin(), files.end());
  return argv;
}

}  // namespace cxr::test
