// ui/exports.h — reports (PDF via QPdfWriter, PNG), DICOM SR + heatmap Secondary Capture, C-STORE.
// Every output carries the decision-support disclaimer. Functions are reentrant except write_report
// (QTextDocument: call on the UI thread).
#pragma once

#include "cxr/core/analyzer.h"
#include "vm/report.h"
#include "vm/settings.h"

#include <QImage>
#include <QString>
#include <QStringList>

namespace cxr::studio {

// format: "pdf" (A4, vector text) or "png" (rendered page, 150 dpi). key_image may be null.
// Returns "" or a message naming the file and the cause.
QString write_report(const QString& path, const QString& format, const ReportInput& input, const QImage& key_image);

struct DicomExport {
  QStringList files;  // written files: the SR, then the overlay (when a heatmap was available)
  QString error;
};

// Writes <dir>/CXR_SR_<SOPInstanceUID>.dcm and, when `finding` has a heatmap and the source is
// readable, <dir>/CXR_SC_<SOPInstanceUID>.dcm with the heatmap burned in.
DicomExport write_dicom_exports(const QString& dir, const cxr::core::InstanceResult& result,
                                const cxr::core::Provenance& provenance, const cxr::core::FindingResult* finding,
                                const QString& finding_name);

// C-STORE of files to node (one association). Blocking: call off the UI thread. "" on success.
QString send_files(const PacsNode& node, const LocalIdentity& me, const QStringList& files);

}  // namespace cxr::studio
