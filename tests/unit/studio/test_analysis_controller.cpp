// AnalysisController: analysis and teaching on the thread pool with the real default model.
#include "studio_tests.h"

#include "vm/analysis_controller.h"

#include <QElapsedTimer>
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

// The shared data set is part of the test contract: without it, fail at once with the path (never
// sit in a signal wait for minutes).
#define REQUIRE_FILE(path) QVERIFY2(QFile::exists(path), qPrintable(QStringLiteral("test data missing: ") + (path)))

// Waits until `wanted` fired, or returns false as soon as `failed` fired or `ms` passed.
bool waitUnlessFailed(QSignalSpy& wanted, QSignalSpy& failed, int ms) {
  QElapsedTimer timer;
  timer.start();
  while (wanted.isEmpty() && failed.isEmpty() && timer.elapsed() < ms) QTest::qWait(20);
  return !wanted.isEmpty();
}

}  // namespace

void AnalysisControllerTest::analyzesOffTheCallingThread() {
  REQUIRE_MODEL();
  AnalysisController c;
  c.setOptions(options());
  QSignalSpy busy(&c, &AnalysisController::busyChanged);
  QSignalSpy done(&c, &AnalysisController::analysisFinished);
  QSignalSpy failed(&c, &AnalysisController::failed);
  REQUIRE_FILE(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"));
  QVERIFY(c.analyze(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"),
                    QStringLiteral("High fever and cough. Right lower lobe consolidation suspected.")));
  QVERIFY(c.busy());
  QVERIFY(!c.analyze(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"), {}));  // one job at a time
  waitUnlessFailed(done, failed, 120000);
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
  REQUIRE_FILE(bad);
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
  for (const QString& path : positives + negatives) REQUIRE_FILE(path);
  AnalysisController c;
  c.setOptions(options());
  QSignalSpy taught(&c, &AnalysisController::teachFinished);
  QSignalSpy failed(&c, &AnalysisController::failed);
  QVERIFY(c.teach(QStringLiteral("pneumonia"), positives, negatives, library));
  waitUnlessFailed(taught, failed, 180000);
  QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
  QVERIFY2(!taught.isEmpty(), "teaching did not finish within 180 s");
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
