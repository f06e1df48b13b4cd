// vm/settings.h — the studio's persistent settings (QtCore only), stored with QSettings.
//
// Keys: model/dir, model/device, model/precision, model/site_library, model/operating_point, pacs/local_ae,
// pacs/storage_dir, pacs/nodes (array of name/ae/host/port/tls), pacs/tls_certificate,
// pacs/tls_private_key, pacs/tls_trusted, ui/language, ui/recent (paths).
// Thread-safety: UI thread only.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

class QSettings;

namespace cxr::studio {

struct PacsNode {
  QString name;      // label in menus
  QString ae_title;  // remote AE title, 1..16 characters of the default character repertoire
  QString host;
  int port = 104;
  bool tls = false;  // DICOM TLS (PS3.15 B.1) with the workstation's certificate (LocalIdentity)
  bool operator==(const PacsNode&) const = default;
};

// Our side of every association: the calling AE title and, for nodes with tls, the workstation's
// certificate, its unencrypted PEM key, and the CA (or peer) certificates it trusts (PEM files).
struct LocalIdentity {
  QString ae_title;
  QString tls_certificate, tls_private_key, tls_trusted;
};

// Empty when valid, else a sentence naming the bad field (already translated).
QString validate_pacs_node(const PacsNode& node);
// "ORTHANC@127.0.0.1:4242" form used by the CLI (cxr::dicom::net::parse_peer).
QString pacs_node_peer_text(const PacsNode& node);
// Empty when `node` can be reached with `identity`: a TLS node needs the three TLS files to exist.
QString validate_tls_identity(const PacsNode& node, const LocalIdentity& identity);

class StudioSettings : public QObject {
  Q_OBJECT
 public:
  static constexpr int kMaxRecent = 10;

  // Default: the user's settings (organisation "CXR Assist", application "cxr-studio").
  explicit StudioSettings(QObject* parent = nullptr);
  // A specific INI file (tests, portable installs).
  explicit StudioSettings(const QString& ini_path, QObject* parent = nullptr);
  ~StudioSettings() override;

  QString modelDir() const;        // "" = the bundled default model
  void setModelDir(const QString& dir);
  QString device() const;          // "auto" | "cpu" | "gpu"
  void setDevice(const QString& device);  // anything else is ignored
  QString precision() const;       // "fp32" | "bf16" (bf16: CPUs with AVX512-BF16/AMX, ~1.6x faster)
  void setPrecision(const QString& precision);  // anything else is ignored
  QString siteLibrary() const;     // "" = none
  void setSiteLibrary(const QString& path);
  QString operatingPoint() const;  // "default" | "high_sensitivity" | "high_specificity"
  void setOperatingPoint(const QString& op);
  QString language() const;        // "en" | "ko"
  void setLanguage(const QString& language);

  QString localAeTitle() const;    // our calling AE title, default "CXR_STUDIO"
  void setLocalAeTitle(const QString& ae);
  QString storageDir() const;      // where retrieved studies and exports go
  void setStorageDir(const QString& dir);
  // The workstation's TLS files (paths; "" = not set), used for nodes with tls.
  void setTlsFiles(const QString& certificate, const QString& private_key, const QString& trusted);
  // Our AE title and TLS files, for every association the studio opens.
  LocalIdentity localIdentity() const;
  QVector<PacsNode> pacsNodes() const;
  // Replaces the list. Returns "" or the first validation error (then nothing is stored).
  QString setPacsNodes(const QVector<PacsNode>& nodes);

  QStringList recentStudies() const;  // newest first, at most kMaxRecent, no duplicates
  void addRecentStudy(const QString& path);
  void clearRecentStudies();

  // Maps the device choice to an AnalyzerOptions::backend value ("auto", "fast", "cuda").
  static QString backendForDevice(const QString& device);
  // "" when this machine can run `precision` on `device`, else why not (the engine's sentence).
  static QString precisionUnavailableReason(const QString& device, const QString& precision);

  void sync();

 signals:
  void changed();

 private:
  std::unique_ptr<QSettings> settings_;
};

}  // namespace cxr::studio
