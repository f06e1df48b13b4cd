#include "vm/settings.h"

#include "cxr/model/siglip.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace cxr::studio {
namespace {


bool valid_ae_title(const QString& ae) {
  // PS3.5 6.2 AE: 1..16 characters, no backslash or control characters, not all spaces.
  if (ae.trimmed().isEmpty() || ae.size() > 16) return false;
  for (QChar c : ae)
    if (c == QLatin1Char('\\') || c.unicode() < 0x20 || c.unicode() > 0x7e) return false;
  return true;
}

}  // namespace

QString validate_pacs_node(const PacsNode& node) {
  if (node.name.trimmed().isEmpty()) return QCoreApplication::translate("cxr::studio::StudioSettings", "PACS node: the name is empty.");
  if (!valid_ae_title(node.ae_title))
    return QCoreApplication::translate("cxr::studio::StudioSettings", "PACS node %1: AE title \"%2\" must be 1-16 ASCII characters without backslash.").arg(node.name, node.ae_title);
  if (node.host.trimmed().isEmpty() || node.host.contains(QLatin1Char(' ')))
    return QCoreApplication::translate("cxr::studio::StudioSettings", "PACS node %1: the host name is empty or contains spaces.").arg(node.name);
  if (node.port < 1 || node.port > 65535) return QCoreApplication::translate("cxr::studio::StudioSettings", "PACS node %1: port %2 is outside 1-65535.").arg(node.name).arg(node.port);
  return {};
}

QString validate_tls_identity(const PacsNode& node, const LocalIdentity& identity) {
  if (!node.tls) return {};
  QStringList missing;
  const std::pair<QString, QString> files[] = {
      {QCoreApplication::translate("cxr::studio::StudioSettings", "certificate"), identity.tls_certificate},
      {QCoreApplication::translate("cxr::studio::StudioSettings", "private key"), identity.tls_private_key},
      {QCoreApplication::translate("cxr::studio::StudioSettings", "trusted CA certificates"), identity.tls_trusted}};
  for (const auto& [what, path] : files)
    if (path.trimmed().isEmpty() || !QFileInfo::exists(path.trimmed())) missing << what;
  if (missing.isEmpty()) return {};
  return QCoreApplication::translate("cxr::studio::StudioSettings",
                                     "PACS node %1 uses TLS, but the workstation's %2 is not set or not found: set it "
                                     "in Settings › Preferences.")
      .arg(node.name, missing.join(QStringLiteral(", ")));
}

QString pacs_node_peer_text(const PacsNode& node) {
  return node.ae_title.trimmed() + QLatin1Char('@') + node.host.trimmed() + QLatin1Char(':') + QString::number(node.port);
}

StudioSettings::StudioSettings(QObject* parent)
    : QObject(parent), settings_(std::make_unique<QSettings>(QStringLiteral("CXR Assist"), QStringLiteral("cxr-studio"))) {}

StudioSettings::StudioSettings(const QString& ini_path, QObject* parent)
    : QObject(parent), settings_(std::make_unique<QSettings>(ini_path, QSettings::IniFormat)) {}

StudioSettings::~StudioSettings() = default;

QString StudioSettings::modelDir() const { return settings_->value(QStringLiteral("model/dir")).toString(); }
void StudioSettings::setModelDir(const QString& dir) {
  settings_->setValue(QStringLiteral("model/dir"), dir.trimmed());
  emit changed();
}

QString StudioSettings::device() const {
  const QString d = settings_->value(QStringLiteral("model/device"), QStringLiteral("auto")).toString();
  return (d == QLatin1String("cpu") || d == QLatin1String("gpu")) ? d : QStringLiteral("auto");
}
void StudioSettings::setDevice(const QString& device) {
  if (device != QLatin1String("auto") && device != QLatin1String("cpu") && device != QLatin1String("gpu")) return;
  settings_->setValue(QStringLiteral("model/device"), device);
  emit changed();
}

QString StudioSettings::precision() const {
  const QString p = settings_->value(QStringLiteral("model/precision"), QStringLiteral("fp32")).toString();
  return p == QLatin1String("bf16") ? p : QStringLiteral("fp32");
}
void StudioSettings::setPrecision(const QString& precision) {
  if (precision != QLatin1String("fp32") && precision != QLatin1String("bf16")) return;
  settings_->setValue(QStringLiteral("model/precision"), precision);
  emit changed();
}

QString StudioSettings::siteLibrary() const { return settings_->value(QStringLiteral("model/site_library")).toString(); }
void StudioSettings::setSiteLibrary(const QString& path) {
  settings_->setValue(QStringLiteral("model/site_library"), path.trimmed());
  emit changed();
}

QString StudioSettings::operatingPoint() const {
  const QString op = settings_->value(QStringLiteral("model/operating_point"), QStringLiteral("default")).toString();
  return (op == QLatin1String("high_sensitivity") || op == QLatin1String("high_specificity")) ? op : QStringLiteral("default");
}
void StudioSettings::setOperatingPoint(const QString& op) {
  settings_->setValue(QStringLiteral("model/operating_point"), op);
  emit changed();
}

QString StudioSettings::language() const {
  const QString l = settings_->value(QStringLiteral("ui/language"), QStringLiteral("en")).toString();
  return l == QLatin1String("ko") ? l : QStringLiteral("en");
}
void StudioSettings::setLanguage(const QString& language) {
  settings_->setValue(QStringLiteral("ui/language"), language == QLatin1String("ko") ? language : QStringLiteral("en"));
  emit changed();
}

QString StudioSettings::localAeTitle() const {
  const QString ae = settings_->value(QStringLiteral("pacs/local_ae"), QStringLiteral("CXR_STUDIO")).toString();
  return valid_ae_title(ae) ? ae : QStringLiteral("CXR_STUDIO");
}
void StudioSettings::setLocalAeTitle(const QString& ae) {
  if (!valid_ae_title(ae)) return;
  settings_->setValue(QStringLiteral("pacs/local_ae"), ae.trimmed());
  emit changed();
}

QString StudioSettings::storageDir() const {
  const QString fallback =
      QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("studies"));
  return settings_->value(QStringLiteral("pacs/storage_dir"), fallback).toString();
}
void StudioSettings::setStorageDir(const QString& dir) {
  settings_->setValue(QStringLiteral("pacs/storage_dir"), dir);
  emit changed();
}

QVector<PacsNode> StudioSettings::pacsNodes() const {
  QVector<PacsNode> nodes;
  const int n = settings_->beginReadArray(QStringLiteral("pacs/nodes"));
  for (int i = 0; i < n; ++i) {
    settings_->setArrayIndex(i);
    PacsNode node{settings_->value(QStringLiteral("name")).toString(), settings_->value(QStringLiteral("ae")).toString(),
                  settings_->value(QStringLiteral("host")).toString(), settings_->value(QStringLiteral("port"), 104).toInt(),
                  settings_->value(QStringLiteral("tls"), false).toBool()};
    if (validate_pacs_node(node).isEmpty()) nodes << node;  // a hand-edited bad entry is dropped
  }
  settings_->endArray();
  return nodes;
}

QString StudioSettings::setPacsNodes(const QVector<PacsNode>& nodes) {
  for (const auto& node : nodes)
    if (QString error = validate_pacs_node(node); !error.isEmpty()) return error;
  settings_->remove(QStringLiteral("pacs/nodes"));
  settings_->beginWriteArray(QStringLiteral("pacs/nodes"), static_cast<int>(nodes.size()));
  for (int i = 0; i < nodes.size(); ++i) {
    settings_->setArrayIndex(i);
    settings_->setValue(QStringLiteral("name"), nodes[i].name.trimmed());
    settings_->setValue(QStringLiteral("ae"), nodes[i].ae_title.trimmed());
    settings_->setValue(QStringLiteral("host"), nodes[i].host.trimmed());
    settings_->setValue(QStringLiteral("port"), nodes[i].port);
    settings_->setValue(QStringLiteral("tls"), nodes[i].tls);
  }
  settings_->endArray();
  emit changed();
  return {};
}

void StudioSettings::setTlsFiles(const QString& certificate, const QString& private_key, const QString& trusted) {
  settings_->setValue(QStringLiteral("pacs/tls_certificate"), certificate.trimmed());
  settings_->setValue(QStringLiteral("pacs/tls_private_key"), private_key.trimmed());
  settings_->setValue(QStringLiteral("pacs/tls_trusted"), trusted.trimmed());
  emit changed();
}

LocalIdentity StudioSettings::localIdentity() const {
  return {localAeTitle(), settings_->value(QStringLiteral("pacs/tls_certificate")).toString(),
          settings_->value(QStringLiteral("pacs/tls_private_key")).toString(),
          settings_->value(QStringLiteral("pacs/tls_trusted")).toString()};
}

QStringList StudioSettings::recentStudies() const {
  return settings_->value(QStringLiteral("ui/recent")).toStringList().mid(0, kMaxRecent);
}

void StudioSettings::addRecentStudy(const QString& path) {
  if (path.isEmpty()) return;
  QStringList recent = recentStudies();
  recent.removeAll(path);
  recent.prepend(path);
  settings_->setValue(QStringLiteral("ui/recent"), recent.mid(0, kMaxRecent));
  emit changed();
}

void StudioSettings::clearRecentStudies() {
  settings_->remove(QStringLiteral("ui/recent"));
  emit changed();
}

QString StudioSettings::precisionUnavailableReason(const QString& device, const QString& precision) {
  cxr::model::EngineOptions o;
  o.backend = backendForDevice(device).toStdString();
  o.precision = precision.toStdString();
  const cxr::Status s = cxr::model::check_engine_precision(o);
  return s ? QString() : QString::fromStdString(s.error().message);
}

QString StudioSettings::backendForDevice(const QString& device) {
  if (device == QLatin1String("cpu")) return QStringLiteral("fast");
  if (device == QLatin1String("gpu")) return QStringLiteral("cuda");
  return QStringLiteral("auto");
}

void StudioSettings::sync() { settings_->sync(); }

}  // namespace cxr::studio
