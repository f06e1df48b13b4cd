// cxr/core/results_io.h — analysis results as JSON / CSV / text (the `cxr analyze` formats; also
// used by the PACS node for its status files and by the studio for export). Patient names and IDs
// are never written: instances are identified by path and DICOM UIDs.
// Thread-safety: pure functions.
#pragma once

#include "cxr/core/analyzer.h"
#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::core {

// The whole JSON document: {"disclaimer", "provenance", "instances": [...], "studies": [...]}.
// Heatmaps are left out unless with_heatmaps (they are large).
std::string results_to_json(const std::vector<InstanceResult>& instances, const std::vector<StudyResult>& studies,
                            const Provenance& provenance, bool with_heatmaps = false);

// Reads the "instances" of a document written by results_to_json (for resuming a run).
// Metadata is restored only as far as it was written (UIDs, view, is_dicom).
Result<std::vector<InstanceResult>> instances_from_json(const std::string& json_text, const std::string& source);

// CSV: one row per instance and finding.
// Columns: path,study_instance_uid,sop_instance_uid,finding,probability,decision
std::string csv_header_line();
std::string csv_rows(const InstanceResult& instance);

// Human-readable report of one instance (a few lines per finding, evidence indented).
std::string text_report(const InstanceResult& instance, bool korean_names = false);

}  // namespace cxr::core
