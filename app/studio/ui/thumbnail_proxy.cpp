#include "ui/thumbnail_proxy.h"

#include "vm/study_list_model.h"

#include <QImage>

namespace cxr::studio {

QVariant ThumbnailProxyModel::data(const QModelIndex& index, int role) const {
  if (role != Qt::DecorationRole) return QIdentityProxyModel::data(index, role);
  const QString key = QIdentityProxyModel::data(index, StudyListModel::SeriesKeyRole).toString();
  if (key.isEmpty()) return {};
  const QByteArray gray = QIdentityProxyModel::data(index, StudyListModel::ThumbnailRole).toByteArray();
  const QSize size = QIdentityProxyModel::data(index, StudyListModel::ThumbnailSizeRole).toSize();
  if (gray.isEmpty() || size.isEmpty() || gray.size() < size.width() * size.height()) return {};
  auto it = cache_.find(key);
  if (it == cache_.end() || it->size() != size) {
    QImage img(reinterpret_cast<const uchar*>(gray.constData()), size.width(), size.height(), size.width(),
               QImage::Format_Grayscale8);
    it = cache_.insert(key, QPixmap::fromImage(img.copy()));
  }
  return *it;
}

}  // namespace cxr::studio
