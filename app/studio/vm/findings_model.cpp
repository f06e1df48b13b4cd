#include "vm/findings_model.h"

#include <QCoreApplication>

#include <algorithm>

namespace cxr::studio {
namespace {
}  // namespace

QString format_evidence(const cxr::core::NoteEvidence& e) {
  const QString sign = e.delta_logit >= 0 ? QStringLiteral("+") : QStringLiteral("\u2212");
  QString line = sign + QString::number(std::abs(e.delta_logit), 'f', 2) + QStringLiteral("  ") +
                 QString::fromStdString(e.sentence).simplified();
  if (e.negated) line += QStringLiteral("  ") + QCoreApplication::translate("cxr::studio::FindingsListModel", "(negated)");
  if (!e.competing.empty()) {
    line += QStringLiteral("  ") + QCoreApplication::translate("cxr::studio::FindingsListModel", "(names another diagnosis: %1)")
                                       .arg(QString::fromStdString(e.competing));
  }
  return line;
}

FindingsListModel::FindingsListModel(QObject* parent) : QAbstractListModel(parent) {}

void FindingsListModel::setResult(const cxr::core::InstanceResult& result) {
  beginResetModel();
  result_ = result;
  order_.resize(result_.findings.size());
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  std::stable_sort(order_.begin(), order_.end(), [this](size_t a, size_t b) {
    return result_.findings[a].probability > result_.findings[b].probability;
  });
  endResetModel();
}

void FindingsListModel::clear() { setResult({}); }

void FindingsListModel::setLanguage(const QString& language) {
  if (language == language_) return;
  language_ = language;
  if (!order_.empty()) emit dataChanged(index(0), index(rowCount() - 1));
}

const cxr::core::FindingResult* FindingsListModel::finding(int row) const {
  if (row < 0 || row >= rowCount()) return nullptr;
  return &result_.findings[order_[static_cast<size_t>(row)]];
}

int FindingsListModel::rowOf(const QString& id) const {
  for (int r = 0; r < rowCount(); ++r)
    if (QString::fromStdString(finding(r)->id) == id) return r;
  return -1;
}

QString FindingsListModel::displayName(const cxr::core::FindingResult& f) const {
  if (language_ == QLatin1String("ko") && !f.name_ko.empty()) return QString::fromStdString(f.name_ko);
  if (!f.name_en.empty()) return QString::fromStdString(f.name_en);
  return QString::fromStdString(f.id);
}

int FindingsListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(order_.size());
}

QVariant FindingsListModel::data(const QModelIndex& index, int role) const {
  const cxr::core::FindingResult* f = index.isValid() ? finding(index.row()) : nullptr;
  if (!f) return {};
  switch (role) {
    case Qt::DisplayRole:
      return QCoreApplication::translate("cxr::studio::FindingsListModel", "%1: %2%").arg(displayName(*f)).arg(f->probability * 100.0, 0, 'f', 0);
    case Qt::ToolTipRole: {
      QStringList lines{QCoreApplication::translate("cxr::studio::FindingsListModel", "Probability %1% (operating point %2%)")
                            .arg(f->probability * 100.0, 0, 'f', 1)
                            .arg(f->threshold * 100.0, 0, 'f', 0),
                        QCoreApplication::translate("cxr::studio::FindingsListModel", "Image evidence %1, notes evidence %2 (log-odds)")
                            .arg(f->image_logit, 0, 'f', 2)
                            .arg(f->notes_logit, 0, 'f', 2)};
      if (!f->validated) lines << QCoreApplication::translate("cxr::studio::FindingsListModel", "Not validated for this finding: interpret with care.");
      if (f->site_adapted) lines << QCoreApplication::translate("cxr::studio::FindingsListModel", "Scored by this site's taught adapter.");
      return lines.join(QLatin1Char('\n'));
    }
    case IdRole: return QString::fromStdString(f->id);
    case NameRole: return displayName(*f);
    case ProbabilityRole: return f->probability;
    case ThresholdRole: return f->threshold;
    case DecisionRole: return QString::fromStdString(f->decision);
    case AboveOperatingPointRole: return f->probability >= f->threshold;
    case EvidenceRole: {
      QStringList lines;
      for (const auto& e : f->evidence) lines << format_evidence(e);
      return lines;
    }
    case ValidatedRole: return f->validated;
    case SiteAdaptedRole: return f->site_adapted;
    case HasHeatmapRole: return f->heatmap_grid > 0 && !f->heatmap.empty();
    default: return {};
  }
}

QHash<int, QByteArray> FindingsListModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names[IdRole] = "id";
  names[NameRole] = "name";
  names[ProbabilityRole] = "probability";
  names[ThresholdRole] = "threshold";
  names[DecisionRole] = "decision";
  names[AboveOperatingPointRole] = "aboveOperatingPoint";
  names[EvidenceRole] = "evidence";
  names[ValidatedRole] = "validated";
  names[SiteAdaptedRole] = "siteAdapted";
  names[HasHeatmapRole] = "hasHeatmap";
  return names;
}

}  // namespace cxr::studio
