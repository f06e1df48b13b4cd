// ui/thumbnail_proxy.h — decorates the study tree with thumbnail icons (QtGui side of
// StudyListModel::ThumbnailRole). UI thread only.
#pragma once

#include <QHash>
#include <QIdentityProxyModel>
#include <QPixmap>

namespace cxr::studio {

class ThumbnailProxyModel : public QIdentityProxyModel {
  Q_OBJECT
 public:
  using QIdentityProxyModel::QIdentityProxyModel;
  QVariant data(const QModelIndex& index, int role) const override;

 private:
  mutable QHash<QString, QPixmap> cache_;  // series key -> icon pixmap
};

}  // namespace cxr::studio
