// vm/analysis_controller.h — runs the analysis (and teaching) off the UI thread (QtCore only).
//
// Owns the Analyzer (created lazily on first use from the current options, kept while the options
// do not change). One job at a time: analyze()/teach() while busy() are refused (return false).
// Signals are emitted on the controller's (UI) thread. cancel() is cooperative: the running job
// stops at the analyzer's next boundary and cancelled() is emitted instead of finished().
#pragma once

#include "cxr/core/analyzer.h"
#include "cxr/core/teaching.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>

namespace cxr::studio {

class AnalysisController : public QObject {
  Q_OBJECT
 public:
  explicit AnalysisController(QObject* parent = nullptr);
  ~AnalysisController() override;

  // New options drop the cached analyzer (it is re-created by the next job).
  void setOptions(const cxr::core::AnalyzerOptions& options);
  const cxr::core::AnalyzerOptions& options() const { return options_; }
  std::shared_ptr<const cxr::core::Analyzer> analyzer() const { return analyzer_; }

  bool busy() const { return busy_; }
  bool analyze(const QString& path, const QString& notes);
  // Fits the few-shot adapter of `finding` on the examples and re-reads the site library.
  bool teach(const QString& finding, const QStringList& positives, const QStringList& negatives,
             const QString& library_path);
  void cancel();

 signals:
  void busyChanged(bool busy);
  void stageChanged(const QString& text);  // "Loading model…", "Analysing…"
  void analysisFinished(const cxr::core::InstanceResult& result);
  void teachFinished(const cxr::core::TeachReport& report);
  void failed(const QString& message);
  void cancelled();
  void analyzerReady();  // a (new) analyzer exists: findings() may have changed

 private:
  struct Outcome;
  void setBusy(bool busy);
  static void postStage(QPointer<AnalysisController> self, const QString& text);
  // Worker thread: creates the analyzer from options when analyzer is null (reporting the stage).
  // Returns the error message, or an empty string when analyzer is ready.
  static QString ensureAnalyzer(QPointer<AnalysisController> self, std::shared_ptr<const cxr::core::Analyzer>& analyzer,
                                const cxr::core::AnalyzerOptions& options);
  void finish(const Outcome& outcome);

  cxr::core::AnalyzerOptions options_;
  std::shared_ptr<const cxr::core::Analyzer> analyzer_;
  std::shared_ptr<cxr::core::CancelToken> cancel_;
  bool busy_ = false;
};

}  // namespace cxr::studio
