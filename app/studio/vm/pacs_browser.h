// vm/pacs_browser.h — query/retrieve of chest X-ray studies from a PACS node, for the studio's
// Query/retrieve dialog (QtCore only; the dialog is a thin layer over it, 3D Slicer style).
//
// query(): C-FIND at study level for CR/DX studies, optionally by study date; retrieve(): C-GET of one
// study into <storage>/retrieved/<StudyInstanceUID>/. Both run on the thread pool and answer with a
// signal on the owner's thread; one operation at a time.
// Thread-safety: UI thread only.
#pragma once

#include "cxr/dicom/net.h"
#include "vm/settings.h"

#include <QObject>
#include <QString>
#include <QVector>

namespace cxr::studio {

struct StudyRow {
  QString date;        // as displayed (format_dicom_date), "" when the PACS gave none
  QString modalities;  // ModalitiesInStudy, e.g. "CR\\DX"
  int images = -1;     // NumberOfStudyRelatedInstances, -1 when the PACS did not say
  QString study_instance_uid;
};

// The SCU options for a configured node: our AE title as calling AE, and TLS with the workstation's
// files when the node has tls (the server's certificate must chain to tls_trusted).
cxr::dicom::net::ScuOptions scu_options(const PacsNode& node, const LocalIdentity& me);

class PacsBrowser : public QObject {
  Q_OBJECT
 public:
  explicit PacsBrowser(QObject* parent = nullptr);

  // "" when `text` is a valid study-date filter, else why not (translated): empty (any date),
  // YYYYMMDD, YYYYMMDD-, -YYYYMMDD or YYYYMMDD-YYYYMMDD, real calendar dates, start <= end.
  static QString validateDateFilter(const QString& text);

  // Start a C-FIND / C-GET. false when nothing was started (busy, invalid node or date filter); an
  // invalid node, date or TLS identity also emits failed() with the reason.
  bool query(const PacsNode& node, const LocalIdentity& me, const QString& date_filter);
  bool retrieve(const PacsNode& node, const LocalIdentity& me, const QString& study_instance_uid,
                const QString& storage_dir);
  bool busy() const { return busy_; }

 signals:
  void studiesFound(const QVector<cxr::studio::StudyRow>& studies);
  void retrieved(const QString& folder, int images);
  void failed(const QString& message);

 private:
  bool start(const PacsNode& node, const LocalIdentity& me);
  bool busy_ = false;
};

}  // namespace cxr::studio
