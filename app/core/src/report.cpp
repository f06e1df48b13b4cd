// SR / heatmap outputs of an analysis (contract: cxr/core/report.h).
#include "cxr/core/report.h"

#include "cxr/core/disclaimer.h"
#include "cxr/dicom/image.h"

#include <cstdio>
#include <set>

namespace cxr::core {

Result<dicom::SrContent> make_sr_content(const StudyResult& study, const std::vector<InstanceResult>& instances,
                                         const Provenance& provenance) {
  dicom::SrContent c;
  const std::set<std::string> members(study.instance_paths.begin(), study.instance_paths.end());
  for (const auto& inst : instances) {
    if (!inst.ok() || !members.count(inst.path) || !inst.meta.is_dicom) continue;
    c.sources.push_back({inst.path, inst.meta.sop_class_uid, inst.meta.sop_instance_uid, inst.meta.series_instance_uid});
  }
  if (c.sources.empty()) {
    return make_error(ErrorCode::kUnsupported,
                      (study.instance_paths.empty() ? std::string("study") : study.instance_paths.front()) +
                          ": a DICOM SR needs DICOM source images (PNG/JPEG inputs have no UIDs); use --format json/csv");
  }
  c.study_instance_uid = study.study_instance_uid;
  c.algorithm_name = provenance.algorithm_name;
  c.algorithm_version = provenance.version;
  c.model_hash = provenance.model_hash;
  c.prompt_set_hash = provenance.prompt_set_hash;
  c.site_library_hash = provenance.site_library_hash;
  c.disclaimer = kDisclaimer;
  for (const auto& f : study.findings) {
    dicom::SrFinding s;
    s.id = f.id;
    s.code_scheme = f.code_scheme;
    s.code_value = f.code_value;
    s.code_meaning = f.code_meaning;
    s.probability = f.probability;
    s.decision = f.decision;
    s.threshold = f.threshold;
    for (const auto& e : f.evidence) {
      char delta[32];
      std::snprintf(delta, sizeof delta, "%+.2f", e.delta_logit);
      const std::string why = e.competing.empty() ? "" : " (names another diagnosis: " + e.competing + ")";
      s.evidence.push_back("Note evidence (" + std::string(delta) + " log-odds): " + e.sentence + why);
    }
    c.findings.push_back(std::move(s));
  }
  return c;
}

Status write_study_sr(const std::string& out_path, const StudyResult& study,
                      const std::vector<InstanceResult>& instances, const Provenance& provenance) {
  auto content = make_sr_content(study, instances, provenance);
  if (!content) return content.error();
  return dicom::write_analysis_sr(out_path, content.value());
}

Result<dicom::ImageRgb8> render_heatmap(const InstanceResult& instance, const FindingResult& finding) {
  if (finding.heatmap_grid <= 0) {
    return make_error(ErrorCode::kInvalidArgument, instance.path + ": no heatmap for \"" + finding.id +
                                                       "\" (analyse with heatmaps enabled)");
  }
  auto loaded = dicom::load_image(instance.path);
  if (!loaded) return loaded.error();
  dicom::HeatmapOverlay overlay;
  overlay.values = finding.heatmap;
  overlay.grid = finding.heatmap_grid;
  overlay.box_x0 = instance.content_box.x0;
  overlay.box_y0 = instance.content_box.y0;
  overlay.box_x1 = instance.content_box.x1;
  overlay.box_y1 = instance.content_box.y1;
  char label[160];
  std::snprintf(label, sizeof label, "%s p=%.2f (%s) - decision support, not a diagnosis", finding.name_en.c_str(),
                finding.probability, finding.decision.c_str());
  overlay.label = label;
  return dicom::burn_heatmap(loaded->image, overlay);
}

Status write_heatmap_png(const std::string& out_path, const InstanceResult& instance, const FindingResult& finding) {
  auto rgb = render_heatmap(instance, finding);
  if (!rgb) return rgb.error();
  return dicom::write_png_rgb(out_path, rgb.value());
}

Status write_heatmap_secondary_capture(const std::string& out_path, const InstanceResult& instance,
                                       const FindingResult& finding, const Provenance& provenance) {
  StudyResult study;
  study.study_instance_uid = instance.meta.study_instance_uid;
  study.instance_paths = {instance.path};
  study.findings = {finding};
  auto content = make_sr_content(study, {instance}, provenance);
  if (!content) return content.error();
  auto rgb = render_heatmap(instance, finding);
  if (!rgb) return rgb.error();
  return dicom::write_heatmap_sc(out_path, content.value(), rgb.value());
}

}  // namespace cxr::core
