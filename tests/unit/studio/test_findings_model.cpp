// Findings list model: ordering, roles, language, evidence text.
#include "studio_tests.h"

#include "vm/findings_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace cxr::studio;

namespace {
cxr::core::FindingResult finding(const char* id, const char* en, const char* ko, double p, double threshold) {
  cxr::core::FindingResult f;
  f.id = id;
  f.name_en = en;
  f.name_ko = ko;
  f.probability = p;
  f.threshold = threshold;
  f.decision = p >= threshold ? "positive" : "negative";
  f.validated = true;
  return f;
}

cxr::core::InstanceResult sample_result() {
  cxr::core::InstanceResult r;
  r.path = "x.dcm";
  r.findings = {finding("effusion", "Effusion", "흉수", 0.20, 0.5), finding("pneumonia", "Pneumonia", "폐렴", 0.81, 0.4),
                finding("nodule", "Nodule", "", 0.55, 0.6)};
  r.findings[1].evidence = {{"Fever and productive cough.", 1.25, false}, {"No pleural effusion.", -0.5, true}};
  r.findings[1].heatmap.assign(16 * 16, 0.5f);
  r.findings[1].heatmap_grid = 16;
  r.findings[2].validated = false;
  return r;
}
}  // namespace

void FindingsModelTest::sortsByProbabilityAndExposesRoles() {
  FindingsListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setResult(sample_result());
  QCOMPARE(model.rowCount(), 3);
  const QStringList order{model.index(0).data(FindingsListModel::IdRole).toString(),
                          model.index(1).data(FindingsListModel::IdRole).toString(),
                          model.index(2).data(FindingsListModel::IdRole).toString()};
  QCOMPARE(order, (QStringList{"pneumonia", "nodule", "effusion"}));
  QCOMPARE(model.index(0).data(FindingsListModel::AboveOperatingPointRole).toBool(), true);
  QCOMPARE(model.index(1).data(FindingsListModel::AboveOperatingPointRole).toBool(), false);  // 0.55 < 0.6
  QCOMPARE(model.index(0).data(FindingsListModel::HasHeatmapRole).toBool(), true);
  QCOMPARE(model.index(1).data(FindingsListModel::ValidatedRole).toBool(), false);
  QCOMPARE(model.index(0).data(Qt::DisplayRole).toString(), QStringLiteral("Pneumonia: 81%"));
  QVERIFY(model.index(1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Not validated")));
  QCOMPARE(model.rowOf(QStringLiteral("effusion")), 2);
  QCOMPARE(model.rowOf(QStringLiteral("absent")), -1);
  QVERIFY(model.finding(3) == nullptr);
  model.clear();
  QCOMPARE(model.rowCount(), 0);
}

void FindingsModelTest::languageSwitchesNames() {
  FindingsListModel model;
  model.setResult(sample_result());
  model.setLanguage(QStringLiteral("ko"));
  QCOMPARE(model.index(0).data(FindingsListModel::NameRole).toString(), QStringLiteral("폐렴"));
  QCOMPARE(model.index(1).data(FindingsListModel::NameRole).toString(), QStringLiteral("Nodule"));  // no Korean name
  model.setLanguage(QStringLiteral("en"));
  QCOMPARE(model.index(0).data(FindingsListModel::NameRole).toString(), QStringLiteral("Pneumonia"));
}

void FindingsModelTest::evidenceFormatting() {
  FindingsListModel model;
  model.setResult(sample_result());
  const QStringList ev = model.index(0).data(FindingsListModel::EvidenceRole).toStringList();
  QCOMPARE(ev.size(), 2);
  QCOMPARE(ev[0], QStringLiteral("+1.25  Fever and productive cough."));
  QVERIFY(ev[1].startsWith(QStringLiteral("\u22120.50  No pleural effusion.")));
  QVERIFY(ev[1].contains(QStringLiteral("(negated)")));
}
