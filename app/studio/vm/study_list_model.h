// vm/study_list_model.h — the study browser's tree: patients -> studies -> series (QtCore only).
//
// Records come from scan_inputs() (files, folders, DICOMDIR media, PACS retrieves), which runs on a
// worker thread; the model itself lives on the UI thread and is not thread-safe. Thumbnails are raw
// 8-bit gray bytes (ThumbnailRole + ThumbnailSizeRole) so this layer needs no QtGui: the widget layer
// turns them into icons.
#pragma once

#include <QAbstractItemModel>
#include <QByteArray>
#include <QSize>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace cxr::dicom {
struct Metadata;
}

namespace cxr::studio {

// One image file as the browser knows it (header only; pixels are loaded by the viewer).
struct ImageRecord {
  QString path;
  QString patient_name, patient_id, patient_age, patient_sex;  // identifiers: UI only, never logged
  QString study_uid, study_date, study_description;
  QString series_uid, modality, view_position, body_part;
  QString sop_uid;
  int rows = 0, columns = 0, frames = 1;
  bool is_dicom = true;
};

// Builds a record from a header; PNG/JPEG files get a study and series of their own, keyed by path.
ImageRecord record_from_metadata(const QString& path, const cxr::dicom::Metadata& meta);

// "DOE^JANE^^DR" -> "DOE, JANE DR"; empty stays empty.
QString format_person_name(const QString& dicom_name);
// "20200131" -> "2020-01-31"; anything else is returned unchanged.
QString format_dicom_date(const QString& dicom_date);

struct ScanResult {
  std::vector<ImageRecord> records;
  QStringList notes;  // one line per skipped/unreadable file: "<path>: <why>" (no patient data)
};

// Expands paths (files, folders, DICOMDIR) and reads every header. Blocking; call on a worker
// thread. cancel (may be null) is polled between files. Unreadable files become notes, not errors;
// a path that does not exist is a note too.
ScanResult scan_inputs(const QStringList& paths, const std::atomic_bool* cancel = nullptr);

class StudyListModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum class Kind { kPatient, kStudy, kSeries };
  enum Role {
    KindRole = Qt::UserRole + 1,  // int(Kind)
    ImagePathsRole,               // QStringList: the node's image files, in browse order
    FirstPathRole,                // QString
    StudyUidRole,                 // QString (study and series nodes)
    SeriesKeyRole,                // QString (series nodes): stable key for thumbnails
    ThumbnailRole,                // QByteArray of 8-bit gray pixels (series nodes; empty until loaded)
    ThumbnailSizeRole,            // QSize of the thumbnail
  };

  explicit StudyListModel(QObject* parent = nullptr);
  ~StudyListModel() override;

  // Merges records; a path already present is skipped. Files are kept apart even when they share a
  // SOP Instance UID (an edited copy is a different file the reader may want to compare).
  // Returns the number of images added.
  int addRecords(const std::vector<ImageRecord>& records);
  void clear();

  int imageCount() const;
  int studyCount() const;

  // Series index holding path (invalid when absent).
  QModelIndex seriesIndexForPath(const QString& path) const;
  // All series, in tree order (patients by name, studies newest first, series by arrival).
  QList<QModelIndex> allSeries() const;
  // The first series of the study delta studies away from the one holding `from` (wraps around);
  // invalid when the model is empty.
  QModelIndex neighbourStudySeries(const QModelIndex& from, int delta) const;
  const ImageRecord* recordForPath(const QString& path) const;

  void setThumbnail(const QString& series_key, const QByteArray& gray, QSize size);

  // QAbstractItemModel
  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Node;
  Node* nodeFor(const QModelIndex& index) const;
  QModelIndex indexFor(const Node* node) const;
  Node* findOrInsertChild(Node* parent, int kind, const QString& key, const ImageRecord& record);
  QString displayText(const Node& node) const;
  QString toolTip(const Node& node) const;

  std::unique_ptr<Node> root_;
  std::vector<ImageRecord> records_;
};

}  // namespace cxr::studio
