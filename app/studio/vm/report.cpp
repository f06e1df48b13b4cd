#include "vm/report.h"

#include "cxr/core/disclaimer.h"
#include "vm/study_list_model.h"

#include <QCoreApplication>
#include <QStringList>

namespace cxr::studio {
namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString esc(const QString& s) { return s.toHtmlEscaped(); }

QString decision_text(const std::string& d) {
  if (d == "positive") return QCoreApplication::translate("cxr::studio::Report", "positive");
  if (d == "negative") return QCoreApplication::translate("cxr::studio::Report", "negative");
  return QCoreApplication::translate("cxr::studio::Report", "indeterminate");
}

QString finding_name(const cxr::core::FindingResult& f, const QString& language) {
  if (language == QLatin1String("ko") && !f.name_ko.empty()) return qs(f.name_ko);
  return f.name_en.empty() ? qs(f.id) : qs(f.name_en);
}

}  // namespace

QStringList disclaimer_lines(const QString& language) {
  QStringList lines{QString::fromUtf8(cxr::core::kDisclaimer)};
  if (language == QLatin1String("ko"))
    lines << QStringLiteral("진료 보조 전용: 이 제안은 진단이 아니며 자격을 갖춘 의사가 검토해야 합니다.");
  return lines;
}

QString report_html(const ReportInput& in) {
  const auto& m = in.result.meta;
  QString html;
  html += QStringLiteral("<html><body style='font-family: \"Noto Sans\", \"Noto Sans CJK KR\", sans-serif; font-size: 10pt;'>");
  html += QStringLiteral("<h2>%1</h2>").arg(esc(QCoreApplication::translate("cxr::studio::Report", "CXR Assist — chest X-ray decision support report")));
  html += QStringLiteral("<p style='color:#a00000; font-weight:bold;'>%1</p>").arg(esc(disclaimer_lines(in.language).join(QStringLiteral(" / "))));
  html += QStringLiteral("<table cellspacing='0' cellpadding='3'>");
  auto row = [&](const QString& k, const QString& v) {
    if (!v.isEmpty()) html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(k), esc(v));
  };
  row(QCoreApplication::translate("cxr::studio::Report", "Patient"), format_person_name(qs(m.patient_name)));
  row(QCoreApplication::translate("cxr::studio::Report", "Patient ID"), qs(m.patient_id));
  QStringList sex_age{qs(m.patient_sex), qs(m.patient_age)};
  sex_age.removeAll(QString());
  row(QCoreApplication::translate("cxr::studio::Report", "Sex / age"), sex_age.join(QStringLiteral(" / ")));
  row(QCoreApplication::translate("cxr::studio::Report", "Study date"), format_dicom_date(qs(m.study_date)));
  row(QCoreApplication::translate("cxr::studio::Report", "Study"), qs(m.study_description));
  row(QCoreApplication::translate("cxr::studio::Report", "View"), QStringList{qs(m.modality), qs(m.view_position)}.join(QLatin1Char(' ')).trimmed());
  row(QCoreApplication::translate("cxr::studio::Report", "Image file"), in.result.path.empty() ? QString() : qs(in.result.path));
  row(QCoreApplication::translate("cxr::studio::Report", "Generated"), in.generated_at);
  html += QStringLiteral("</table>");
  if (!in.image_url.isEmpty()) {
    html += QStringLiteral("<p><img src='%1' width='360'></p>").arg(esc(in.image_url));
    if (!in.heatmap_finding.isEmpty())
      html += QStringLiteral("<p><i>%1</i></p>").arg(esc(QCoreApplication::translate("cxr::studio::Report", "Overlay: evidence map for %1").arg(in.heatmap_finding)));
  }
  html += QStringLiteral("<h3>%1</h3>").arg(esc(QCoreApplication::translate("cxr::studio::Report", "Suggested findings")));
  html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='4'><tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
              .arg(esc(QCoreApplication::translate("cxr::studio::Report", "Finding")), esc(QCoreApplication::translate("cxr::studio::Report", "Probability")), esc(QCoreApplication::translate("cxr::studio::Report", "Operating point")), esc(QCoreApplication::translate("cxr::studio::Report", "Decision")));
  for (const auto& f : in.result.findings) {
    const bool positive = f.decision == "positive";
    html += QStringLiteral("<tr><td>%1%2</td><td align='right'>%3%</td><td align='right'>%4%</td><td>%5</td></tr>")
                .arg(positive ? QStringLiteral("<b>") + esc(finding_name(f, in.language)) + QStringLiteral("</b>")
                              : esc(finding_name(f, in.language)),
                     f.validated ? QString() : QStringLiteral(" *"))
                .arg(f.probability * 100.0, 0, 'f', 1)
                .arg(f.threshold * 100.0, 0, 'f', 0)
                .arg(esc(decision_text(f.decision)));
  }
  html += QStringLiteral("</table><p><small>%1</small></p>").arg(esc(QCoreApplication::translate("cxr::studio::Report", "* not validated for this finding")));
  QStringList evidence;
  for (const auto& f : in.result.findings)
    for (const auto& e : f.evidence)
      evidence << QStringLiteral("<li>%1: %2 (%3%4)</li>")
                      .arg(esc(finding_name(f, in.language)), esc(qs(e.sentence)),
                           e.delta_logit >= 0 ? QStringLiteral("+") : QStringLiteral("\u2212"))
                      .arg(std::abs(e.delta_logit), 0, 'f', 2);
  if (!evidence.isEmpty())
    html += QStringLiteral("<h3>%1</h3><ul>%2</ul>").arg(esc(QCoreApplication::translate("cxr::studio::Report", "Note sentences that moved a finding")), evidence.join(QString()));
  if (!in.notes.trimmed().isEmpty())
    html += QStringLiteral("<h3>%1</h3><p>%2</p>").arg(esc(QCoreApplication::translate("cxr::studio::Report", "Clinical notes")), esc(in.notes).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
  const auto& p = in.provenance;
  html += QStringLiteral("<h3>%1</h3><p><small>%2 %3 · %4 %5 · %6 %7%8</small></p>")
              .arg(esc(QCoreApplication::translate("cxr::studio::Report", "Provenance")), esc(qs(p.algorithm_name)), esc(qs(p.version)), esc(QCoreApplication::translate("cxr::studio::Report", "model")),
                   esc(qs(p.model_hash).left(16)), esc(QCoreApplication::translate("cxr::studio::Report", "prompts")), esc(qs(p.prompt_set_hash).left(16)))
              .arg(p.site_library_hash.empty() ? QString()
                                               : QStringLiteral(" · ") + esc(QCoreApplication::translate("cxr::studio::Report", "site library")) + QLatin1Char(' ') +
                                                     esc(qs(p.site_library_hash).left(16)));
  QStringList disclaimer;
  for (const auto& line : disclaimer_lines(in.language)) disclaimer << esc(line);
  html += QStringLiteral("<p style='color:#a00000;'><b>%1</b></p>").arg(disclaimer.join(QStringLiteral("<br>")));
  html += QStringLiteral("</body></html>");
  return html;
}

cxr::dicom::SrContent sr_content(const cxr::core::InstanceResult& result, const cxr::core::Provenance& provenance) {
  cxr::dicom::SrContent c;
  const auto& m = result.meta;
  c.sources.push_back({result.path, m.sop_class_uid, m.sop_instance_uid, m.series_instance_uid});
  c.study_instance_uid = m.study_instance_uid;
  c.patient_name = m.patient_name;
  c.patient_id = m.patient_id;
  c.study_date = m.study_date;
  c.study_description = m.study_description;
  c.algorithm_name = provenance.algorithm_name;
  c.algorithm_version = provenance.version;
  c.model_hash = provenance.model_hash;
  c.prompt_set_hash = provenance.prompt_set_hash;
  c.site_library_hash = provenance.site_library_hash;
  for (const auto& f : result.findings) {
    cxr::dicom::SrFinding s{f.id, f.code_scheme, f.code_value, f.code_meaning, f.probability, f.decision, f.threshold, {}};
    for (const auto& e : f.evidence) s.evidence.push_back(e.sentence);
    c.findings.push_back(std::move(s));
  }
  c.disclaimer = cxr::core::kDisclaimer;
  return c;
}

}  // namespace cxr::studio
