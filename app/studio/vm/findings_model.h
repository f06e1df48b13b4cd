// vm/findings_model.h — the findings list of the current analysis (QtCore only).
//
// One row per finding, sorted by probability (highest first). Names follow the UI language
// (Korean names from the prompt set when the language is "ko"). Owned by the UI thread.
#pragma once

#include "cxr/core/analyzer.h"

#include <QAbstractListModel>
#include <QString>
#include <QStringList>

#include <vector>

namespace cxr::studio {

class FindingsListModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role {
    IdRole = Qt::UserRole + 1,  // QString prompt-set id
    NameRole,                   // QString display name (UI language)
    ProbabilityRole,            // double 0..1
    ThresholdRole,              // double: the operating point's threshold
    DecisionRole,               // QString "positive" | "negative" | "indeterminate"
    AboveOperatingPointRole,    // bool: probability >= threshold
    EvidenceRole,               // QStringList: "+0.80  sentence" lines, strongest first
    ValidatedRole,              // bool
    SiteAdaptedRole,            // bool
    HasHeatmapRole,             // bool
  };

  explicit FindingsListModel(QObject* parent = nullptr);

  void setResult(const cxr::core::InstanceResult& result);
  void clear();
  void setLanguage(const QString& language);  // "en" | "ko": re-labels the rows

  const cxr::core::InstanceResult& result() const { return result_; }
  // The finding of a row (nullptr when out of range).
  const cxr::core::FindingResult* finding(int row) const;
  int rowOf(const QString& id) const;  // -1 when absent
  QString displayName(const cxr::core::FindingResult& f) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  cxr::core::InstanceResult result_;
  std::vector<size_t> order_;  // rows -> result_.findings index
  QString language_ = QStringLiteral("en");
};

// "+0.80" / "−1.20" in log-odds units, then the sentence; negated sentences are marked.
QString format_evidence(const cxr::core::NoteEvidence& e);

}  // namespace cxr::studio
