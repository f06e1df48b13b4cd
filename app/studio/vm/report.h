// vm/report.h — the printable report and the DICOM SR content of one analysis (QtCore only).
// Every report carries the decision-support disclaimer (cxr/core/disclaimer.h), in English and, when
// the UI language is Korean, also in Korean.
#pragma once

#include "cxr/core/analyzer.h"
#include "cxr/dicom/sr.h"

#include <QString>

namespace cxr::studio {

struct ReportInput {
  cxr::core::InstanceResult result;
  cxr::core::Provenance provenance;
  QString notes;             // the physician's notes as analysed
  QString language = QStringLiteral("en");
  QString generated_at;      // ISO 8601 local time
  QString image_url;         // resource name of the key image in the document ("" = none)
  QString heatmap_finding;   // display name of the finding whose heatmap the key image shows
};

// Self-contained HTML (QTextDocument subset): patient/study header, key image, findings table with
// probability, operating point and decision, note evidence, provenance, disclaimer.
QString report_html(const ReportInput& input);

// The disclaimer lines for a language (English always first).
QStringList disclaimer_lines(const QString& language);

// SR content for cxr::dicom::write_analysis_sr / write_heatmap_sc from one analysed instance.
cxr::dicom::SrContent sr_content(const cxr::core::InstanceResult& result, const cxr::core::Provenance& provenance);

}  // namespace cxr::studio
