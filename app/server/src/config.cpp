// Configuration file parsing: strict (unknown keys are errors), every error names file and key.
#include "cxr/server/config.h"
#include "cxr/server/log.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace cxr::server {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Reader {
  std::string source, base_dir;

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw Exception(ErrorCode::kInvalidArgument, source + ": " + key + ": " + why);
  }

  void only_keys(const json& obj, const std::string& where, std::initializer_list<const char*> keys) const {
    if (!obj.is_object()) fail(where, "must be an object");
    std::set<std::string> allowed(keys.begin(), keys.end());
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (!allowed.count(it.key())) fail(where + "." + it.key(), "unknown key (see docs/pacs.md)");
  }

  template <typename T>
  void get(const json& obj, const std::string& where, const char* key, T& out) const {
    if (!obj.contains(key)) return;
    try {
      out = obj.at(key).get<T>();
    } catch (const json::exception&) {
      fail(where + "." + key, "wrong type");
    }
  }

  std::string path(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute()) return p;
    return (fs::path(base_dir) / p).lexically_normal().string();
  }

  void get_path(const json& obj, const std::string& where, const char* key, std::string& out) const {
    get(obj, where, key, out);
    out = path(out);
  }

  cxr::dicom::net::TlsConfig tls(const json& obj, const std::string& where) const {
    only_keys(obj, where, {"enabled", "certificate", "private_key", "trusted_certificates", "require_peer_certificate"});
    cxr::dicom::net::TlsConfig t;
    get(obj, where, "enabled", t.enabled);
    get_path(obj, where, "certificate", t.certificate_file);
    get_path(obj, where, "private_key", t.private_key_file);
    get(obj, where, "trusted_certificates", t.trusted_certificates);
    for (auto& c : t.trusted_certificates) c = path(c);
    get(obj, where, "require_peer_certificate", t.require_peer_certificate);
    return t;
  }

  void node(const json& obj, ServerConfig& c) const {
    const std::string w = "node";
    only_keys(obj, w, {"ae_title", "port", "allowed_calling_aes", "max_associations", "accepted_classes",
                       "accept_all_storage", "idle_timeout_seconds", "tls"});
    get(obj, w, "ae_title", c.node.ae_title);
    if (c.node.ae_title.empty() || c.node.ae_title.size() > 16) fail(w + ".ae_title", "must have 1 to 16 characters");
    int port = c.node.port;
    get(obj, w, "port", port);
    if (port < 1 || port > 65535) fail(w + ".port", "must be 1-65535");
    c.node.port = static_cast<uint16_t>(port);
    get(obj, w, "allowed_calling_aes", c.node.allowed_calling_aes);
    get(obj, w, "max_associations", c.node.max_associations);
    if (c.node.max_associations < 1) fail(w + ".max_associations", "must be >= 1");
    get(obj, w, "idle_timeout_seconds", c.node.idle_timeout_s);
    bool accept_all = false;
    get(obj, w, "accept_all_storage", accept_all);
    std::vector<std::string> names;
    get(obj, w, "accepted_classes", names);
    if (accept_all) {
      c.node.accepted_classes = cxr::dicom::net::all_storage_classes();
    } else {
      for (const auto& n : names) {
        auto uid = cxr::dicom::net::storage_class_uid(n);
        if (!uid) fail(w + ".accepted_classes", uid.error().message);
        c.node.accepted_classes.push_back(*uid);
      }
    }
    if (obj.contains("tls")) c.node.tls = tls(obj["tls"], w + ".tls");
  }

  void analysis(const json& obj, AnalysisConfig& a) const {
    const std::string w = "analysis";
    only_keys(obj, w, {"engine", "model_dir", "prompts", "site_library", "findings", "backend", "precision",
                       "threads", "heatmaps", "workers"});
    get(obj, w, "engine", a.engine);
    if (a.engine != "core" && a.engine != "pipeline-check") fail(w + ".engine", "must be \"core\" or \"pipeline-check\"");
    get_path(obj, w, "model_dir", a.model_dir);
    get_path(obj, w, "prompts", a.prompts);
    get_path(obj, w, "site_library", a.site_library);
    get(obj, w, "findings", a.findings);
    get(obj, w, "backend", a.backend);
    get(obj, w, "precision", a.precision);
    if (a.precision != "fp32" && a.precision != "bf16") fail(w + ".precision", "must be \"fp32\" or \"bf16\"");
    get(obj, w, "threads", a.threads);
    get(obj, w, "heatmaps", a.heatmaps);
    get(obj, w, "workers", a.workers);
    if (a.workers < 1) fail(w + ".workers", "must be >= 1");
  }

  Destination destination(const json& obj, const std::string& w, const std::string& node_ae) const {
    only_keys(obj, w, {"name", "type", "peer", "calling_ae", "tls", "url", "username", "password",
                       "timeout_seconds", "send_heatmaps"});
    Destination d;
    get(obj, w, "name", d.name);
    get(obj, w, "type", d.type);
    if (d.name.empty()) fail(w + ".name", "is required");
    get(obj, w, "timeout_seconds", d.timeout_s);
    get(obj, w, "send_heatmaps", d.send_heatmaps);
    if (d.type == "dicom") {
      std::string peer;
      get(obj, w, "peer", peer);
      auto p = cxr::dicom::net::parse_peer(peer);
      if (!p) fail(w + ".peer", p.error().message);
      d.peer = *p;
      d.calling_ae = node_ae;
      get(obj, w, "calling_ae", d.calling_ae);
      if (obj.contains("tls")) d.tls = tls(obj["tls"], w + ".tls");
    } else if (d.type == "stow-rs") {
      get(obj, w, "url", d.url);
      if (d.url.rfind("http://", 0) != 0 && d.url.rfind("https://", 0) != 0)
        fail(w + ".url", "must start with http:// or https:// (the DICOMweb base, e.g. http://host:8042/dicom-web)");
      while (!d.url.empty() && d.url.back() == '/') d.url.pop_back();
      get(obj, w, "username", d.username);
      get(obj, w, "password", d.password);
    } else {
      fail(w + ".type", "must be \"dicom\" or \"stow-rs\"");
    }
    return d;
  }
};

}  // namespace

Result<ServerConfig> parse_config(const std::string& text, const std::string& base_dir, const std::string& source) {
  return capture([&] {
    Reader r{source, base_dir};
    json root;
    try {
      root = json::parse(text);
    } catch (const json::parse_error& e) {
      throw Exception(ErrorCode::kCorruptData, source + ": not valid JSON: " + e.what());
    }
    r.only_keys(root, "(top level)", {"node", "data_dir", "study_quiet_seconds", "notes_dir", "analysis",
                                      "destinations", "retry", "log"});
    ServerConfig c;
    c.source_path = source;
    if (root.contains("node")) r.node(root["node"], c);
    r.get_path(root, "", "data_dir", c.data_dir);
    if (c.data_dir.empty()) r.fail("data_dir", "is required (folder for received instances, results and the queue)");
    c.node.storage_dir = c.data_dir + "/incoming";
    r.get(root, "", "study_quiet_seconds", c.study_quiet_s);
    if (c.study_quiet_s < 0) r.fail("study_quiet_seconds", "must be >= 0");
    r.get_path(root, "", "notes_dir", c.notes_dir);
    if (root.contains("analysis")) r.analysis(root["analysis"], c.analysis);
    if (root.contains("destinations")) {
      if (!root["destinations"].is_array()) r.fail("destinations", "must be an array");
      std::set<std::string> names;
      for (size_t i = 0; i < root["destinations"].size(); ++i) {
        auto d = r.destination(root["destinations"][i], "destinations[" + std::to_string(i) + "]", c.node.ae_title);
        if (!names.insert(d.name).second) r.fail("destinations", "duplicate name '" + d.name + "'");
        c.destinations.push_back(d);
      }
    }
    if (root.contains("retry")) {
      const json& o = root["retry"];
      r.only_keys(o, "retry", {"max_attempts", "initial_backoff_seconds", "max_backoff_seconds"});
      r.get(o, "retry", "max_attempts", c.retry.max_attempts);
      r.get(o, "retry", "initial_backoff_seconds", c.retry.initial_backoff_s);
      r.get(o, "retry", "max_backoff_seconds", c.retry.max_backoff_s);
      if (c.retry.max_attempts < 1) r.fail("retry.max_attempts", "must be >= 1");
    }
    if (root.contains("log")) {
      const json& o = root["log"];
      r.only_keys(o, "log", {"level", "file"});
      r.get(o, "log", "level", c.log_level);
      LogLevel level;
      if (!parse_log_level(c.log_level, level)) r.fail("log.level", "must be debug, info, warn or error");
      r.get_path(o, "log", "file", c.log_file);
    }
    return c;
  });
}

Result<ServerConfig> load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return make_error(ErrorCode::kNotFound, path + ": configuration file not found; see resources/config/cxr-serve.example.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string base = fs::absolute(path).parent_path().string();
  return parse_config(ss.str(), base, path);
}

}  // namespace cxr::server
