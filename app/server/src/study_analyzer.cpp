// The two analysis engines behind StudyAnalyzer: the real one (cxr::core::Analyzer + SR writer) and
// "pipeline-check" (no model; an SR stating that no analysis was run, for commissioning routing).
#include "cxr/server/study_analyzer.h"

#include "cxr/core/analyzer.h"
#include "cxr/core/disclaimer.h"
#include "cxr/dicom/image.h"
#include "cxr/dicom/metadata.h"
#include "cxr/dicom/net.h"
#include "cxr/dicom/sr.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cxr::server {
namespace fs = std::filesystem;

namespace {

std::vector<StudyInstanceRef> analysable(const StudyInput& input, int& skipped) {
  std::vector<StudyInstanceRef> out;
  skipped = 0;
  for (const auto& i : input.instances) {
    if (cxr::dicom::net::is_analysable_class(i.sop_class_uid)) out.push_back(i);
    else ++skipped;
  }
  if (out.empty())
    throw Exception(ErrorCode::kUnsupported, "study " + input.study_instance_uid + ": no instance of an analysable class "
                                                 "(CR, DX, secondary capture) among " + std::to_string(input.instances.size()));
  return out;
}

cxr::dicom::SrSourceImage source_of(const StudyInstanceRef& ref, const std::string& series_uid) {
  return cxr::dicom::SrSourceImage{ref.path, ref.sop_class_uid, ref.sop_instance_uid, series_uid};
}

void check_status(const Status& s) {
  if (!s) throw Exception(s.error().code, s.error().message);
}

class PipelineCheckAnalyzer final : public StudyAnalyzer {
 public:
  std::string name() const override { return "pipeline-check"; }

  Result<StudyOutput> analyze(const StudyInput& input) const override {
    return capture([&] {
      StudyOutput out;
      auto images = analysable(input, out.instances_skipped);
      cxr::dicom::SrContent content;
      for (const auto& ref : images) {
        auto meta = cxr::dicom::read_metadata(ref.path);
        if (!meta) throw Exception(meta.error().code, meta.error().message);
        content.sources.push_back(source_of(ref, meta->series_instance_uid));
      }
      content.algorithm_name = "CXR Assist (pipeline check: no model was run)";
      content.algorithm_version = CXR_VERSION;
      content.disclaimer = std::string(cxr::core::kDisclaimer) +
                           " Pipeline check: no analysis was performed; this report only confirms DICOM routing.";
      content.series_description = "CXR Assist pipeline check (no analysis)";
      std::string sr = (fs::path(input.output_dir) / "sr.dcm").string();
      check_status(cxr::dicom::write_analysis_sr(sr, content));
      out.result_files.push_back(sr);
      out.instances_analysed = static_cast<int>(images.size());
      out.summary = "pipeline-check: no findings computed";
      return out;
    });
  }
};

class CoreStudyAnalyzer final : public StudyAnalyzer {
 public:
  explicit CoreStudyAnalyzer(std::shared_ptr<cxr::core::Analyzer> analyzer, bool heatmaps)
      : analyzer_(std::move(analyzer)), heatmaps_(heatmaps) {}

  std::string name() const override { return "core"; }

  Result<StudyOutput> analyze(const StudyInput& input) const override {
    return capture([&] {
      StudyOutput out;
      auto images = analysable(input, out.instances_skipped);
      std::string notes = study_notes(input);
      std::vector<cxr::core::BatchItem> items;
      for (const auto& ref : images) items.push_back({ref.path, notes});
      auto results = analyzer_->analyze_batch(items);
      std::vector<cxr::core::InstanceResult> ok;
      std::string first_error;
      for (auto& r : results) {
        if (r.ok()) ok.push_back(std::move(r));
        else if (first_error.empty()) first_error = r.error;
      }
      if (ok.empty()) throw Exception(ErrorCode::kCorruptData, "no instance could be analysed: " + first_error);
      auto studies = cxr::core::Analyzer::aggregate(ok);
      const cxr::core::StudyResult* study = studies.empty() ? nullptr : &studies.front();
      for (const auto& s : studies)
        if (s.study_instance_uid == input.study_instance_uid) study = &s;
      if (!study) throw Exception(ErrorCode::kInternal, "aggregation returned no study");

      cxr::dicom::SrContent content = sr_content(ok, *study);
      std::string sr = (fs::path(input.output_dir) / "sr.dcm").string();
      check_status(cxr::dicom::write_analysis_sr(sr, content));
      out.result_files.push_back(sr);
      if (heatmaps_) write_heatmaps(ok, content, input.output_dir, out.result_files);
      out.instances_analysed = static_cast<int>(ok.size());
      for (const auto& f : study->findings)
        if (f.decision == "positive") out.summary += (out.summary.empty() ? "" : ",") + f.id;
      out.summary = "positive: [" + out.summary + "]";
      return out;
    });
  }

 private:
  cxr::dicom::SrContent sr_content(const std::vector<cxr::core::InstanceResult>& ok,
                                   const cxr::core::StudyResult& study) const {
    const auto& prov = analyzer_->provenance();
    cxr::dicom::SrContent c;
    for (const auto& r : ok)
      c.sources.push_back({r.path, r.meta.sop_class_uid, r.meta.sop_instance_uid, r.meta.series_instance_uid});
    c.algorithm_name = prov.algorithm_name;
    c.algorithm_version = prov.version;
    c.model_hash = prov.model_hash;
    c.prompt_set_hash = prov.prompt_set_hash;
    c.site_library_hash = prov.site_library_hash;
    c.disclaimer = cxr::core::kDisclaimer;
    for (const auto& f : study.findings) {
      cxr::dicom::SrFinding s{f.id, f.code_scheme, f.code_value, f.code_meaning, f.probability, f.decision, f.threshold, {}};
      for (const auto& e : f.evidence) s.evidence.push_back(e.sentence);
      c.findings.push_back(std::move(s));
    }
    return c;
  }

  // One Secondary Capture per positive finding that has a heatmap, on the study's first instance.
  void write_heatmaps(const std::vector<cxr::core::InstanceResult>& ok, const cxr::dicom::SrContent& content,
                      const std::string& dir, std::vector<std::string>& files) const {
    const auto& first = ok.front();
    auto loaded = cxr::dicom::load_image(first.path);
    if (!loaded) throw Exception(loaded.error().code, loaded.error().message);
    int number = 2;
    for (const auto& f : first.findings) {
      if (f.decision != "positive" || f.heatmap_grid <= 0) continue;
      cxr::dicom::HeatmapOverlay overlay;
      overlay.values = f.heatmap;
      overlay.grid = f.heatmap_grid;
      overlay.box_x0 = first.content_box.x0;
      overlay.box_y0 = first.content_box.y0;
      overlay.box_x1 = first.content_box.x1;
      overlay.box_y1 = first.content_box.y1;
      std::ostringstream label;
      label.precision(2);
      label << std::fixed << f.name_en << " " << f.probability << " - decision support";
      overlay.label = label.str();
      auto burned = cxr::dicom::burn_heatmap(loaded->image, overlay);
      if (!burned) throw Exception(burned.error().code, burned.error().message);
      cxr::dicom::SrContent sc = content;
      sc.series_description = "CXR Assist heatmap " + f.id + " (decision support)";
      sc.series_number = 9902;
      sc.instance_number = number++;
      std::string path = (fs::path(dir) / ("heatmap-" + f.id + ".dcm")).string();
      check_status(cxr::dicom::write_heatmap_sc(path, sc, *burned));
      files.push_back(path);
    }
  }

  std::shared_ptr<cxr::core::Analyzer> analyzer_;
  bool heatmaps_;
};

}  // namespace

std::string study_notes(const StudyInput& input) {
  std::string notes = input.sidecar_notes;
  for (const auto& ref : input.instances) {
    auto meta = cxr::dicom::read_metadata(ref.path);
    if (meta && !meta->clinical_text.empty()) {
      if (!notes.empty()) notes += "\n";
      notes += meta->clinical_text;
      break;  // study-level attributes: the first instance that carries them is enough
    }
  }
  return notes;
}

Result<std::unique_ptr<StudyAnalyzer>> make_study_analyzer(const AnalysisConfig& config) {
  if (config.engine == "pipeline-check") return std::unique_ptr<StudyAnalyzer>(std::make_unique<PipelineCheckAnalyzer>());
  if (config.engine != "core")
    return make_error(ErrorCode::kInvalidArgument, "analysis.engine '" + config.engine + "' is unknown; use core or pipeline-check");
  cxr::core::AnalyzerOptions options;
  options.model_dir = config.model_dir;
  options.prompts_path = config.prompts;
  options.site_library = config.site_library;
  options.findings = config.findings;
  options.backend = config.backend;
  options.precision = config.precision;
  options.threads = config.threads;
  options.heatmaps = config.heatmaps;
  auto analyzer = cxr::core::Analyzer::create(options);
  if (!analyzer) return analyzer.error();
  return std::unique_ptr<StudyAnalyzer>(std::make_unique<CoreStudyAnalyzer>(*analyzer, config.heatmaps));
}

}  // namespace cxr::server
