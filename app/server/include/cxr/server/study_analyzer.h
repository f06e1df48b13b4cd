// cxr/server/study_analyzer.h — what the node asks of an analysis engine: one complete study in,
// result DICOM files (SR, optional heatmap Secondary Captures) out, all in the source study.
// Keeping the node behind this small interface lets the DICOM routing be tested without a model
// ("pipeline-check") and with the real one (cxr::core::Analyzer) by configuration.
#pragma once

#include "cxr/result.h"
#include "cxr/server/config.h"

#include <memory>
#include <string>
#include <vector>

namespace cxr::server {

struct StudyInstanceRef {
  std::string path, sop_class_uid, sop_instance_uid;
};

struct StudyInput {
  std::string study_instance_uid;
  std::vector<StudyInstanceRef> instances;  // every received instance of the study
  std::string sidecar_notes;                // <notes_dir>/<uid>.txt content ("" = none)
  std::string output_dir;                   // where result files go (exists, durable after return)
};

struct StudyOutput {
  std::vector<std::string> result_files;  // SR first, then heatmap Secondary Captures
  int instances_analysed = 0;
  int instances_skipped = 0;   // classes the analysis does not handle (policy: is_analysable_class)
  std::string summary;         // one line for logs: finding ids and decisions, no patient data
};

// Thread-safety: analyze() may be called from several worker threads at once.
class StudyAnalyzer {
 public:
  virtual ~StudyAnalyzer() = default;
  virtual std::string name() const = 0;
  // kUnsupported when the study has no analysable instance; other errors name the file.
  virtual Result<StudyOutput> analyze(const StudyInput& input) const = 0;
};

// Builds the engine named by config.engine ("core" loads the model now: errors name the model dir).
Result<std::unique_ptr<StudyAnalyzer>> make_study_analyzer(const AnalysisConfig& config);

// Study notes = sidecar text, then the clinical text of the study's DICOM header (Reason for
// Requested Procedure, Requested Procedure Description, Study Comments, Additional Patient History).
std::string study_notes(const StudyInput& input);

}  // namespace cxr::server
