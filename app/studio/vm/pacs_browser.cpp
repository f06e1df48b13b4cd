#include "vm/pacs_browser.h"

#include "cxr/dicom/net.h"
#include "vm/background.h"
#include "vm/study_list_model.h"

#include <QCoreApplication>
#include <QDate>
#include <QDir>
#include <QRegularExpression>

#include <memory>

namespace cxr::studio {
cxr::dicom::net::ScuOptions scu_options(const PacsNode& node, const LocalIdentity& me) {
  cxr::dicom::net::ScuOptions o;
  o.calling_ae = me.ae_title.toStdString();
  o.peer = {node.ae_title.toStdString(), node.host.toStdString(), static_cast<uint16_t>(node.port)};
  if (node.tls) {
    o.tls.enabled = true;
    o.tls.certificate_file = me.tls_certificate.trimmed().toStdString();
    o.tls.private_key_file = me.tls_private_key.trimmed().toStdString();
    o.tls.trusted_certificates = {me.tls_trusted.trimmed().toStdString()};
    o.tls.require_peer_certificate = true;
  }
  return o;
}

PacsBrowser::PacsBrowser(QObject* parent) : QObject(parent) {}

QString PacsBrowser::validateDateFilter(const QString& text) {
  const QString t = text.trimmed();
  if (t.isEmpty()) return {};
  static const QRegularExpression form(QStringLiteral("^(\\d{8})?(-)?(\\d{8})?$"));
  const auto m = form.match(t);
  const QString format_hint = tr("Study date: YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD (got \"%1\").").arg(t);
  if (!m.hasMatch() || (m.captured(1).isEmpty() && m.captured(3).isEmpty()) ||
      (!m.captured(3).isEmpty() && !m.captured(1).isEmpty() && m.captured(2).isEmpty())) {
    return format_hint;
  }
  const QDate from = QDate::fromString(m.captured(1), QStringLiteral("yyyyMMdd"));
  const QDate to = QDate::fromString(m.captured(3), QStringLiteral("yyyyMMdd"));
  if ((!m.captured(1).isEmpty() && !from.isValid()) || (!m.captured(3).isEmpty() && !to.isValid()))
    return tr("Study date: \"%1\" is not a calendar date.").arg(t);
  if (from.isValid() && to.isValid() && from > to) return tr("Study date: the range ends before it starts (\"%1\").").arg(t);
  return {};
}

bool PacsBrowser::start(const PacsNode& node, const LocalIdentity& me) {
  if (busy_) return false;
  QString e = validate_pacs_node(node);
  if (e.isEmpty()) e = validate_tls_identity(node, me);
  if (!e.isEmpty()) {
    emit failed(e);
    return false;
  }
  busy_ = true;
  return true;
}

bool PacsBrowser::query(const PacsNode& node, const LocalIdentity& me, const QString& date_filter) {
  if (const QString e = validateDateFilter(date_filter); !e.isEmpty()) {
    if (!busy_) emit failed(e);
    return false;
  }
  if (!start(node, me)) return false;
  const auto options = scu_options(node, me);
  cxr::dicom::net::StudyQuery q;
  q.study_date = date_filter.trimmed().toStdString();
  q.modalities = {"CR", "DX"};
  using Matches = std::shared_ptr<cxr::Result<std::vector<cxr::dicom::net::StudyMatch>>>;
  run_in_background<Matches>(
      this,
      [options, q] {
        return std::make_shared<cxr::Result<std::vector<cxr::dicom::net::StudyMatch>>>(
            cxr::dicom::net::find_studies(options, q));
      },
      [this](const Matches& r) {
        busy_ = false;
        if (!r->ok()) return emit failed(QString::fromStdString(r->error().message));
        QVector<StudyRow> rows;
        for (const auto& m : r->value()) {
          rows.push_back({format_dicom_date(QString::fromStdString(m.study_date)),
                          QString::fromStdString(m.modalities_in_study), m.number_of_instances,
                          QString::fromStdString(m.study_instance_uid)});
        }
        emit studiesFound(rows);
      });
  return true;
}

bool PacsBrowser::retrieve(const PacsNode& node, const LocalIdentity& me, const QString& study_instance_uid,
                           const QString& storage_dir) {
  if (study_instance_uid.trimmed().isEmpty() || storage_dir.trimmed().isEmpty()) {
    if (!busy_) emit failed(tr("Choose a study, and a storage folder in Settings › Preferences."));
    return false;
  }
  if (!start(node, me)) return false;
  const auto options = scu_options(node, me);
  const QString folder = QDir(storage_dir).filePath(QStringLiteral("retrieved"));
  QDir().mkpath(folder);
  const std::string uid = study_instance_uid.trimmed().toStdString();
  using Count = std::shared_ptr<cxr::Result<int>>;
  run_in_background<Count>(
      this,
      [options, uid, folder] {
        return std::make_shared<cxr::Result<int>>(cxr::dicom::net::get_study(options, uid, folder.toStdString(), nullptr));
      },
      [this, folder, uid](const Count& r) {
        busy_ = false;
        if (!r->ok()) return emit failed(QString::fromStdString(r->error().message));
        // get_study writes <folder>/<StudyInstanceUID>/<SOPInstanceUID>.dcm
        emit retrieved(QDir(folder).filePath(QString::fromStdString(uid)), r->value());
      });
  return true;
}

}  // namespace cxr::studio
