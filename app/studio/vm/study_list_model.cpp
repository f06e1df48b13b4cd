#include "vm/study_list_model.h"

#include "cxr/dicom/inputs.h"
#include "cxr/dicom/metadata.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace cxr::studio {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

struct StudyListModel::Node {
  Kind kind = Kind::kPatient;
  QString key;             // patient: name+ID; study: Study Instance UID; series: study+series UID
  QString sort_key;        // patients ascending, studies descending (date), series by arrival
  Node* parent = nullptr;
  std::vector<std::unique_ptr<Node>> children;
  std::vector<size_t> images;  // series only: indices into records_
  size_t first_record = 0;     // a record describing this node (for labels)
  QByteArray thumbnail;
  QSize thumbnail_size;

  int row() const {
    if (!parent) return 0;
    for (size_t i = 0; i < parent->children.size(); ++i)
      if (parent->children[i].get() == this) return static_cast<int>(i);
    return 0;
  }
};

ImageRecord record_from_metadata(const QString& path, const cxr::dicom::Metadata& meta) {
  ImageRecord r;
  r.path = path;
  r.is_dicom = meta.is_dicom;
  r.rows = meta.rows;
  r.columns = meta.columns;
  r.frames = meta.frames;
  if (!meta.is_dicom) {  // PNG/JPEG: one study and one series per file, under "Image files"
    r.study_uid = QStringLiteral("file:") + path;
    r.series_uid = r.study_uid;
    r.study_description = QFileInfo(path).fileName();
    r.modality = QStringLiteral("OT");
    return r;
  }
  r.patient_name = format_person_name(qs(meta.patient_name));
  r.patient_id = qs(meta.patient_id);
  r.patient_age = qs(meta.patient_age);
  r.patient_sex = qs(meta.patient_sex);
  r.study_uid = meta.study_instance_uid.empty() ? QStringLiteral("nostudy:") + path : qs(meta.study_instance_uid);
  r.study_date = qs(meta.study_date);
  r.study_description = qs(meta.study_description);
  r.series_uid = meta.series_instance_uid.empty() ? r.study_uid : qs(meta.series_instance_uid);
  r.modality = qs(meta.modality);
  r.view_position = qs(meta.view_position);
  r.body_part = qs(meta.body_part);
  r.sop_uid = qs(meta.sop_instance_uid);
  return r;
}

QString format_person_name(const QString& dicom_name) {
  // PS3.5 6.2 PN: family^given^middle^prefix^suffix, '=' separates alphabetic/ideographic groups.
  const QString first_group = dicom_name.section(QLatin1Char('='), 0, 0);
  QStringList parts = first_group.split(QLatin1Char('^'));
  for (auto& p : parts) p = p.trimmed();
  parts.removeAll(QString());
  if (parts.isEmpty()) return dicom_name.trimmed();
  if (parts.size() == 1) return parts.front();
  const QString family = parts.takeFirst();
  return family + QStringLiteral(", ") + parts.join(QLatin1Char(' '));
}

QString format_dicom_date(const QString& d) {
  if (d.size() == 8 && std::all_of(d.begin(), d.end(), [](QChar c) { return c.isDigit(); }))
    return d.left(4) + QLatin1Char('-') + d.mid(4, 2) + QLatin1Char('-') + d.mid(6, 2);
  return d;
}

ScanResult scan_inputs(const QStringList& paths, const std::atomic_bool* cancel) {
  ScanResult result;
  std::vector<std::string> inputs;
  for (const auto& p : paths) {
    if (!QFileInfo::exists(p)) {
      result.notes << QCoreApplication::translate("cxr::studio::StudyListModel", "%1: not found; check the path").arg(p);
      continue;
    }
    inputs.push_back(p.toStdString());
  }
  if (inputs.empty()) return result;
  std::vector<std::string> notes;
  auto items = cxr::dicom::expand_inputs(inputs, &notes);
  for (const auto& n : notes) result.notes << qs(n);
  if (!items) {
    result.notes << qs(items.error().message);
    return result;
  }
  for (const auto& item : *items) {
    if (cancel && cancel->load()) break;
    auto meta = cxr::dicom::read_metadata(item.path);
    if (!meta) {
      result.notes << qs(meta.error().message);
      continue;
    }
    result.records.push_back(record_from_metadata(qs(item.path), *meta));
  }
  return result;
}

StudyListModel::StudyListModel(QObject* parent) : QAbstractItemModel(parent), root_(std::make_unique<Node>()) {}
StudyListModel::~StudyListModel() = default;

StudyListModel::Node* StudyListModel::nodeFor(const QModelIndex& index) const {
  return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_.get();
}

QModelIndex StudyListModel::indexFor(const Node* node) const {
  if (!node || node == root_.get()) return {};
  return createIndex(node->row(), 0, const_cast<Node*>(node));
}

StudyListModel::Node* StudyListModel::findOrInsertChild(Node* parent, int kind, const QString& key,
                                                        const ImageRecord& record) {
  for (auto& c : parent->children)
    if (c->key == key) return c.get();
  auto node = std::make_unique<Node>();
  node->kind = static_cast<Kind>(kind);
  node->key = key;
  node->parent = parent;
  node->first_record = records_.size() - 1;  // the record being added is always the last one
  size_t row = parent->children.size();
  if (node->kind == Kind::kPatient) {
    node->sort_key = (record.patient_name + QLatin1Char('\x1f') + record.patient_id).toCaseFolded();
    if (!record.is_dicom) node->sort_key = QStringLiteral("\xff");  // image files last
    row = std::upper_bound(parent->children.begin(), parent->children.end(), node->sort_key,
                           [](const QString& k, const auto& c) { return k < c->sort_key; }) -
          parent->children.begin();
  } else if (node->kind == Kind::kStudy) {
    node->sort_key = record.study_date;  // newest first
    row = std::upper_bound(parent->children.begin(), parent->children.end(), node->sort_key,
                           [](const QString& k, const auto& c) { return k > c->sort_key; }) -
          parent->children.begin();
  }
  const QModelIndex parent_index = indexFor(parent);
  beginInsertRows(parent_index, static_cast<int>(row), static_cast<int>(row));
  Node* raw = node.get();
  parent->children.insert(parent->children.begin() + static_cast<std::ptrdiff_t>(row), std::move(node));
  endInsertRows();
  return raw;
}

int StudyListModel::addRecords(const std::vector<ImageRecord>& records) {
  QSet<QString> known_paths;
  for (const auto& r : records_) known_paths.insert(r.path);
  int added = 0;
  for (const auto& r : records) {
    if (known_paths.contains(r.path)) continue;
    known_paths.insert(r.path);
    records_.push_back(r);
    const QString patient_key = r.is_dicom ? r.patient_name + QLatin1Char('\x1f') + r.patient_id : QStringLiteral("\x1f");
    Node* patient = findOrInsertChild(root_.get(), int(Kind::kPatient), patient_key, r);
    Node* study = findOrInsertChild(patient, int(Kind::kStudy), r.study_uid, r);
    Node* series = findOrInsertChild(study, int(Kind::kSeries), r.study_uid + QLatin1Char('|') + r.series_uid, r);
    series->images.push_back(records_.size() - 1);
    const QModelIndex si = indexFor(series);
    emit dataChanged(si, si);
    ++added;
  }
  return added;
}

void StudyListModel::clear() {
  beginResetModel();
  root_ = std::make_unique<Node>();
  records_.clear();
  endResetModel();
}

int StudyListModel::imageCount() const { return static_cast<int>(records_.size()); }

int StudyListModel::studyCount() const {
  int n = 0;
  for (const auto& p : root_->children) n += static_cast<int>(p->children.size());
  return n;
}

QList<QModelIndex> StudyListModel::allSeries() const {
  QList<QModelIndex> out;
  for (const auto& p : root_->children)
    for (const auto& s : p->children)
      for (const auto& se : s->children) out << indexFor(se.get());
  return out;
}

QModelIndex StudyListModel::seriesIndexForPath(const QString& path) const {
  for (const auto& p : root_->children)
    for (const auto& s : p->children)
      for (const auto& se : s->children)
        for (size_t i : se->images)
          if (records_[i].path == path) return indexFor(se.get());
  return {};
}

QModelIndex StudyListModel::neighbourStudySeries(const QModelIndex& from, int delta) const {
  std::vector<const Node*> studies;
  for (const auto& p : root_->children)
    for (const auto& s : p->children) studies.push_back(s.get());
  if (studies.empty()) return {};
  const Node* current = from.isValid() ? nodeFor(from) : nullptr;
  while (current && current->kind == Kind::kSeries) current = current->parent;
  if (current && current->kind == Kind::kPatient) current = current->children.empty() ? nullptr : current->children[0].get();
  const auto it = std::find(studies.begin(), studies.end(), current);
  const int n = static_cast<int>(studies.size());
  int pos = it == studies.end() ? (delta >= 0 ? -1 : 0) : static_cast<int>(it - studies.begin());
  pos = ((pos + delta) % n + n) % n;
  const Node* study = studies[static_cast<size_t>(pos)];
  return study->children.empty() ? QModelIndex() : indexFor(study->children.front().get());
}

const ImageRecord* StudyListModel::recordForPath(const QString& path) const {
  for (const auto& r : records_)
    if (r.path == path) return &r;
  return nullptr;
}

void StudyListModel::setThumbnail(const QString& series_key, const QByteArray& gray, QSize size) {
  for (const auto& p : root_->children)
    for (const auto& s : p->children)
      for (const auto& se : s->children)
        if (se->key == series_key) {
          se->thumbnail = gray;
          se->thumbnail_size = size;
          const QModelIndex i = indexFor(se.get());
          emit dataChanged(i, i, {ThumbnailRole, ThumbnailSizeRole, Qt::DecorationRole});
          return;
        }
}

QModelIndex StudyListModel::index(int row, int column, const QModelIndex& parent) const {
  const Node* p = nodeFor(parent);
  if (column != 0 || row < 0 || row >= static_cast<int>(p->children.size())) return {};
  return createIndex(row, 0, p->children[static_cast<size_t>(row)].get());
}

QModelIndex StudyListModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  return indexFor(nodeFor(child)->parent);
}

int StudyListModel::rowCount(const QModelIndex& parent) const {
  if (parent.column() > 0) return 0;
  return static_cast<int>(nodeFor(parent)->children.size());
}

int StudyListModel::columnCount(const QModelIndex&) const { return 1; }

QString StudyListModel::displayText(const Node& node) const {
  const ImageRecord& r = records_[node.first_record];
  switch (node.kind) {
    case Kind::kPatient:
      if (!r.is_dicom) return QCoreApplication::translate("cxr::studio::StudyListModel", "Image files");
      if (r.patient_name.isEmpty() && r.patient_id.isEmpty()) return QCoreApplication::translate("cxr::studio::StudyListModel", "(no patient name)");
      return r.patient_id.isEmpty() ? r.patient_name : QCoreApplication::translate("cxr::studio::StudyListModel", "%1 (ID %2)").arg(r.patient_name, r.patient_id);
    case Kind::kStudy: {
      QStringList parts;
      if (!r.study_date.isEmpty()) parts << format_dicom_date(r.study_date);
      if (!r.study_description.isEmpty()) parts << r.study_description;
      return parts.isEmpty() ? QCoreApplication::translate("cxr::studio::StudyListModel", "Study") : parts.join(QStringLiteral("  "));
    }
    case Kind::kSeries: {
      QStringList parts{r.modality.isEmpty() ? QStringLiteral("?") : r.modality};
      if (!r.view_position.isEmpty()) parts << r.view_position;
      if (!r.body_part.isEmpty()) parts << r.body_part;
      const int images = static_cast<int>(node.images.size());
      const QString label = QCoreApplication::translate("cxr::studio::StudyListModel", "%1 — %n image(s)", nullptr, images);
      return label.arg(parts.join(QLatin1Char(' ')));
    }
  }
  return {};
}

QString StudyListModel::toolTip(const Node& node) const {
  const ImageRecord& r = records_[node.first_record];
  if (node.kind == Kind::kSeries && !node.images.empty()) {
    const ImageRecord& first = records_[node.images.front()];
    return QCoreApplication::translate("cxr::studio::StudyListModel", "%1\n%2 × %3 pixels").arg(first.path).arg(first.columns).arg(first.rows);
  }
  if (node.kind == Kind::kPatient && r.is_dicom)
    return QCoreApplication::translate("cxr::studio::StudyListModel", "Sex: %1  Age: %2").arg(r.patient_sex.isEmpty() ? QStringLiteral("-") : r.patient_sex,
                                             r.patient_age.isEmpty() ? QStringLiteral("-") : r.patient_age);
  return {};
}

QVariant StudyListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node& node = *nodeFor(index);
  switch (role) {
    case Qt::DisplayRole: return displayText(node);
    case Qt::ToolTipRole: return toolTip(node);
    case KindRole: return static_cast<int>(node.kind);
    case StudyUidRole: return node.kind == Kind::kPatient ? QVariant() : QVariant(records_[node.first_record].study_uid);
    case SeriesKeyRole: return node.kind == Kind::kSeries ? QVariant(node.key) : QVariant();
    case ThumbnailRole: return node.thumbnail;
    case ThumbnailSizeRole: return node.thumbnail_size;
    case ImagePathsRole:
    case FirstPathRole: {
      QStringList paths;
      std::vector<const Node*> stack{&node};
      while (!stack.empty()) {  // depth-first, children in order
        const Node* n = stack.back();
        stack.pop_back();
        for (size_t i : n->images) paths << records_[i].path;
        for (auto it = n->children.rbegin(); it != n->children.rend(); ++it) stack.push_back(it->get());
      }
      if (role == FirstPathRole) return paths.isEmpty() ? QString() : paths.front();
      return paths;
    }
    default: return {};
  }
}

QVariant StudyListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole) return QCoreApplication::translate("cxr::studio::StudyListModel", "Patients / studies / series");
  return {};
}

}  // namespace cxr::studio
