#include "vm/teach_set.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace cxr::studio {
namespace {
QStringList to_list(const QJsonValue& v) {
  QStringList out;
  for (const auto& x : v.toArray())
    if (x.isString() && !x.toString().isEmpty()) out << x.toString();
  return out;
}
}  // namespace

void TeachSet::mark(const QString& finding, const QString& path, Label label) {
  Examples& e = by_finding_[finding];
  e.positives.removeAll(path);
  e.negatives.removeAll(path);
  if (label == Label::kPositive) e.positives << path;
  if (label == Label::kNegative) e.negatives << path;
  if (e.positives.isEmpty() && e.negatives.isEmpty()) by_finding_.remove(finding);
}

TeachSet::Label TeachSet::label(const QString& finding, const QString& path) const {
  const auto it = by_finding_.find(finding);
  if (it == by_finding_.end()) return Label::kNone;
  if (it->positives.contains(path)) return Label::kPositive;
  if (it->negatives.contains(path)) return Label::kNegative;
  return Label::kNone;
}

QStringList TeachSet::positives(const QString& finding) const { return by_finding_.value(finding).positives; }
QStringList TeachSet::negatives(const QString& finding) const { return by_finding_.value(finding).negatives; }
QStringList TeachSet::findings() const { return by_finding_.keys(); }

bool TeachSet::readyToTeach(const QString& finding) const {
  return !positives(finding).isEmpty() && !negatives(finding).isEmpty();
}

QString TeachSet::load(const QString& json_path) {
  by_finding_.clear();
  QFile file(json_path);
  if (!file.exists()) return {};
  if (!file.open(QIODevice::ReadOnly)) return QCoreApplication::translate("cxr::studio::TeachSet", "%1: cannot be read (%2).").arg(json_path, file.errorString());
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
  if (doc.isNull() || !doc.isObject())
    return QCoreApplication::translate("cxr::studio::TeachSet", "%1: not valid JSON (%2); fix or delete the file.").arg(json_path, error.errorString());
  const QJsonObject findings = doc.object().value(QStringLiteral("findings")).toObject();
  for (auto it = findings.begin(); it != findings.end(); ++it) {
    const QJsonObject o = it.value().toObject();
    for (const auto& p : to_list(o.value(QStringLiteral("positives")))) mark(it.key(), p, Label::kPositive);
    for (const auto& p : to_list(o.value(QStringLiteral("negatives")))) mark(it.key(), p, Label::kNegative);
  }
  return {};
}

QString TeachSet::save(const QString& json_path) const {
  QJsonObject findings;
  for (auto it = by_finding_.begin(); it != by_finding_.end(); ++it)
    findings.insert(it.key(), QJsonObject{{QStringLiteral("positives"), QJsonArray::fromStringList(it->positives)},
                                          {QStringLiteral("negatives"), QJsonArray::fromStringList(it->negatives)}});
  QSaveFile file(json_path);  // atomic replace
  if (!file.open(QIODevice::WriteOnly)) return QCoreApplication::translate("cxr::studio::TeachSet", "%1: cannot be written (%2).").arg(json_path, file.errorString());
  file.write(QJsonDocument(QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("findings"), findings}}).toJson());
  if (!file.commit()) return QCoreApplication::translate("cxr::studio::TeachSet", "%1: cannot be written (%2).").arg(json_path, file.errorString());
  return {};
}

QString TeachSet::pathForLibrary(const QString& library_path) { return library_path + QStringLiteral(".examples.json"); }

}  // namespace cxr::studio
