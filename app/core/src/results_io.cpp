// JSON / CSV / text renderings of analysis results (contract: cxr/core/results_io.h).
#include "cxr/core/results_io.h"

#include "cxr/core/csv.h"
#include "cxr/core/disclaimer.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace cxr::core {
namespace {

using nlohmann::json;

json finding_json(const FindingResult& f, bool with_heatmaps) {
  json evidence = json::array();
  for (const auto& e : f.evidence) {
    json item = {{"sentence", e.sentence}, {"delta_logit", e.delta_logit}, {"negated", e.negated}};
    if (!e.competing.empty()) item["competing_diagnosis"] = e.competing;
    evidence.push_back(std::move(item));
  }
  json j{{"id", f.id},
         {"name_en", f.name_en},
         {"name_ko", f.name_ko},
         {"code", {{"scheme", f.code_scheme}, {"value", f.code_value}, {"meaning", f.code_meaning}}},
         {"probability", f.probability},
         {"decision", f.decision},
         {"threshold", f.threshold},
         {"threshold_negative", f.threshold_negative},
         {"image_logit", f.image_logit},
         {"notes_logit", f.notes_logit},
         {"evidence", evidence},
         {"validated", f.validated},
         {"site_adapted", f.site_adapted},
         {"calibrated", f.calibrated}};
  if (with_heatmaps && f.heatmap_grid > 0) {
    j["heatmap_grid"] = f.heatmap_grid;
    j["heatmap"] = f.heatmap;
  }
  return j;
}

FindingResult finding_from_json(const json& j) {
  FindingResult f;
  f.id = j.value("id", "");
  f.name_en = j.value("name_en", "");
  f.name_ko = j.value("name_ko", "");
  if (auto c = j.find("code"); c != j.end() && c->is_object()) {
    f.code_scheme = c->value("scheme", "");
    f.code_value = c->value("value", "");
    f.code_meaning = c->value("meaning", "");
  }
  f.probability = j.value("probability", 0.0);
  f.decision = j.value("decision", "");
  f.threshold = j.value("threshold", 0.5);
  f.threshold_negative = j.value("threshold_negative", f.threshold);
  f.image_logit = j.value("image_logit", 0.0);
  f.notes_logit = j.value("notes_logit", 0.0);
  f.validated = j.value("validated", false);
  f.site_adapted = j.value("site_adapted", false);
  f.calibrated = j.value("calibrated", false);
  if (auto ev = j.find("evidence"); ev != j.end() && ev->is_array()) {
    for (const auto& e : *ev) {
      f.evidence.push_back({e.value("sentence", ""), e.value("delta_logit", 0.0), e.value("negated", false),
                            e.value("competing_diagnosis", "")});
    }
  }
  return f;
}

json instance_json(const InstanceResult& r, bool with_heatmaps) {
  json j{{"path", r.path},
         {"is_dicom", r.meta.is_dicom},
         {"study_instance_uid", r.meta.study_instance_uid},
         {"series_instance_uid", r.meta.series_instance_uid},
         {"sop_instance_uid", r.meta.sop_instance_uid},
         {"sop_class_uid", r.meta.sop_class_uid},
         {"view_position", r.meta.view_position},
         {"content_box", {r.content_box.x0, r.content_box.y0, r.content_box.x1, r.content_box.y1}}};
  if (!r.ok()) j["error"] = r.error;
  if (!r.warnings.empty()) j["warnings"] = r.warnings;
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f, with_heatmaps));
  j["findings"] = findings;
  return j;
}

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string results_to_json(const std::vector<InstanceResult>& instances, const std::vector<StudyResult>& studies,
                            const Provenance& p, bool with_heatmaps) {
  json doc{{"disclaimer", kDisclaimer},
           {"provenance",
            {{"algorithm", p.algorithm_name},
             {"version", p.version},
             {"model_dir", p.model_dir},
             {"model_sha256", p.model_hash},
             {"prompt_set", p.prompt_set_path},
             {"prompt_set_sha256", p.prompt_set_hash},
             {"site_library", p.site_library_path},
             {"site_library_sha256", p.site_library_hash}}}};
  json inst = json::array();
  for (const auto& r : instances) inst.push_back(instance_json(r, with_heatmaps));
  doc["instances"] = inst;
  json st = json::array();
  for (const auto& s : studies) {
    json findings = json::array();
    for (const auto& f : s.findings) findings.push_back(finding_json(f, false));
    st.push_back({{"study_instance_uid", s.study_instance_uid}, {"instances", s.instance_paths}, {"findings", findings}});
  }
  doc["studies"] = st;
  return doc.dump(2);
}

Result<std::vector<InstanceResult>> instances_from_json(const std::string& text, const std::string& source) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("instances") || !doc["instances"].is_array()) {
    return make_error(ErrorCode::kCorruptData, source + ": not a `cxr analyze` JSON result (no \"instances\" array); "
                                                        "remove it or choose another -o");
  }
  std::vector<InstanceResult> out;
  for (const auto& j : doc["instances"]) {
    if (!j.is_object()) continue;
    InstanceResult r;
    r.path = j.value("path", "");
    r.error = j.value("error", "");
    r.meta.is_dicom = j.value("is_dicom", false);
    r.meta.study_instance_uid = j.value("study_instance_uid", "");
    r.meta.series_instance_uid = j.value("series_instance_uid", "");
    r.meta.sop_instance_uid = j.value("sop_instance_uid", "");
    r.meta.sop_class_uid = j.value("sop_class_uid", "");
    r.meta.view_position = j.value("view_position", "");
    if (auto b = j.find("content_box"); b != j.end() && b->is_array() && b->size() == 4) {
      r.content_box = {(*b)[0].get<double>(), (*b)[1].get<double>(), (*b)[2].get<double>(), (*b)[3].get<double>()};
    }
    if (auto w = j.find("warnings"); w != j.end() && w->is_array()) {
      for (const auto& s : *w) r.warnings.push_back(s.get<std::string>());
    }
    if (auto f = j.find("findings"); f != j.end() && f->is_array()) {
      for (const auto& fj : *f) r.findings.push_back(finding_from_json(fj));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string csv_header_line() { return "path,study_instance_uid,sop_instance_uid,finding,probability,decision\n"; }

std::string csv_rows(const InstanceResult& r) {
  std::string out;
  for (const auto& f : r.findings) {
    out += csv_field(r.path) + "," + csv_field(r.meta.study_instance_uid) + "," + csv_field(r.meta.sop_instance_uid) +
           "," + csv_field(f.id) + "," + fixed(f.probability, 6) + "," + f.decision + "\n";
  }
  return out;
}

std::string text_report(const InstanceResult& r, bool korean_names) {
  std::ostringstream out;
  out << r.path;
  if (!r.meta.view_position.empty()) out << "  [" << r.meta.view_position << "]";
  out << "\n";
  if (!r.ok()) {
    out << "  error: " << r.error << "\n";
    return out.str();
  }
  for (const auto& w : r.warnings) out << "  note: " << w << "\n";
  for (const auto& f : r.findings) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-24s %5.1f%%  %-13s (image %+.2f, notes %+.2f)%s%s%s\n",
                  (korean_names ? f.name_ko : f.name_en).c_str(), 100.0 * f.probability, f.decision.c_str(),
                  f.image_logit, f.notes_logit, f.validated ? "" : "  [not validated]",
                  f.site_adapted ? "  [site-taught]" : "", f.calibrated ? "  [calibrated]" : "");
    out << line;
    for (const auto& e : f.evidence) {
      out << "      " << (e.delta_logit >= 0 ? "+" : "") << fixed(e.delta_logit, 2) << "  \"" << e.sentence << "\"";
      if (!e.competing.empty()) out << "  (names another diagnosis: " << e.competing << ")";
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace cxr::core
