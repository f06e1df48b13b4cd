// ui/main_window.h — the studio's main window: browser (left), viewer (centre), notes + findings and
// teach panels (right), status bar with progress and cancel. Thin: state lives in the view-models
// (vm/), work runs on the thread pool. UI thread only.
#pragma once

#include "ui/exports.h"
#include "vm/analysis_controller.h"
#include "vm/findings_model.h"
#include "vm/image_loader.h"
#include "vm/language.h"
#include "vm/settings.h"
#include "vm/study_list_model.h"
#include "vm/teach_set.h"
#include "vm/window_level.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>

class QAction;
class QActionGroup;
class QComboBox;
class QGroupBox;
class QLabel;
class QListView;
class QListWidget;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QTreeView;
class QDockWidget;
class QTextBrowser;

namespace cxr::studio {

class ImageView;
class ThumbnailProxyModel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  MainWindow(StudioSettings* settings, LanguageManager* language, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Scans paths in the background and shows the first image; done(ok) is called afterwards.
  void openPaths(const QStringList& paths, std::function<void(bool)> done = {});
  void setNotes(const QString& notes);
  // Runs the analysis of the current image; done(ok) is called when it ends.
  void runAnalysis(std::function<void(bool)> done = {});
  void selectFinding(int row);
  // Report of the current analysis: PDF, or PNG when path ends in .png. "" or the error.
  QString saveReportTo(const QString& path);
  // SR (+ heatmap Secondary Capture of the selected finding) into dir.
  DicomExport saveDicomExportsTo(const QString& dir);

  // For --screenshot and tests.
  ImageView* imageView() const { return view_; }
  const FindingsListModel* findingsModel() const { return findings_; }
  const StudyListModel* studyModel() const { return studies_; }
  QString currentPath() const;
  QString lastError() const { return last_error_; }

 protected:
  void changeEvent(QEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createDocks();
  void retranslate();
  void applySettingsToAnalyzer();
  void showSeries(const QModelIndex& series_index, int image_position = 0);
  void showImageAt(int position);
  void stepImage(int delta);
  void stepStudy(int delta);
  void requestThumbnails();
  void onAnalysisFinished(const cxr::core::InstanceResult& result);
  void onFindingSelected();
  void setBusyUi(bool busy);
  void reportError(const QString& message);
  void rebuildRecentMenu();
  void rebuildPacsMenus();
  void rebuildFileWindowMenu();
  void openFileDialog();
  void openFolderDialog();
  void openDicomdirDialog();
  void queryRetrieve();
  void saveReport(const QString& format);  // "pdf" | "png"
  void saveDicomExports();
  void sendToPacs(int node_index);
  void showPreferences();
  void showShortcuts();
  void refreshTeachPanel();
  void markCurrent(TeachSet::Label label);
  void teachCurrentFinding();
  void loadTeachSet();
  QString libraryPath() const;
  QString currentFindingId() const;

  StudioSettings* settings_;
  LanguageManager* language_;
  StudyListModel* studies_;
  ThumbnailProxyModel* thumbnails_;
  FindingsListModel* findings_;
  WindowLevelState* window_level_;
  AnalysisController* analysis_;
  TeachSet teach_set_;

  // Widgets (owned by Qt parents).
  ImageView* view_ = nullptr;
  QTreeView* browser_ = nullptr;
  QDockWidget *browser_dock_ = nullptr, *analysis_dock_ = nullptr, *teach_dock_ = nullptr;
  QGroupBox *notes_box_ = nullptr, *findings_box_ = nullptr;
  QPlainTextEdit* notes_ = nullptr;
  QPushButton *analyze_button_ = nullptr, *cancel_button_ = nullptr;
  QListView* findings_view_ = nullptr;
  QLabel* evidence_title_ = nullptr;
  QLabel* findings_legend_ = nullptr;
  QListWidget* evidence_ = nullptr;
  QLabel* opacity_label_ = nullptr;
  QSlider* opacity_ = nullptr;
  QLabel* disclaimer_ = nullptr;
  QLabel* stage_label_ = nullptr;
  QProgressBar* progress_ = nullptr;
  // Teach panel.
  QLabel *teach_intro_ = nullptr, *teach_finding_label_ = nullptr, *teach_status_ = nullptr, *library_label_ = nullptr;
  QComboBox* teach_finding_ = nullptr;
  QPushButton *mark_positive_ = nullptr, *mark_negative_ = nullptr, *mark_clear_ = nullptr, *teach_button_ = nullptr,
              *library_button_ = nullptr;
  QTextBrowser* teach_report_ = nullptr;

  QMenu *file_menu_ = nullptr, *recent_menu_ = nullptr, *send_menu_ = nullptr, *view_menu_ = nullptr,
        *preset_menu_ = nullptr, *file_window_menu_ = nullptr, *analysis_menu_ = nullptr, *settings_menu_ = nullptr,
        *language_menu_ = nullptr, *help_menu_ = nullptr;
  QHash<QString, QAction*> actions_;
  QActionGroup* language_group_ = nullptr;

  QStringList current_paths_;  // images of the shown series
  int current_position_ = 0;
  QPersistentModelIndex current_series_;
  std::shared_ptr<const ViewerImage> current_image_;
  int load_generation_ = 0;  // drops results of superseded image loads
  QString analysed_path_, analysed_notes_;
  std::function<void(bool)> analysis_done_;
  std::function<void(bool)> open_done_;  // openPaths() caller, told when the first image shows
  QString last_error_;
  QHash<QString, bool> thumbnail_requested_;
};

}  // namespace cxr::studio
