// vm/teach_set.h — the studies a radiologist marked positive/negative per finding, waiting to be
// taught into the site library (QtCore only). Persisted as JSON next to the library:
//   {"version": 1, "findings": {"<id>": {"positives": [paths], "negatives": [paths]}}}
// UI thread only.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

namespace cxr::studio {

class TeachSet {
 public:
  enum class Label { kNone, kPositive, kNegative };

  // Marks path for finding (kNone removes it); a path is never both positive and negative.
  void mark(const QString& finding, const QString& path, Label label);
  Label label(const QString& finding, const QString& path) const;
  QStringList positives(const QString& finding) const;
  QStringList negatives(const QString& finding) const;
  QStringList findings() const;  // findings with at least one example
  // Teaching needs at least one example of each label.
  bool readyToTeach(const QString& finding) const;

  // "" on success, else a message naming the file and the cause.
  QString load(const QString& json_path);  // a missing file gives an empty set (no error)
  QString save(const QString& json_path) const;
  // "<library>.examples.json"
  static QString pathForLibrary(const QString& library_path);

 private:
  struct Examples {
    QStringList positives, negatives;
  };
  QMap<QString, Examples> by_finding_;
};

}  // namespace cxr::studio
