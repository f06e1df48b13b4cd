// Drives the real cxr-studio on the offscreen platform: open a real radiograph from shared/data,
// (analyse it with notes), take a screenshot; check the image area is not blank and the findings
// list holds the prompt set's findings. English and Korean.
#include <QFile>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

namespace {

const QString kRadiograph = QStringLiteral(CXR_SHARED_DATA_DIR "/dicom/xray/rsna_cr_jpeg_baseline.dcm");
const QString kDefaultModel = QStringLiteral(CXR_SOURCE_DIR "/resources/models/cxr-siglip-default");
const QString kNotes = QStringLiteral(
    "Fever and productive cough for three days. Crackles at the right lung base. Rule out pneumonia.");

struct Run {
  int exit_code = -1;
  QString out, err;
  QRect viewer;  // inside the screenshot
  QStringList findings;  // "id p decision"
  QStringList evidence;
};

Run run_studio(const QStringList& args, int timeout_ms) {
  QProcess p;
  p.setProgram(QStringLiteral(CXR_STUDIO_EXE));
  p.setArguments(args);
  p.start();
  Run r;
  if (!p.waitForFinished(timeout_ms)) {
    p.kill();
    p.waitForFinished();
    r.err = QStringLiteral("timed out");
    return r;
  }
  r.exit_code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  for (const QString& line : r.out.split(QLatin1Char('\n'))) {
    if (line.startsWith(QStringLiteral("viewer_rect: "))) {
      const QStringList v = line.mid(13).split(QLatin1Char(' '));
      if (v.size() == 4) r.viewer = QRect(v[0].toInt(), v[1].toInt(), v[2].toInt(), v[3].toInt());
    } else if (line.startsWith(QStringLiteral("finding: "))) {
      r.findings << line.mid(9);
    } else if (line.startsWith(QStringLiteral("evidence: "))) {
      r.evidence << line.mid(10);
    }
  }
  return r;
}

// Standard deviation and the fraction of non-black pixels of the viewer area.
void viewer_stats(const QString& png, const QRect& viewer, double* stddev, double* lit_fraction) {
  const QImage shot = QImage(png).convertToFormat(QImage::Format_Grayscale8);
  const QImage area = shot.copy(viewer);
  double sum = 0, sum2 = 0;
  long lit = 0;
  const long n = static_cast<long>(area.width()) * area.height();
  for (int y = 0; y < area.height(); ++y) {
    const uchar* row = area.constScanLine(y);
    for (int x = 0; x < area.width(); ++x) {
      sum += row[x];
      sum2 += double(row[x]) * row[x];
      lit += row[x] > 16;
    }
  }
  const double mean = sum / std::max(1L, n);
  *stddev = std::sqrt(std::max(0.0, sum2 / std::max(1L, n) - mean * mean));
  *lit_fraction = double(lit) / std::max(1L, n);
}

QSet<QString> prompt_set_ids() {
  QFile f(QStringLiteral(CXR_SOURCE_DIR "/resources/prompts/default.json"));
  QSet<QString> ids;
  if (!f.open(QIODevice::ReadOnly)) return ids;
  for (const auto& v : QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("findings")).toArray())
    ids.insert(v.toObject().value(QStringLiteral("id")).toString());
  return ids;
}

}  // namespace

class StudioGuiTest : public QObject {
  Q_OBJECT
 private slots:
  void opensAndRendersTheRadiograph() { openAndCheck(QStringLiteral("en")); }
  void koreanUserInterfaceRenders() {
    QVERIFY2(!QFontDatabase::families(QFontDatabase::Korean).isEmpty(),
             "no font with Korean glyphs: install fonts-noto-cjk (scripts/setup.sh)");
    openAndCheck(QStringLiteral("ko"));
  }
  void analyzesWithNotesInEnglish() { analyzeAndCheck(QStringLiteral("en")); }
  void analyzesWithNotesInKorean() { analyzeAndCheck(QStringLiteral("ko")); }

 private:
  void openAndCheck(const QString& lang) {
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("shot.png"));
    const Run r = run_studio({"--settings", dir.filePath("s.ini"), "--lang", lang, "--open", kRadiograph,
                              "--screenshot", png, "--quit"}, 90000);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QStringLiteral("image: ") + kRadiograph), qPrintable(r.out));
    QVERIFY(r.viewer.width() > 300 && r.viewer.height() > 300);
    double stddev = 0, lit = 0;
    viewer_stats(png, r.viewer, &stddev, &lit);
    QVERIFY2(stddev > 30, qPrintable(QStringLiteral("viewer looks blank: stddev %1").arg(stddev)));
    QVERIFY2(lit > 0.5, qPrintable(QStringLiteral("viewer mostly black: lit fraction %1").arg(lit)));
    // A missing file is a clear error and exit status 1, not a crash.
    const Run missing = run_studio({"--settings", dir.filePath("s.ini"), "--lang", lang, "--open",
                                    "/nonexistent/cxr.dcm", "--quit"}, 60000);
    QCOMPARE(missing.exit_code, 1);
    QVERIFY2(missing.err.contains(QStringLiteral("/nonexistent/cxr.dcm")), qPrintable(missing.err));
  }

  void analyzeAndCheck(const QString& lang) {
    if (!QFile::exists(kDefaultModel))
      QSKIP(qPrintable(QStringLiteral("the bundled model is not in this checkout: ") + kDefaultModel));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("shot.png"));
    const Run r = run_studio({"--settings", dir.filePath("s.ini"), "--lang", lang, "--device", "cpu", "--model", kDefaultModel, "--open",
                              kRadiograph, "--notes", kNotes, "--analyze", "--finding", "pneumonia",
                              "--screenshot", png, "--report", dir.filePath("report.pdf"), "--export-dicom",
                              dir.filePath("dicom"), "--quit"}, 540000);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err + r.out));
    // The findings list holds exactly the prompt set's findings, each with a probability in [0,1].
    QSet<QString> ids;
    for (const QString& line : r.findings) {
      const QStringList f = line.split(QLatin1Char(' '));
      QCOMPARE(f.size(), 3);
      const double p = f[1].toDouble();
      QVERIFY2(p >= 0 && p <= 1, qPrintable(line));
      QVERIFY2(QStringList({"positive", "negative", "indeterminate"}).contains(f[2]), qPrintable(line));
      ids.insert(f[0]);
    }
    QCOMPARE(ids, prompt_set_ids());
    // The notes name pneumonia: at least one sentence moved a finding.
    QVERIFY2(!r.evidence.isEmpty(), qPrintable(r.out));
    double stddev = 0, lit = 0;
    viewer_stats(png, r.viewer, &stddev, &lit);
    QVERIFY2(stddev > 30, qPrintable(QStringLiteral("viewer looks blank: stddev %1").arg(stddev)));
    // Exports: a PDF report and a DICOM SR (+ the heatmap Secondary Capture of the selected finding).
    QFile pdf(dir.filePath(QStringLiteral("report.pdf")));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(pdf.size() > 10000);
    int dicom_files = 0;
    for (const QString& line : r.out.split(QLatin1Char('\n'))) {
      if (!line.startsWith(QStringLiteral("exported: "))) continue;
      QFile f(line.mid(10));
      QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(line));
      f.seek(128);
      QVERIFY2(f.read(4) == "DICM", qPrintable(line));
      ++dicom_files;
    }
    QCOMPARE(dicom_files, 2);
  }
};

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);  // for QImage/QFontDatabase (offscreen platform)
  StudioGuiTest test;
  // studio_gui_tests <case>: run that case only (each is its own CTest entry).
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  return QTest::qExec(&test, args);
}

#include "studio_gui_test.moc"
