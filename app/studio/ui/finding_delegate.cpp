#include "ui/finding_delegate.h"

#include "vm/findings_model.h"

#include <QApplication>
#include <QPainter>

namespace cxr::studio {

QSize FindingDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
  const QFontMetrics fm(option.font);
  return {240, fm.height() * 2 + 18};
}

void FindingDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  QStyleOptionViewItem opt(option);
  initStyleOption(&opt, index);
  opt.text.clear();
  QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);  // background/selection

  const QString name = index.data(FindingsListModel::NameRole).toString();
  const double prob = index.data(FindingsListModel::ProbabilityRole).toDouble();
  const double threshold = index.data(FindingsListModel::ThresholdRole).toDouble();
  const bool above = index.data(FindingsListModel::AboveOperatingPointRole).toBool();
  const bool validated = index.data(FindingsListModel::ValidatedRole).toBool();
  const bool adapted = index.data(FindingsListModel::SiteAdaptedRole).toBool();
  const bool selected = option.state & QStyle::State_Selected;

  p->save();
  const QRect r = option.rect.adjusted(8, 5, -8, -5);
  const QFontMetrics fm(option.font);
  QFont bold = option.font;
  bold.setBold(above);
  p->setFont(bold);
  const QColor text = selected ? option.palette.highlightedText().color() : option.palette.text().color();
  p->setPen(text);
  const QString percent = QStringLiteral("%1%").arg(prob * 100.0, 0, 'f', 0);
  QString label = name;
  if (!validated) label += QStringLiteral(" *");
  if (adapted) label += QStringLiteral(" \u2691");  // flag: site-taught adapter
  const int percent_width = fm.horizontalAdvance(QStringLiteral("100%")) + 8;
  const QRect name_rect(r.left(), r.top(), r.width() - percent_width, fm.height());
  p->drawText(name_rect, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(label, Qt::ElideRight, name_rect.width()));
  p->drawText(QRect(r.right() - percent_width, r.top(), percent_width, fm.height()), Qt::AlignRight | Qt::AlignVCenter, percent);

  // Probability bar with the operating-point tick.
  const QRect bar(r.left(), r.top() + fm.height() + 5, r.width(), std::max(8, fm.height() / 2));
  p->setPen(Qt::NoPen);
  // On the selection highlight the track is light so the (darker) fill stays visible.
  p->setBrush(selected ? QColor(255, 255, 255, 200) : QColor(90, 90, 90, 90));
  p->drawRoundedRect(bar, 3, 3);
  const QColor fill = above ? QColor(214, 96, 28) : (selected ? QColor(20, 60, 120) : QColor(64, 128, 200));
  p->setBrush(fill);
  p->drawRoundedRect(QRect(bar.left(), bar.top(), static_cast<int>(bar.width() * std::clamp(prob, 0.0, 1.0)), bar.height()), 3, 3);
  const int tick_x = bar.left() + static_cast<int>(bar.width() * std::clamp(threshold, 0.0, 1.0));
  p->setPen(QPen(text, 2));
  p->drawLine(tick_x, bar.top() - 3, tick_x, bar.bottom() + 3);
  p->restore();
}

}  // namespace cxr::studio
