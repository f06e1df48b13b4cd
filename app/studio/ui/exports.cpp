#include "ui/exports.h"

#include "vm/pacs_browser.h"

#include "cxr/dicom/image.h"
#include "cxr/dicom/net.h"
#include "cxr/dicom/sr.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QPageSize>
#include <QTextDocument>
#include <QUrl>

namespace cxr::studio {
namespace {


// A file-name-safe stem from a UID (or the file name for non-DICOM sources).
QString safe_stem(const cxr::core::InstanceResult& r) {
  QString s = QString::fromStdString(r.meta.sop_instance_uid);
  if (s.isEmpty()) s = QFileInfo(QString::fromStdString(r.path)).completeBaseName();
  for (QChar& c : s)
    if (!c.isLetterOrNumber() && c != QLatin1Char('.') && c != QLatin1Char('-')) c = QLatin1Char('_');
  return s;
}

}  // namespace

QString write_report(const QString& path, const QString& format, const ReportInput& input, const QImage& key_image) {
  ReportInput in = input;
  QTextDocument doc;
  if (!key_image.isNull()) {
    in.image_url = QStringLiteral("cxr://key-image.png");
    doc.addResource(QTextDocument::ImageResource, QUrl(in.image_url), key_image);
  }
  doc.setHtml(report_html(in));
  if (format == QLatin1String("pdf")) {
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(300);
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setTitle(QStringLiteral("CXR Assist report"));
    writer.setCreator(QStringLiteral("CXR Assist Studio"));
    doc.setPageSize(QSizeF(writer.width(), writer.height()));
    doc.setDefaultFont(QFont(QStringLiteral("Noto Sans CJK KR"), 10));
    QPainter painter;
    if (!painter.begin(&writer)) return QCoreApplication::translate("cxr::studio::Exports", "%1: cannot write the PDF (check the folder exists and is writable).").arg(path);
    painter.end();
    doc.print(&writer);
    if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0)
      return QCoreApplication::translate("cxr::studio::Exports", "%1: the PDF could not be written (check the folder is writable).").arg(path);
    return {};
  }
  // PNG: the report page rendered at ~150 dpi on A4 width.
  const int page_width = 1240;
  doc.setDefaultFont(QFont(QStringLiteral("Noto Sans CJK KR"), 11));
  doc.setTextWidth(page_width - 120);
  QImage page(page_width, static_cast<int>(doc.size().height()) + 120, QImage::Format_RGB32);
  page.fill(Qt::white);
  {
    QPainter p(&page);
    p.setRenderHint(QPainter::Antialiasing);
    p.translate(60, 60);
    doc.drawContents(&p);
  }
  if (!page.save(path, "PNG")) return QCoreApplication::translate("cxr::studio::Exports", "%1: cannot write the PNG (check the folder exists and is writable).").arg(path);
  return {};
}

DicomExport write_dicom_exports(const QString& dir, const cxr::core::InstanceResult& result,
                                const cxr::core::Provenance& provenance, const cxr::core::FindingResult* finding,
                                const QString& finding_name) {
  DicomExport out;
  if (!QDir().mkpath(dir)) return {{}, QCoreApplication::translate("cxr::studio::Exports", "%1: cannot create the folder.").arg(dir)};
  const cxr::dicom::SrContent content = sr_content(result, provenance);
  const QString stem = safe_stem(result);
  const QString sr_path = QDir(dir).filePath(QStringLiteral("CXR_SR_%1.dcm").arg(stem));
  if (auto s = cxr::dicom::write_analysis_sr(sr_path.toStdString(), content); !s)
    return {{}, QString::fromStdString(s.error().message)};
  out.files << sr_path;
  if (!finding || finding->heatmap_grid <= 0) return out;
  auto image = cxr::dicom::load_image(result.path);
  if (!image) return {out.files, QString::fromStdString(image.error().message)};
  cxr::dicom::HeatmapOverlay overlay;
  overlay.values = finding->heatmap;
  overlay.grid = finding->heatmap_grid;
  overlay.box_x0 = result.content_box.x0;
  overlay.box_y0 = result.content_box.y0;
  overlay.box_x1 = result.content_box.x1;
  overlay.box_y1 = result.content_box.y1;
  // Burned-in text is ASCII-safe English: DICOM viewers may lack CJK fonts.
  overlay.label = QStringLiteral("%1 %2 - decision support, not a diagnosis")
                      .arg(QString::fromStdString(finding->name_en.empty() ? finding->id : finding->name_en))
                      .arg(finding->probability, 0, 'f', 2)
                      .toStdString();
  Q_UNUSED(finding_name);
  auto burned = cxr::dicom::burn_heatmap(image->image, overlay);
  if (!burned) return {out.files, QString::fromStdString(burned.error().message)};
  const QString sc_path = QDir(dir).filePath(QStringLiteral("CXR_SC_%1.dcm").arg(stem));
  if (auto s = cxr::dicom::write_heatmap_sc(sc_path.toStdString(), content, *burned); !s)
    return {out.files, QString::fromStdString(s.error().message)};
  out.files << sc_path;
  return out;
}

QString send_files(const PacsNode& node, const LocalIdentity& me, const QStringList& files) {
  if (const QString e = validate_tls_identity(node, me); !e.isEmpty()) return e;
  const cxr::dicom::net::ScuOptions options = scu_options(node, me);
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.toStdString());
  const auto status = cxr::dicom::net::store_files(options, paths);
  return status ? QString() : QString::fromStdString(status.error().message);
}

}  // namespace cxr::studio
