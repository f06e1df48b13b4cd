// Study browser tree from real files, folders and a DICOMDIR.
#include "studio_tests.h"

#include "vm/study_list_model.h"
#include "vm/thumbnail.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace cxr::studio;

namespace {
StudyListModel::Kind kind(const QModelIndex& i) {
  return static_cast<StudyListModel::Kind>(i.data(StudyListModel::KindRole).toInt());
}
}  // namespace

void StudyListTest::personNameAndDate() {
  QCOMPARE(format_person_name(QStringLiteral("DOE^JANE^^DR")), QStringLiteral("DOE, JANE DR"));
  QCOMPARE(format_person_name(QStringLiteral("Hong^Gildong=洪^吉洞=홍^길동")), QStringLiteral("Hong, Gildong"));
  QCOMPARE(format_person_name(QStringLiteral("ANON")), QStringLiteral("ANON"));
  QCOMPARE(format_person_name(QString()), QString());
  QCOMPARE(format_dicom_date(QStringLiteral("20200131")), QStringLiteral("2020-01-31"));
  QCOMPARE(format_dicom_date(QStringLiteral("2020")), QStringLiteral("2020"));
}

void StudyListTest::scansFolderIntoTree() {
  const ScanResult scan = scan_inputs({shared_data("dicom/xray")});
  QVERIFY2(scan.records.size() >= 10, qPrintable(scan.notes.join('\n')));
  StudyListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  QCOMPARE(model.addRecords(scan.records), static_cast<int>(scan.records.size()));
  QCOMPARE(model.imageCount(), static_cast<int>(scan.records.size()));
  QVERIFY(model.rowCount() >= 2);  // several patients
  int series_images = 0;
  for (const QModelIndex& series : model.allSeries()) {
    QCOMPARE(kind(series), StudyListModel::Kind::kSeries);
    QCOMPARE(kind(series.parent()), StudyListModel::Kind::kStudy);
    QCOMPARE(kind(series.parent().parent()), StudyListModel::Kind::kPatient);
    const QStringList paths = series.data(StudyListModel::ImagePathsRole).toStringList();
    QVERIFY(!paths.isEmpty());
    series_images += paths.size();
    QVERIFY(!series.data(Qt::DisplayRole).toString().isEmpty());
  }
  QCOMPARE(series_images, model.imageCount());
  // The RSNA CR and its MONOCHROME1 copy share patient and study: one study, found by path.
  const QModelIndex rsna = model.seriesIndexForPath(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"));
  QVERIFY(rsna.isValid());
  QVERIFY(rsna.data(Qt::DisplayRole).toString().startsWith(QStringLiteral("CR PA")));
  const ImageRecord* r = model.recordForPath(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"));
  QVERIFY(r);
  QCOMPARE(r->modality, QStringLiteral("CR"));
  QCOMPARE(r->rows, 1024);
}

void StudyListTest::dicomdirMedia() {
  const ScanResult scan = scan_inputs({shared_data("dicom/dicomdir/TINY_ALPHA/DICOMDIR")});
  QVERIFY2(!scan.records.empty(), qPrintable(scan.notes.join('\n')));
  StudyListModel model;
  model.addRecords(scan.records);
  QCOMPARE(model.imageCount(), static_cast<int>(scan.records.size()));
  QVERIFY(model.studyCount() >= 1);
  for (const auto& rec : scan.records) QVERIFY2(rec.path.contains(QStringLiteral("TINY_ALPHA")), qPrintable(rec.path));
}

void StudyListTest::brokenFilesBecomeNotes() {
  const ScanResult scan = scan_inputs({shared_data("dicom/broken"), QStringLiteral("/nonexistent/cxr/file.dcm")});
  QVERIFY(!scan.notes.isEmpty());
  QVERIFY(scan.notes.join('\n').contains(QStringLiteral("/nonexistent/cxr/file.dcm")));
  StudyListModel model;
  model.addRecords(scan.records);  // whatever headers were readable: no crash, consistent tree
  QCOMPARE(model.imageCount(), static_cast<int>(scan.records.size()));
}

void StudyListTest::duplicatesAreSkippedAndNavigationWraps() {
  const ScanResult scan = scan_inputs({shared_data("dicom/xray")});
  StudyListModel model;
  model.addRecords(scan.records);
  QCOMPARE(model.addRecords(scan.records), 0);
  const int studies = model.studyCount();
  QVERIFY(studies >= 2);
  const QModelIndex first = model.neighbourStudySeries({}, 1);
  QVERIFY(first.isValid());
  QModelIndex i = first;
  for (int k = 0; k < studies; ++k) i = model.neighbourStudySeries(i, 1);
  QCOMPARE(i.parent(), first.parent());  // full cycle returns to the first study
  QCOMPARE(model.neighbourStudySeries(model.neighbourStudySeries(first, 1), -1).parent(), first.parent());
  model.clear();
  QCOMPARE(model.rowCount(), 0);
  QVERIFY(!model.neighbourStudySeries({}, 1).isValid());
}

void StudyListTest::thumbnailIsBoxFiltered() {
  const Thumbnail t = make_thumbnail(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"), 96);
  QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
  QCOMPARE(t.size, QSize(96, 96));
  QCOMPARE(t.gray.size(), 96 * 96);
  int lo = 255, hi = 0;
  for (char c : t.gray) {
    lo = std::min(lo, int(uchar(c)));
    hi = std::max(hi, int(uchar(c)));
  }
  QVERIFY(hi - lo > 100);  // a real radiograph, not a flat image
  const Thumbnail bad = make_thumbnail(shared_data("dicom/broken/MR_truncated.dcm"), 96);
  QVERIFY(!bad.error.isEmpty());
  StudyListModel model;
  model.addRecords(scan_inputs({shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm")}).records);
  const QModelIndex series = model.allSeries().front();
  model.setThumbnail(series.data(StudyListModel::SeriesKeyRole).toString(), t.gray, t.size);
  QCOMPARE(series.data(StudyListModel::ThumbnailSizeRole).toSize(), QSize(96, 96));
}
