// cxr/server/config.h — the one configuration file of `cxr serve` / `cxr pull` (JSON; documented in
// docs/pacs.md, example in resources/config/cxr-serve.example.json). Unknown keys are errors, so a
// typo never silently falls back to a default. Relative paths are resolved against the file's folder.
#pragma once

#include "cxr/dicom/net.h"
#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::server {

// Where results go. type "dicom": C-STORE SCU to peer; type "stow-rs": DICOMweb STOW-RS POST to
// <url>/studies (PS3.18 10.5).
struct Destination {
  std::string name;
  std::string type;  // "dicom" | "stow-rs"
  cxr::dicom::net::Peer peer;            // dicom
  std::string calling_ae;                // dicom; default: the node's AE title
  cxr::dicom::net::TlsConfig tls;        // dicom
  std::string url;                       // stow-rs, e.g. http://pacs:8042/dicom-web
  std::string username, password;        // stow-rs HTTP basic auth (optional)
  int timeout_s = 30;
  bool send_heatmaps = true;             // also send the heatmap Secondary Captures, when made
};

struct RetryPolicy {
  int max_attempts = 5;            // then the delivery goes to the dead-letter folder
  double initial_backoff_s = 2;    // doubled after each failure ...
  double max_backoff_s = 300;      // ... up to this
};

// Analysis engine: "core" = cxr::core::Analyzer (the model); "pipeline-check" = no model, an SR that
// states that no analysis was run (for commissioning the DICOM routing).
struct AnalysisConfig {
  std::string engine = "core";
  std::string model_dir, prompts, site_library;  // "" = defaults of cxr::core::AnalyzerOptions
  std::vector<std::string> findings;
  std::string backend = "fast";
  std::string precision = "fp32";  // "bf16": ~1.6x faster on CPUs with AVX512-BF16 (docs/engine.md)
  int threads = 0;
  bool heatmaps = false;  // also produce a heatmap Secondary Capture per positive finding
  int workers = 1;        // studies analysed at once
};

struct ServerConfig {
  std::string source_path;  // the file it was read from ("" when built in code)
  cxr::dicom::net::ScpConfig node;   // storage_dir is <data_dir>/incoming
  std::string data_dir;              // incoming/, results/, dead-letter/, queue.db
  double study_quiet_s = 10;         // a study is complete this long after its last instance
  std::string notes_dir;             // sidecar notes: <notes_dir>/<StudyInstanceUID>.txt ("" = none)
  AnalysisConfig analysis;
  std::vector<Destination> destinations;
  RetryPolicy retry;
  std::string log_level = "info";
  std::string log_file;              // "" = stderr

  std::string queue_db() const { return data_dir + "/queue.db"; }
  std::string results_dir() const { return data_dir + "/results"; }
  std::string dead_letter_dir() const { return data_dir + "/dead-letter"; }
};

// Reads and validates a configuration file. Errors name the file and the key.
Result<ServerConfig> load_config(const std::string& path);
// Same from JSON text (base_dir resolves relative paths).
Result<ServerConfig> parse_config(const std::string& json_text, const std::string& base_dir,
                                  const std::string& source_name);

}  // namespace cxr::server
