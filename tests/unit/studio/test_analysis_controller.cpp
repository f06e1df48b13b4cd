// AnalysisController: analysis and teaching on the thread pool with the real default model.
#include "studio_tests.h"

#include "vm/analysis_controller.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace cxr::studio;

namespace {

const QString kModel = QStringLiteral(CXR_SOURCE_DIR "/resources/models/cxr-siglip-default");

cxr::core::AnalyzerOptions options() {
  cxr::core::AnalyzerOptions o;
  o.model_dir = kModel.toStdString();
  o.prompts_path = CXR_SOURCE_DIR "/resources/prompts/default.json";
  o.backend = "fast";
  o.heatmaps = true;
  return o;
}

#define REQUIRE_MODEL() \
  if (!QFile::exists(kModel)) QSKIP("the bundled model is not in this checkout")

}  // namespace

void AnalysisControllerTest::analyzesOffTheCallingThread() {
  REQUIRE_MODEL();
  AnalysisController c;
  c.setOptions(options());
  QSignalSpy busy(&c, &AnalysisController::busyChanged);
  QSignalSpy done(&c, &AnalysisController::analysisFinished);
  QSignalSpy failed(&c, &AnalysisController::failed);
  QVERIFY(c.analyze(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"),
                    QStringLiteral("High fever and cough. Right lower lobe consolidation suspected.")));
  QVERIFY(c.busy());
  QVERIFY(!c.analyze(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"), {}));  // one job at a time
  QVERIFY(done.wait(120000) || !failed.isEmpty());
  QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
  QCOMPARE(done.count(), 1);
  QVERIFY(!c.busy());
  QCOMPARE(busy.count(), 2);  // true, then false
  const auto result = done.front().front().value<cxr::core::InstanceResult>();
  QVERIFY(!result.findings.empty());
  bool any_heatmap = false, any_evidence = false;
  for (const auto& f : result.findings) {
    QVERIFY(f.probability >= 0 && f.probability <= 1);
    any_heatmap |= f.heatmap_grid > 0 && f.heatmap.size() == size_t(f.heatmap_grid) * f.heatmap_grid;
    any_evidence |= !f.evidence.empty();
  }
  QVERIFY(any_heatmap);
  QVERIFY(any_evidence);
  QVERIFY(c.analyzer());  // kept for the next job
}

void AnalysisControllerTest::reportsAClearErrorForABadFile() {
  REQUIRE_MODEL();
  AnalysisController c;
  c.setOptions(options());
  QSignalSpy failed(&c, &AnalysisController::failed);
  const QString bad = shared_data("dicom/broken/MR_truncated.dcm");
  QVERIFY(c.analyze(bad, {}));
  QVERIFY(failed.wait(120000));
  QVERIFY2(failed.front().front().toString().contains(QStringLiteral("MR_truncated.dcm")),
           qPrintable(failed.front().front().toString()));
  QVERIFY(!c.busy());
}

void AnalysisControllerTest::cancelEndsTheJob() {
  REQUIRE_MODEL();
  AnalysisController c;
  c.setOptions(options());
  QSignalSpy cancelled(&c, &AnalysisController::cancelled);
  QSignalSpy done(&c, &AnalysisController::analysisFinished);
  QVERIFY(c.analyze(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"), {}));
  c.cancel();  // before the model is even loaded: the job must end as cancelled
  QTRY_VERIFY_WITH_TIMEOUT(!c.busy(), 120000);
  QCOMPARE(cancelled.count(), 1);
  QCOMPARE(done.count(), 0);
}

void AnalysisControllerTest::teachesTheSiteAdapter() {
  REQUIRE_MODEL();
  QTemporaryDir dir;
  const QString library = dir.filePath(QStringLiteral("site.json"));
  const QString k = shared_data("cxr/kermany-train/images/");
  const QStringList positives{k + "pneumonia/person1000_bacteria_2931.jpeg", k + "pneumonia/person1000_virus_1681.jpeg"};
  const QStringList negatives{k + "normal/IM-0115-0001.jpeg", k + "normal/IM-0117-0001.jpeg"};
  AnalysisController c;
  c.setOptions(options());
  QSignalSpy taught(&c, &AnalysisController::teachFinished);
  QSignalSpy failed(&c, &AnalysisController::failed);
  QVERIFY(c.teach(QStringLiteral("pneumonia"), positives, negatives, library));
  QVERIFY(taught.wait(180000));
  QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
  const auto report = taught.front().front().value<cxr::core::TeachReport>();
  QCOMPARE(report.positives, 2);
  QCOMPARE(report.negatives, 2);
  QVERIFY(QFile::exists(library));
  // The controller now analyses with the library: the taught finding is site-adapted.
  QCOMPARE(QString::fromStdString(c.options().site_library), library);
  bool adapted = false;
  for (const auto& f : c.analyzer()->findings()) adapted |= f.id == "pneumonia" && f.site_adapted;
  QVERIFY(adapted);
}
