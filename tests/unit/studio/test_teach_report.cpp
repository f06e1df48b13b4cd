// Teach set persistence; report and SR content carry the disclaimer and the findings.
#include "studio_tests.h"

#include "cxr/core/disclaimer.h"
#include "vm/report.h"
#include "vm/teach_set.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cxr::studio;

void TeachReportTest::teachSetRoundTrip() {
  QTemporaryDir dir;
  const QString path = TeachSet::pathForLibrary(dir.filePath(QStringLiteral("site.json")));
  QVERIFY(path.endsWith(QStringLiteral("site.json.examples.json")));
  TeachSet set;
  QCOMPARE(set.load(path), QString());  // missing file: empty set, no error
  set.mark("pneumonia", "/a.dcm", TeachSet::Label::kPositive);
  set.mark("pneumonia", "/b.dcm", TeachSet::Label::kNegative);
  QVERIFY(set.readyToTeach("pneumonia"));
  set.mark("pneumonia", "/b.dcm", TeachSet::Label::kPositive);  // moves, never both
  QCOMPARE(set.negatives("pneumonia").size(), 0);
  QVERIFY(!set.readyToTeach("pneumonia"));
  set.mark("pneumonia", "/c.dcm", TeachSet::Label::kNegative);
  set.mark("effusion", "/a.dcm", TeachSet::Label::kNegative);
  QCOMPARE(set.save(path), QString());
  TeachSet loaded;
  QCOMPARE(loaded.load(path), QString());
  QCOMPARE(loaded.positives("pneumonia"), (QStringList{"/a.dcm", "/b.dcm"}));
  QCOMPARE(loaded.negatives("pneumonia"), (QStringList{"/c.dcm"}));
  QCOMPARE(loaded.label("effusion", "/a.dcm"), TeachSet::Label::kNegative);
  loaded.mark("effusion", "/a.dcm", TeachSet::Label::kNone);
  QCOMPARE(loaded.findings(), (QStringList{"pneumonia"}));
}

void TeachReportTest::teachSetRejectsBadJson() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("bad.json"));
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("{\"findings\": [");
  f.close();
  TeachSet set;
  const QString error = set.load(path);
  QVERIFY(error.contains(path));
  QVERIFY(set.findings().isEmpty());
  QVERIFY(!set.save(QStringLiteral("/nonexistent-dir/x.json")).isEmpty());
}

namespace {
cxr::core::InstanceResult analysed() {
  cxr::core::InstanceResult r;
  r.path = "/data/chest.dcm";
  r.meta.patient_name = "DOE^JANE";
  r.meta.sop_instance_uid = "1.2.3.4";
  r.meta.sop_class_uid = "1.2.840.10008.5.1.4.1.1.1";
  r.meta.study_instance_uid = "1.2.3";
  r.meta.study_date = "20240105";
  cxr::core::FindingResult f;
  f.id = "pneumonia";
  f.name_en = "Pneumonia";
  f.name_ko = "폐렴";
  f.code_scheme = "SCT";
  f.code_value = "233604007";
  f.code_meaning = "Pneumonia";
  f.probability = 0.83;
  f.threshold = 0.4;
  f.decision = "positive";
  f.validated = true;
  f.evidence = {{"Fever & cough <3 days>", 0.9, false}};
  r.findings.push_back(f);
  return r;
}
}  // namespace

void TeachReportTest::reportCarriesDisclaimer() {
  ReportInput in;
  in.result = analysed();
  in.notes = QStringLiteral("Fever & cough <3 days>");
  const QString en = report_html(in);
  QVERIFY(en.contains(QString::fromUtf8(cxr::core::kDisclaimer)));
  QVERIFY(en.contains(QStringLiteral("DOE, JANE")));
  QVERIFY(en.contains(QStringLiteral("2024-01-05")));
  QVERIFY(en.contains(QStringLiteral("83.0%")));
  QVERIFY(en.contains(QStringLiteral("Fever &amp; cough &lt;3 days&gt;")));  // notes are escaped
  QVERIFY(!en.contains(QStringLiteral("<3 days>")));
  in.language = QStringLiteral("ko");
  const QString ko = report_html(in);
  QVERIFY(ko.contains(QString::fromUtf8(cxr::core::kDisclaimer)));
  QVERIFY(ko.contains(QStringLiteral("진단이 아니며")));
  QVERIFY(ko.contains(QStringLiteral("폐렴")));
}

void TeachReportTest::srContentMapsFindings() {
  cxr::core::Provenance p;
  p.version = "0.1.0";
  p.model_hash = "abc";
  const auto c = sr_content(analysed(), p);
  QCOMPARE(c.sources.size(), size_t(1));
  QCOMPARE(c.sources[0].sop_instance_uid, std::string("1.2.3.4"));
  QCOMPARE(c.findings.size(), size_t(1));
  QCOMPARE(c.findings[0].code_value, std::string("233604007"));
  QCOMPARE(c.findings[0].decision, std::string("positive"));
  QCOMPARE(c.findings[0].evidence.front(), std::string("Fever & cough <3 days>"));
  QCOMPARE(c.disclaimer, std::string(cxr::core::kDisclaimer));
  QCOMPARE(c.model_hash, std::string("abc"));
}
