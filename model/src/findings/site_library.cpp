// The site library file (schema "cxr-site-library/1"; docs/findings.md, "Site library").
#include "cxr/model/findings.h"
#include "cxr/model/findings_site.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace cxr::model {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw Exception(ErrorCode::kCorruptData,
                  where + ": " + what + "; fix or delete the site library and teach/calibrate again");
}

json calibration_json(const SiteCalibration& s) {
  const Calibration& c = s.calibration;
  return json{{"scale", c.scale},
              {"offset", c.offset},
              {"thresholds",
               {{"default", c.threshold_default},
                {"high_sensitivity", c.threshold_high_sensitivity},
                {"high_specificity", c.threshold_high_specificity}}},
              {"sensitivity_at_high_sensitivity", c.sensitivity_at_high_sens},
              {"specificity_at_high_sensitivity", c.specificity_at_high_sens},
              {"sensitivity_at_high_specificity", c.sensitivity_at_high_spec},
              {"specificity_at_high_specificity", c.specificity_at_high_spec},
              {"ece_before", c.ece_before},
              {"ece_after", c.ece_after},
              {"n", c.n},
              {"positives", c.positives},
              {"model_hash", s.model_hash},
              {"created_by", s.created_by},
              {"created_at", s.created_at},
              {"with_adapter", s.with_adapter}};
}

json adapter_json(const SiteAdapter& s) {
  json examples = json::array();
  for (const auto& e : s.examples) {
    examples.push_back({{"label", e.label},
                        {"file", e.file},
                        {"sop_instance_uid", e.sop_instance_uid},
                        {"study_instance_uid", e.study_instance_uid}});
  }
  return json{{"weights", s.adapter.weights},
              {"bias", s.adapter.bias},
              {"lambda", s.adapter.lambda},
              {"model_hash", s.model_hash},
              {"created_by", s.created_by},
              {"created_at", s.created_at},
              {"loo_auc_zero_shot", s.loo_auc_zero_shot},
              {"loo_auc_adapter", s.loo_auc_adapter},
              {"examples", examples}};
}

double number(const json& o, const char* key, const std::string& where, double fallback, bool required = false) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) fail(where, std::string("missing number \"") + key + "\"");
    return fallback;
  }
  if (!it->is_number()) fail(where, std::string("\"") + key + "\" must be a number");
  return it->get<double>();
}

std::string text(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SiteAdapter parse_adapter(const json& a, const std::string& where) {
  if (!a.is_object()) fail(where, "must be an object");
  SiteAdapter s;
  auto w = a.find("weights");
  if (w == a.end() || !w->is_array() || w->empty()) fail(where, "\"weights\" must be a non-empty array");
  for (const auto& v : *w) {
    if (!v.is_number()) fail(where, "\"weights\" must contain numbers");
    s.adapter.weights.push_back(v.get<float>());
  }
  s.adapter.bias = number(a, "bias", where, 0, true);
  s.adapter.lambda = number(a, "lambda", where, 1);
  s.model_hash = text(a, "model_hash");
  s.created_by = text(a, "created_by");
  s.created_at = text(a, "created_at");
  s.loo_auc_zero_shot = number(a, "loo_auc_zero_shot", where, 0);
  s.loo_auc_adapter = number(a, "loo_auc_adapter", where, 0);
  if (auto ex = a.find("examples"); ex != a.end() && ex->is_array()) {
    for (const auto& e : *ex) {
      TeachExample t;
      t.label = static_cast<int>(number(e, "label", where + " example", 0));
      t.file = text(e, "file");
      t.sop_instance_uid = text(e, "sop_instance_uid");
      t.study_instance_uid = text(e, "study_instance_uid");
      s.examples.push_back(std::move(t));
    }
  }
  return s;
}

SiteCalibration parse_calibration(const json& c, const std::string& where) {
  if (!c.is_object()) fail(where, "must be an object");
  SiteCalibration s;
  Calibration& k = s.calibration;
  k.scale = number(c, "scale", where, 1, true);
  k.offset = number(c, "offset", where, 0, true);
  if (!(k.scale > 0)) fail(where, "\"scale\" must be > 0");
  if (auto t = c.find("thresholds"); t != c.end() && t->is_object()) {
    k.threshold_default = number(*t, "default", where, 0.5);
    k.threshold_high_sensitivity = number(*t, "high_sensitivity", where, 0.5);
    k.threshold_high_specificity = number(*t, "high_specificity", where, 0.5);
  }
  k.sensitivity_at_high_sens = number(c, "sensitivity_at_high_sensitivity", where, 0);
  k.specificity_at_high_sens = number(c, "specificity_at_high_sensitivity", where, 0);
  k.sensitivity_at_high_spec = number(c, "sensitivity_at_high_specificity", where, 0);
  k.specificity_at_high_spec = number(c, "specificity_at_high_specificity", where, 0);
  k.ece_before = number(c, "ece_before", where, 0);
  k.ece_after = number(c, "ece_after", where, 0);
  k.n = static_cast<int>(number(c, "n", where, 0));
  k.positives = static_cast<int>(number(c, "positives", where, 0));
  s.model_hash = text(c, "model_hash");
  s.created_by = text(c, "created_by");
  s.created_at = text(c, "created_at");
  if (auto wa = c.find("with_adapter"); wa != c.end() && wa->is_boolean()) s.with_adapter = wa->get<bool>();
  return s;
}

}  // namespace

Result<SiteLibrary> SiteLibrary::parse(const std::string& json_text, const std::string& source) {
  return capture([&]() -> SiteLibrary {
    json doc;
    try {
      doc = json::parse(json_text);
    } catch (const json::parse_error& e) {
      fail(source, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!doc.is_object()) fail(source, "the top level must be an object");
    const std::string schema = text(doc, "schema");
    if (schema != "cxr-site-library/1") fail(source, "schema must be \"cxr-site-library/1\" (got \"" + schema + "\")");
    SiteLibrary lib;
    lib.sha256 = sha256_hex(json_text);
    auto findings = doc.find("findings");
    if (findings == doc.end()) return lib;
    if (!findings->is_object()) fail(source, "\"findings\" must be an object keyed by finding id");
    for (const auto& [id, entry] : findings->items()) {
      const std::string where = source + ": finding \"" + id + "\"";
      if (!entry.is_object()) fail(where, "must be an object");
      SiteFinding f;
      if (auto a = entry.find("adapter"); a != entry.end() && !a->is_null()) f.adapter = parse_adapter(*a, where + " adapter");
      if (auto c = entry.find("calibration"); c != entry.end() && !c->is_null()) {
        f.calibration = parse_calibration(*c, where + " calibration");
      }
      lib.findings[id] = std::move(f);
    }
    return lib;
  });
}

Result<SiteLibrary> SiteLibrary::load(const std::string& path, bool allow_missing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (allow_missing && !std::filesystem::exists(path)) return SiteLibrary{};
    return make_error(ErrorCode::kNotFound, path + ": cannot open the site library; check the path (--library)");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

std::string SiteLibrary::to_json() const {
  json doc{{"schema", "cxr-site-library/1"}, {"findings", json::object()}};
  for (const auto& [id, f] : findings) {
    json entry = json::object();
    if (f.adapter) entry["adapter"] = adapter_json(*f.adapter);
    if (f.calibration) entry["calibration"] = calibration_json(*f.calibration);
    doc["findings"][id] = entry;
  }
  return doc.dump(1);
}

Status SiteLibrary::save(const std::string& path) const {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error(ErrorCode::kIo, path + ": cannot write the site library (check the folder exists and is writable)");
    out << to_json() << "\n";
    out.flush();
    if (!out) return make_error(ErrorCode::kIo, path + ": write failed (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return make_error(ErrorCode::kIo, path + ": cannot replace the site library: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace cxr::model
