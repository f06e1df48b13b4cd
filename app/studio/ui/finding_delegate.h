// ui/finding_delegate.h — paints one finding row: name, probability, a probability bar with the
// operating point's threshold marked, and a flag when the probability is above the operating point.
#pragma once

#include <QStyledItemDelegate>

namespace cxr::studio {

class FindingDelegate : public QStyledItemDelegate {
  Q_OBJECT
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace cxr::studio
