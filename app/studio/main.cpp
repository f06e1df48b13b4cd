// cxr-studio — the radiologist's desktop workstation (docs/studio.md).
//
// Scripting/test interface:
//   cxr-studio [--open PATH]... [--notes TEXT] [--analyze] [--finding ID] [--screenshot OUT.png]
//              [--report OUT.pdf|OUT.png] [--export-dicom DIR] [--send-to NODE] [--lang en|ko] [--model DIR] [--device auto|cpu|gpu] [--settings FILE.ini] [--quit]
// With --quit the process prints a summary on stdout ("image: ...", "finding: <id> <p> <decision>",
// "viewer_rect: x y w h" inside the screenshot) and exits 0 when every requested step worked, 1 if
// one failed (the error is printed on stderr), 2 on a usage error.
#include "cxr/core/disclaimer.h"
#include "ui/image_view.h"
#include "ui/main_window.h"
#include "vm/language.h"
#include "vm/settings.h"

#include "ui/exports.h"

#include <QApplication>
#include <QDir>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QFontDatabase>
#include <QIcon>
#include <QPixmap>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

struct ScriptOptions {
  QStringList open;
  QString notes, screenshot, finding, report, export_dicom, send_to;
  bool notes_set = false, analyze = false, quit = false;
};

void print_summary(const cxr::studio::MainWindow& w) {
  std::printf("image: %s\n", qPrintable(w.currentPath()));
  const auto* f = w.findingsModel();
  for (int r = 0; r < f->rowCount(); ++r) {
    const auto* fr = f->finding(r);
    std::printf("finding: %s %.4f %s\n", fr->id.c_str(), fr->probability, fr->decision.c_str());
    for (const auto& e : fr->evidence) std::printf("evidence: %s %+.3f %s\n", fr->id.c_str(), e.delta_logit, e.sentence.c_str());
  }
  std::fflush(stdout);
}

// Runs the scripted steps one after another, then optionally quits.
class Script : public QObject {
 public:
  Script(cxr::studio::MainWindow* w, cxr::studio::StudioSettings* settings, ScriptOptions o)
      : w_(w), settings_(settings), o_(std::move(o)) {}

  void start() {
    if (o_.open.isEmpty()) return afterAnalysis(true);
    w_->openPaths(o_.open, [this](bool ok) {
      if (!ok) return fail(QStringLiteral("open failed: ") + w_->lastError());
      if (o_.notes_set) w_->setNotes(o_.notes);
      if (!o_.analyze) return afterAnalysis(true);
      w_->runAnalysis([this](bool analysed) {
        if (!analysed) return fail(QStringLiteral("analysis failed: ") + w_->lastError());
        afterAnalysis(true);
      });
    });
  }

 private:
  void afterAnalysis(bool) {
    if (!o_.finding.isEmpty()) {
      const int row = w_->findingsModel()->rowOf(o_.finding);
      if (row < 0) return fail(QStringLiteral("finding not in the results: ") + o_.finding);
      w_->selectFinding(row);
    }
    if (!o_.report.isEmpty()) {
      if (const QString error = w_->saveReportTo(o_.report); !error.isEmpty()) return fail(error);
      std::printf("report: %s\n", qPrintable(o_.report));
    }
    if (!o_.export_dicom.isEmpty()) {
      const auto out = w_->saveDicomExportsTo(o_.export_dicom);
      if (!out.error.isEmpty()) return fail(out.error);
      for (const auto& f : out.files) std::printf("exported: %s\n", qPrintable(f));
    }
    if (!o_.send_to.isEmpty()) {
      // Scripting only: the C-STORE runs on the UI thread here (the menu action runs it in the background).
      const auto nodes = settings_->pacsNodes();
      const auto node = std::find_if(nodes.begin(), nodes.end(), [&](const auto& n) { return n.name == o_.send_to; });
      if (node == nodes.end()) return fail(QStringLiteral("no PACS node named ") + o_.send_to + QStringLiteral(" in the settings"));
      const auto out = w_->saveDicomExportsTo(QDir(settings_->storageDir()).filePath(QStringLiteral("exports")));
      if (!out.error.isEmpty()) return fail(out.error);
      if (const QString error = cxr::studio::send_files(*node, settings_->localIdentity(), out.files); !error.isEmpty())
        return fail(error);
      std::printf("sent: %lld file(s) to %s\n", static_cast<long long>(out.files.size()), qPrintable(node->name));
    }
    // Let pending paints and layout settle before grabbing.
    QTimer::singleShot(300, this, [this] { finish(); });
  }

  void finish() {
    if (!o_.screenshot.isEmpty()) {
      const QPixmap shot = w_->grab();
      if (!shot.save(o_.screenshot, "PNG")) return fail(QStringLiteral("cannot write screenshot ") + o_.screenshot);
      const QRect r(w_->imageView()->mapTo(w_, QPoint(0, 0)), w_->imageView()->size());
      const qreal dpr = shot.devicePixelRatio();
      std::printf("viewer_rect: %d %d %d %d\n", int(r.x() * dpr), int(r.y() * dpr), int(r.width() * dpr), int(r.height() * dpr));
    }
    print_summary(*w_);
    if (o_.quit) QCoreApplication::exit(0);
  }

  void fail(const QString& message) {
    std::fprintf(stderr, "cxr-studio: %s\n", qPrintable(message));
    print_summary(*w_);
    if (o_.quit) QCoreApplication::exit(1);
  }

  cxr::studio::MainWindow* w_;
  cxr::studio::StudioSettings* settings_;
  ScriptOptions o_;
};

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("CXR Assist"));
  QApplication::setApplicationName(QStringLiteral("cxr-studio"));
  QApplication::setApplicationVersion(QStringLiteral(CXR_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cxr-studio.png")));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("CXR Assist Studio. ") + QString::fromUtf8(cxr::core::kDisclaimer));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption open({"o", "open"}, "Open a file, folder or DICOMDIR (repeatable).", "path");
  const QCommandLineOption notes("notes", "Physician's notes replacing the DICOM's clinical text.", "text");
  const QCommandLineOption analyze("analyze", "Run the analysis on the first image.");
  const QCommandLineOption finding("finding", "Select this finding (shows its heatmap).", "id");
  const QCommandLineOption screenshot("screenshot", "Save a screenshot of the window (PNG).", "file");
  const QCommandLineOption lang("lang", "User interface language: en or ko.", "language");
  const QCommandLineOption model("model", "Model folder (default: the bundled model).", "dir");
  const QCommandLineOption device("device", "auto, cpu or gpu.", "device");
  const QCommandLineOption settings_file("settings", "Use this INI file for settings (tests, portable use).", "file");
  const QCommandLineOption report("report", "After the analysis, save the report (PDF, or PNG if the name ends in .png).", "file");
  const QCommandLineOption export_dicom("export-dicom", "After the analysis, write the SR and the heatmap overlay into this folder.", "dir");
  const QCommandLineOption send_to("send-to", "After the analysis, C-STORE the SR and overlay to this configured PACS node (by name).", "node");
  const QCommandLineOption quit("quit", "Quit after the scripted steps; exit status 1 if one failed.");
  parser.addOptions({open, notes, analyze, finding, screenshot, report, export_dicom, send_to, lang, model, device, settings_file, quit});
  parser.process(app);
  for (const auto& l : {parser.value(lang)})
    if (!l.isEmpty() && !cxr::studio::LanguageManager::availableLanguages().contains(l)) {
      std::fprintf(stderr, "cxr-studio: unknown language '%s' (use en or ko)\n", qPrintable(l));
      return 2;
    }
  if (parser.isSet(device) && !QStringList{"auto", "cpu", "gpu"}.contains(parser.value(device))) {
    std::fprintf(stderr, "cxr-studio: unknown device '%s' (use auto, cpu or gpu)\n", qPrintable(parser.value(device)));
    return 2;
  }

  auto settings = parser.isSet(settings_file) ? std::make_unique<cxr::studio::StudioSettings>(parser.value(settings_file))
                                              : std::make_unique<cxr::studio::StudioSettings>();
  if (parser.isSet(model)) settings->setModelDir(QFileInfo(parser.value(model)).absoluteFilePath());
  if (parser.isSet(device)) settings->setDevice(parser.value(device));
  if (parser.isSet(lang)) settings->setLanguage(parser.value(lang));

  // Korean needs a CJK font; prefer Noto (fonts-noto-cjk) when present.
  QFont ui_font = QApplication::font();
  ui_font.setFamilies({QStringLiteral("Noto Sans"), QStringLiteral("Noto Sans CJK KR"), ui_font.family()});
  if (ui_font.pointSizeF() < 10) ui_font.setPointSizeF(10);
  QApplication::setFont(ui_font);

  cxr::studio::LanguageManager language;
  language.setLanguage(settings->language());

  cxr::studio::MainWindow window(settings.get(), &language);
  window.show();

  ScriptOptions script;
  script.open = parser.values(open);
  for (const auto& p : parser.positionalArguments()) script.open << p;
  script.notes = parser.value(notes);
  script.notes_set = parser.isSet(notes);
  script.analyze = parser.isSet(analyze);
  script.finding = parser.value(finding);
  script.screenshot = parser.value(screenshot);
  script.report = parser.value(report);
  script.export_dicom = parser.value(export_dicom);
  script.send_to = parser.value(send_to);
  script.quit = parser.isSet(quit);
  Script runner(&window, settings.get(), script);
  QTimer::singleShot(0, &runner, [&runner] { runner.start(); });
  return app.exec();
}
