#include "vm/analysis_controller.h"

#include "vm/background.h"

#include <QCoreApplication>
#include <QPointer>

namespace cxr::studio {
namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
std::vector<std::string> to_std(const QStringList& list) {
  std::vector<std::string> out;
  for (const auto& s : list) out.push_back(s.toStdString());
  return out;
}
}  // namespace

// What a background job hands back to the UI thread.
struct AnalysisController::Outcome {
  std::shared_ptr<const cxr::core::Analyzer> analyzer;  // the analyzer used (maybe newly created)
  std::shared_ptr<cxr::core::InstanceResult> result;
  std::shared_ptr<cxr::core::TeachReport> teach;
  QString error;
  bool cancelled = false;
};

AnalysisController::AnalysisController(QObject* parent) : QObject(parent) {}

AnalysisController::~AnalysisController() {
  if (cancel_) cancel_->cancel();
}

void AnalysisController::setOptions(const cxr::core::AnalyzerOptions& options) {
  const bool same = options.model_dir == options_.model_dir && options.site_library == options_.site_library &&
                    options.backend == options_.backend && options.heatmaps == options_.heatmaps &&
                    options.operating_point == options_.operating_point && options.prompts_path == options_.prompts_path;
  options_ = options;
  if (!same) analyzer_.reset();
}

void AnalysisController::setBusy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  emit busyChanged(busy_);
}

void AnalysisController::postStage(QPointer<AnalysisController> self, const QString& text) {
  // Called from a worker thread: queue to the application object (always alive), check self there.
  QMetaObject::invokeMethod(QCoreApplication::instance(), [self, text] {
    if (self) emit self->stageChanged(text);
  }, Qt::QueuedConnection);
}

void AnalysisController::cancel() {
  if (cancel_) cancel_->cancel();
}

QString AnalysisController::ensureAnalyzer(QPointer<AnalysisController> self,
                                           std::shared_ptr<const cxr::core::Analyzer>& analyzer,
                                           const cxr::core::AnalyzerOptions& options) {
  if (analyzer) return {};
  postStage(self, QCoreApplication::translate("cxr::studio::AnalysisController", "Loading model…"));
  auto created = cxr::core::Analyzer::create(options);
  if (!created) return qs(created.error().message);
  analyzer = std::move(*created);
  return {};
}

bool AnalysisController::analyze(const QString& path, const QString& notes) {
  if (busy_) return false;
  setBusy(true);
  cancel_ = std::make_shared<cxr::core::CancelToken>();
  auto token = cancel_;
  auto analyzer = analyzer_;
  const auto options = options_;
  const std::string p = path.toStdString(), n = notes.toStdString();
  QPointer<AnalysisController> self(this);
  run_in_background<Outcome>(
      this,
      [=]() mutable -> Outcome {
        Outcome out;
        if (QString error = ensureAnalyzer(self, analyzer, options); !error.isEmpty())
          return Outcome{nullptr, nullptr, nullptr, error};
        out.analyzer = analyzer;
        if (token->cancelled()) return out.cancelled = true, out;
        postStage(self, QCoreApplication::translate("cxr::studio::AnalysisController", "Analysing…"));
        auto result = analyzer->analyze(p, n, token.get());
        if (token->cancelled()) return out.cancelled = true, out;
        if (!result) return out.error = qs(result.error().message), out;
        if (!result->ok()) return out.error = qs(result->error), out;
        out.result = std::make_shared<cxr::core::InstanceResult>(std::move(*result));
        return out;
      },
      [this](const Outcome& o) { finish(o); });
  return true;
}

bool AnalysisController::teach(const QString& finding, const QStringList& positives, const QStringList& negatives,
                               const QString& library_path) {
  if (busy_) return false;
  setBusy(true);
  cancel_ = std::make_shared<cxr::core::CancelToken>();
  auto token = cancel_;
  auto analyzer = analyzer_;
  const auto options = options_;  // site_library is set only when the file exists (main window)
  cxr::core::TeachRequest request{finding.toStdString(), to_std(positives), to_std(negatives),
                                  library_path.toStdString(), {}};
  QPointer<AnalysisController> self(this);
  run_in_background<Outcome>(
      this,
      [=]() mutable -> Outcome {
        Outcome out;
        if (QString error = ensureAnalyzer(self, analyzer, options); !error.isEmpty())
          return Outcome{nullptr, nullptr, nullptr, error};
        postStage(self, QCoreApplication::translate("cxr::studio::AnalysisController", "Teaching…"));
        auto report = cxr::core::teach(*analyzer, request, token.get());
        if (token->cancelled()) return out.analyzer = analyzer, out.cancelled = true, out;
        if (!report) return out.analyzer = analyzer, out.error = qs(report.error().message), out;
        // Re-read the library so the next analysis uses the new adapter.
        // Cheap when the analyzer already reads this library; else the model is loaded again with it.
        auto opts = analyzer->options();
        const bool same_library = opts.site_library == request.library_path;
        opts.site_library = request.library_path;
        auto reloaded = same_library ? analyzer->reload_site_library() : cxr::core::Analyzer::create(opts);
        out.analyzer = reloaded ? std::shared_ptr<const cxr::core::Analyzer>(std::move(*reloaded)) : analyzer;
        if (!reloaded) out.error = qs(reloaded.error().message);
        out.teach = std::make_shared<cxr::core::TeachReport>(std::move(*report));
        return out;
      },
      [this](const Outcome& o) { finish(o); });
  return true;
}

void AnalysisController::finish(const Outcome& o) {
  const bool new_analyzer = o.analyzer && o.analyzer != analyzer_;
  if (o.analyzer) analyzer_ = o.analyzer;
  if (o.teach && o.analyzer) options_.site_library = o.analyzer->options().site_library;
  setBusy(false);
  if (new_analyzer) emit analyzerReady();
  if (o.cancelled) {
    emit cancelled();
  } else if (o.teach) {
    if (!o.error.isEmpty()) emit failed(o.error);
    emit teachFinished(*o.teach);
  } else if (!o.error.isEmpty()) {
    emit failed(o.error);
  } else if (o.result) {
    emit analysisFinished(*o.result);
  }
}

}  // namespace cxr::studio
