// cxr/core/report.h — analysis results as files: DICOM SR per study, heatmap PNG overlays and
// heatmap Secondary Captures (shared by `cxr analyze`, the PACS node and the studio).
// Every output carries the decision-support disclaimer (cxr/core/disclaimer.h).
// Thread-safety: reentrant.
#pragma once

#include "cxr/core/analyzer.h"
#include "cxr/dicom/sr.h"
#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::core {

// SR content for one study: its successful DICOM instances as sources, the aggregated findings.
// Error when the study has no DICOM instance (an SR needs SOP UIDs to reference).
Result<dicom::SrContent> make_sr_content(const StudyResult& study, const std::vector<InstanceResult>& instances,
                                         const Provenance& provenance);

Status write_study_sr(const std::string& out_path, const StudyResult& study,
                      const std::vector<InstanceResult>& instances, const Provenance& provenance);

// The image of `instance` (reloaded from its path) with `finding`'s heatmap burned in, captioned
// "<name> <probability> - decision support". Error if the finding has no heatmap.
Result<dicom::ImageRgb8> render_heatmap(const InstanceResult& instance, const FindingResult& finding);
Status write_heatmap_png(const std::string& out_path, const InstanceResult& instance, const FindingResult& finding);
// Same image as a Secondary Capture in the instance's study (DICOM instances only).
Status write_heatmap_secondary_capture(const std::string& out_path, const InstanceResult& instance,
                                       const FindingResult& finding, const Provenance& provenance);

}  // namespace cxr::core
