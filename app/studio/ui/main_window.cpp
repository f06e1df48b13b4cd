#include "ui/main_window.h"

#include "cxr/core/disclaimer.h"
#include "ui/dialogs.h"
#include "ui/exports.h"
#include "ui/finding_delegate.h"
#include "ui/image_view.h"
#include "ui/thumbnail_proxy.h"
#include "vm/background.h"
#include "vm/thumbnail.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBrowser>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <cmath>

namespace cxr::studio {
namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

MainWindow::MainWindow(StudioSettings* settings, LanguageManager* language, QWidget* parent)
    : QMainWindow(parent),
      settings_(settings),
      language_(language),
      studies_(new StudyListModel(this)),
      thumbnails_(new ThumbnailProxyModel(this)),
      findings_(new FindingsListModel(this)),
      window_level_(new WindowLevelState(this)),
      analysis_(new AnalysisController(this)) {
  thumbnails_->setSourceModel(studies_);
  findings_->setLanguage(language_->language());
  view_ = new ImageView(window_level_, this);
  setCentralWidget(view_);
  createActions();
  createDocks();
  createMenus();

  stage_label_ = new QLabel(this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 0);  // busy indicator: the analyzer reports stages, not fractions
  progress_->setMaximumWidth(160);
  progress_->setVisible(false);
  cancel_button_ = new QPushButton(this);
  cancel_button_->setVisible(false);
  statusBar()->addWidget(stage_label_, 1);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(cancel_button_);
  connect(cancel_button_, &QPushButton::clicked, analysis_, &AnalysisController::cancel);

  connect(analysis_, &AnalysisController::busyChanged, this, &MainWindow::setBusyUi);
  connect(analysis_, &AnalysisController::stageChanged, stage_label_, &QLabel::setText);
  connect(analysis_, &AnalysisController::analysisFinished, this, &MainWindow::onAnalysisFinished);
  connect(analysis_, &AnalysisController::failed, this, [this](const QString& message) {
    reportError(message);
    if (auto done = std::exchange(analysis_done_, {})) done(false);
  });
  connect(analysis_, &AnalysisController::cancelled, this, [this] {
    stage_label_->setText(tr("Analysis cancelled."));
    if (auto done = std::exchange(analysis_done_, {})) done(false);
  });
  connect(analysis_, &AnalysisController::analyzerReady, this, &MainWindow::refreshTeachPanel);
  connect(analysis_, &AnalysisController::teachFinished, this, [this](const cxr::core::TeachReport& r) {
    teach_report_->setHtml(tr("<p><b>%1</b>: adapter updated from %2 positive and %3 negative studies.</p>"
                              "<p>Leave-one-out AUC on these examples: zero-shot %4, site adapter %5.</p>"
                              "<p>Library: %6</p>")
                               .arg(teach_finding_->currentText())
                               .arg(r.positives)
                               .arg(r.negatives)
                               .arg(std::isnan(r.loo_auc_zero_shot) ? tr("n/a (too few examples)") : QString::number(r.loo_auc_zero_shot, 'f', 3))
                               .arg(std::isnan(r.loo_auc_adapter) ? tr("n/a (too few examples)") : QString::number(r.loo_auc_adapter, 'f', 3))
                               .arg(qs(r.library_path).toHtmlEscaped()) +
                           (r.failed.empty() ? QString() : tr("<p>Not used: %1</p>").arg(qs(r.failed.front()).toHtmlEscaped())));
    settings_->setSiteLibrary(qs(r.library_path));
    refreshTeachPanel();
    stage_label_->setText(tr("Site adapter updated; analyse again to use it."));
  });
  connect(language_, &LanguageManager::languageChanged, findings_, &FindingsListModel::setLanguage);
  connect(settings_, &StudioSettings::changed, this, &MainWindow::applySettingsToAnalyzer);

  applySettingsToAnalyzer();
  loadTeachSet();
  retranslate();
  resize(1500, 960);
}

MainWindow::~MainWindow() { analysis_->cancel(); }

// ---- actions and menus ------------------------------------------------------------------------

void MainWindow::createActions() {
  auto add = [this](const QString& id, QKeySequence key, std::function<void()> slot) {
    auto* a = new QAction(this);
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, std::move(slot));
    addAction(a);  // shortcuts work even when the menu bar is hidden
    actions_[id] = a;
    return a;
  };
  add("open_file", QKeySequence::Open, [this] { openFileDialog(); });
  add("open_folder", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] { openFolderDialog(); });
  add("open_dicomdir", {}, [this] { openDicomdirDialog(); });
  add("query_pacs", QKeySequence(Qt::CTRL | Qt::Key_R), [this] { queryRetrieve(); });
  add("save_pdf", QKeySequence::Print, [this] { saveReport(QStringLiteral("pdf")); });
  add("save_png", {}, [this] { saveReport(QStringLiteral("png")); });
  add("save_dicom", QKeySequence::Save, [this] { saveDicomExports(); });
  add("quit", QKeySequence::Quit, [this] { close(); });
  add("preset_default", QKeySequence(Qt::Key_0), [this] { window_level_->applyPreset(PresetId::kDefault); });
  add("preset_lung", QKeySequence(Qt::Key_1), [this] { window_level_->applyPreset(PresetId::kLung); });
  add("preset_mediastinum", QKeySequence(Qt::Key_2), [this] { window_level_->applyPreset(PresetId::kMediastinum); });
  add("preset_bone", QKeySequence(Qt::Key_3), [this] { window_level_->applyPreset(PresetId::kBone); });
  add("preset_full", QKeySequence(Qt::Key_4), [this] { window_level_->applyPreset(PresetId::kFullRange); });
  add("invert", QKeySequence(Qt::Key_I), [this] { window_level_->toggleInverted(); });
  add("rotate_cw", QKeySequence(Qt::Key_R), [this] { window_level_->rotateClockwise(); });
  add("rotate_ccw", QKeySequence(Qt::SHIFT | Qt::Key_R), [this] { window_level_->rotateCounterClockwise(); });
  add("flip_h", QKeySequence(Qt::Key_H), [this] { window_level_->flipHorizontally(); });
  add("flip_v", QKeySequence(Qt::Key_V), [this] { window_level_->flipVertically(); });
  add("fit", QKeySequence(Qt::Key_F), [this] { window_level_->setFit(); });
  add("one_to_one", QKeySequence(Qt::Key_Z), [this] { window_level_->setOneToOne(); });
  add("reset_view", QKeySequence(Qt::CTRL | Qt::Key_0), [this] { window_level_->resetGeometry(); });
  auto* overlays = add("overlays", QKeySequence(Qt::Key_O), [this] { view_->setOverlaysVisible(!view_->overlaysVisible()); });
  overlays->setCheckable(true);
  overlays->setChecked(true);
  add("next_image", QKeySequence(Qt::Key_PageDown), [this] { stepImage(1); });
  add("prev_image", QKeySequence(Qt::Key_PageUp), [this] { stepImage(-1); });
  add("next_study", QKeySequence(Qt::CTRL | Qt::Key_PageDown), [this] { stepStudy(1); });
  add("prev_study", QKeySequence(Qt::CTRL | Qt::Key_PageUp), [this] { stepStudy(-1); });
  add("analyze", QKeySequence(Qt::Key_F5), [this] { runAnalysis(); });
  add("cancel", QKeySequence(Qt::Key_Escape), [this] { analysis_->cancel(); });
  add("preferences", QKeySequence::Preferences, [this] { showPreferences(); });
  add("shortcuts", QKeySequence::HelpContents, [this] { showShortcuts(); });
  add("about", {}, [this] {
    QMessageBox::about(this, tr("About CXR Assist Studio"),
                       tr("<b>CXR Assist Studio</b> %1<br>Chest X-ray decision support.<br><br>%2")
                           .arg(QStringLiteral(CXR_VERSION), QString::fromUtf8(cxr::core::kDisclaimer)));
  });
  actions_["analyze"]->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_Return)});
  language_group_ = new QActionGroup(this);
  for (const auto& lang : LanguageManager::availableLanguages()) {
    auto* a = new QAction(LanguageManager::nativeName(lang), this);
    a->setCheckable(true);
    a->setChecked(lang == language_->language());
    a->setData(lang);
    language_group_->addAction(a);
    connect(a, &QAction::triggered, this, [this, lang] {
      if (language_->setLanguage(lang)) settings_->setLanguage(lang);
    });
  }
}

void MainWindow::createMenus() {
  file_menu_ = menuBar()->addMenu(QString());
  for (const char* id : {"open_file", "open_folder", "open_dicomdir", "query_pacs"}) file_menu_->addAction(actions_[id]);
  recent_menu_ = file_menu_->addMenu(QString());
  file_menu_->addSeparator();
  for (const char* id : {"save_pdf", "save_png", "save_dicom"}) file_menu_->addAction(actions_[id]);
  send_menu_ = file_menu_->addMenu(QString());
  file_menu_->addSeparator();
  file_menu_->addAction(actions_["quit"]);

  view_menu_ = menuBar()->addMenu(QString());
  preset_menu_ = view_menu_->addMenu(QString());
  for (const char* id : {"preset_default", "preset_lung", "preset_mediastinum", "preset_bone", "preset_full"})
    preset_menu_->addAction(actions_[id]);
  file_window_menu_ = preset_menu_->addMenu(QString());
  for (const char* id : {"invert", "rotate_cw", "rotate_ccw", "flip_h", "flip_v", "fit", "one_to_one", "reset_view", "overlays"})
    view_menu_->addAction(actions_[id]);
  view_menu_->addSeparator();
  for (const char* id : {"next_image", "prev_image", "next_study", "prev_study"}) view_menu_->addAction(actions_[id]);
  view_menu_->addSeparator();
  view_menu_->addAction(browser_dock_->toggleViewAction());
  view_menu_->addAction(analysis_dock_->toggleViewAction());
  view_menu_->addAction(teach_dock_->toggleViewAction());

  analysis_menu_ = menuBar()->addMenu(QString());
  analysis_menu_->addAction(actions_["analyze"]);
  analysis_menu_->addAction(actions_["cancel"]);

  settings_menu_ = menuBar()->addMenu(QString());
  settings_menu_->addAction(actions_["preferences"]);
  language_menu_ = settings_menu_->addMenu(QString());
  language_menu_->addActions(language_group_->actions());

  help_menu_ = menuBar()->addMenu(QString());
  help_menu_->addAction(actions_["shortcuts"]);
  help_menu_->addAction(actions_["about"]);

  auto* toolbar = addToolBar(QStringLiteral("main"));
  toolbar->setObjectName(QStringLiteral("main_toolbar"));
  toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  for (const char* id : {"open_file", "open_folder", "query_pacs"}) toolbar->addAction(actions_[id]);
  toolbar->addSeparator();
  for (const char* id : {"preset_lung", "preset_mediastinum", "preset_bone", "invert", "fit", "one_to_one"})
    toolbar->addAction(actions_[id]);
  toolbar->addSeparator();
  toolbar->addAction(actions_["analyze"]);
  toolbar->addAction(actions_["save_pdf"]);

  rebuildRecentMenu();
  rebuildPacsMenus();
  connect(settings_, &StudioSettings::changed, this, [this] {
    rebuildRecentMenu();
    rebuildPacsMenus();
  });
}

void MainWindow::createDocks() {
  // Browser.
  browser_ = new QTreeView(this);
  browser_->setModel(thumbnails_);
  browser_->setIconSize(QSize(56, 56));
  browser_->setUniformRowHeights(false);
  browser_->header()->setVisible(false);
  browser_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  connect(browser_, &QTreeView::activated, this, [this](const QModelIndex& proxy_index) {
    QModelIndex i = thumbnails_->mapToSource(proxy_index);
    if (static_cast<StudyListModel::Kind>(i.data(StudyListModel::KindRole).toInt()) != StudyListModel::Kind::kSeries) {
      while (i.isValid() && studies_->rowCount(i) > 0 &&
             static_cast<StudyListModel::Kind>(i.data(StudyListModel::KindRole).toInt()) != StudyListModel::Kind::kSeries)
        i = studies_->index(0, 0, i);
    }
    if (i.isValid()) showSeries(i);
  });
  connect(browser_, &QTreeView::clicked, browser_, &QTreeView::activated);
  browser_dock_ = new QDockWidget(this);
  browser_dock_->setObjectName(QStringLiteral("browser_dock"));
  browser_dock_->setWidget(browser_);
  addDockWidget(Qt::LeftDockWidgetArea, browser_dock_);

  // Notes + findings.
  auto* analysis_panel = new QSplitter(Qt::Vertical, this);
  notes_box_ = new QGroupBox(this);
  notes_ = new QPlainTextEdit(this);
  analyze_button_ = new QPushButton(this);
  connect(analyze_button_, &QPushButton::clicked, this, [this] { runAnalysis(); });
  auto* notes_layout = new QVBoxLayout(notes_box_);
  notes_layout->addWidget(notes_);
  notes_layout->addWidget(analyze_button_);
  findings_box_ = new QGroupBox(this);
  findings_view_ = new QListView(this);
  findings_view_->setModel(findings_);
  findings_view_->setItemDelegate(new FindingDelegate(findings_view_));
  findings_view_->setSelectionMode(QAbstractItemView::SingleSelection);
  connect(findings_view_->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onFindingSelected);
  evidence_title_ = new QLabel(this);
  evidence_ = new QListWidget(this);
  evidence_->setWordWrap(true);
  evidence_->setMaximumHeight(150);
  opacity_label_ = new QLabel(this);
  opacity_ = new QSlider(Qt::Horizontal, this);
  opacity_->setRange(0, 100);
  opacity_->setValue(45);
  connect(opacity_, &QSlider::valueChanged, this, [this](int v) { view_->setHeatmapOpacity(v / 100.0); });
  disclaimer_ = new QLabel(this);
  disclaimer_->setWordWrap(true);
  disclaimer_->setStyleSheet(QStringLiteral("color: #b00000; font-weight: bold;"));
  auto* opacity_row = new QHBoxLayout;
  opacity_row->addWidget(opacity_label_);
  opacity_row->addWidget(opacity_, 1);
  auto* findings_layout = new QVBoxLayout(findings_box_);
  findings_legend_ = new QLabel(this);
  findings_legend_->setWordWrap(true);
  findings_layout->addWidget(findings_view_, 3);
  findings_layout->addWidget(findings_legend_);
  findings_layout->addLayout(opacity_row);
  findings_layout->addWidget(evidence_title_);
  findings_layout->addWidget(evidence_, 1);
  findings_layout->addWidget(disclaimer_);
  analysis_panel->addWidget(notes_box_);
  analysis_panel->addWidget(findings_box_);
  analysis_panel->setStretchFactor(0, 1);
  analysis_panel->setStretchFactor(1, 3);
  analysis_dock_ = new QDockWidget(this);
  analysis_dock_->setObjectName(QStringLiteral("analysis_dock"));
  analysis_dock_->setWidget(analysis_panel);
  analysis_dock_->setMinimumWidth(380);
  addDockWidget(Qt::RightDockWidgetArea, analysis_dock_);

  // Teach.
  auto* teach_panel = new QWidget(this);
  teach_intro_ = new QLabel(this);
  teach_intro_->setWordWrap(true);
  teach_finding_label_ = new QLabel(this);
  teach_finding_ = new QComboBox(this);
  mark_positive_ = new QPushButton(this);
  mark_negative_ = new QPushButton(this);
  mark_clear_ = new QPushButton(this);
  teach_button_ = new QPushButton(this);
  teach_status_ = new QLabel(this);
  teach_status_->setWordWrap(true);
  library_label_ = new QLabel(this);
  library_label_->setWordWrap(true);
  library_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  library_button_ = new QPushButton(this);
  teach_report_ = new QTextBrowser(this);
  connect(teach_finding_, &QComboBox::currentIndexChanged, this, [this] { refreshTeachPanel(); });
  connect(mark_positive_, &QPushButton::clicked, this, [this] { markCurrent(TeachSet::Label::kPositive); });
  connect(mark_negative_, &QPushButton::clicked, this, [this] { markCurrent(TeachSet::Label::kNegative); });
  connect(mark_clear_, &QPushButton::clicked, this, [this] { markCurrent(TeachSet::Label::kNone); });
  connect(teach_button_, &QPushButton::clicked, this, [this] { teachCurrentFinding(); });
  connect(library_button_, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Site library"), libraryPath(), tr("Site library (*.json)"),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) return;
    settings_->setSiteLibrary(path);
    loadTeachSet();
  });
  auto* marks = new QHBoxLayout;
  marks->addWidget(mark_positive_);
  marks->addWidget(mark_negative_);
  marks->addWidget(mark_clear_);
  auto* teach_layout = new QVBoxLayout(teach_panel);
  teach_layout->addWidget(teach_intro_);
  teach_layout->addWidget(teach_finding_label_);
  teach_layout->addWidget(teach_finding_);
  teach_layout->addLayout(marks);
  teach_layout->addWidget(teach_status_);
  teach_layout->addWidget(teach_button_);
  teach_layout->addWidget(teach_report_, 1);
  teach_layout->addWidget(library_label_);
  teach_layout->addWidget(library_button_);
  teach_dock_ = new QDockWidget(this);
  teach_dock_->setObjectName(QStringLiteral("teach_dock"));
  teach_dock_->setWidget(teach_panel);
  addDockWidget(Qt::RightDockWidgetArea, teach_dock_);
  tabifyDockWidget(analysis_dock_, teach_dock_);
  analysis_dock_->raise();
  resizeDocks({browser_dock_, analysis_dock_}, {300, 420}, Qt::Horizontal);
}

void MainWindow::retranslate() {
  setWindowTitle(tr("CXR Assist Studio — decision support"));
  const QHash<QString, QString> texts{
      {"open_file", tr("&Open file…")}, {"open_folder", tr("Open &folder…")}, {"open_dicomdir", tr("Open &DICOMDIR…")},
      {"query_pacs", tr("&Query/retrieve PACS…")}, {"save_pdf", tr("Save report as &PDF…")},
      {"save_png", tr("Save report as P&NG…")}, {"save_dicom", tr("&Save SR and overlay to disk…")}, {"quit", tr("&Quit")},
      {"preset_default", tr("File default window")}, {"preset_lung", tr("Lung")}, {"preset_mediastinum", tr("Mediastinum")},
      {"preset_bone", tr("Bone")}, {"preset_full", tr("Full range")}, {"invert", tr("Invert")},
      {"rotate_cw", tr("Rotate clockwise")}, {"rotate_ccw", tr("Rotate counter-clockwise")},
      {"flip_h", tr("Flip horizontally")}, {"flip_v", tr("Flip vertically")}, {"fit", tr("Fit to window")},
      {"one_to_one", tr("Actual pixels (1:1)")}, {"reset_view", tr("Reset view")}, {"overlays", tr("Show overlays")},
      {"next_image", tr("Next image")}, {"prev_image", tr("Previous image")}, {"next_study", tr("Next study")},
      {"prev_study", tr("Previous study")}, {"analyze", tr("Run &analysis")}, {"cancel", tr("Cancel analysis")},
      {"preferences", tr("&Preferences…")}, {"shortcuts", tr("&Keyboard shortcuts")}, {"about", tr("&About")}};
  for (auto it = texts.begin(); it != texts.end(); ++it) {
    QAction* a = actions_.value(it.key());
    a->setText(it.value());
    a->setToolTip(a->shortcut().isEmpty() ? QString(it.value()).remove(QLatin1Char('&')).remove(QStringLiteral("…"))
                                          : QStringLiteral("%1 (%2)").arg(QString(it.value()).remove(QLatin1Char('&')).remove(QStringLiteral("…")),
                                                                          a->shortcut().toString(QKeySequence::NativeText)));
  }
  file_menu_->setTitle(tr("&File"));
  recent_menu_->setTitle(tr("&Recent studies"));
  send_menu_->setTitle(tr("Send SR and overlay to &PACS"));
  view_menu_->setTitle(tr("&View"));
  preset_menu_->setTitle(tr("&Window presets"));
  file_window_menu_->setTitle(tr("Windows in the file"));
  analysis_menu_->setTitle(tr("&Analysis"));
  settings_menu_->setTitle(tr("&Settings"));
  language_menu_->setTitle(tr("&Language"));
  help_menu_->setTitle(tr("&Help"));
  browser_dock_->setWindowTitle(tr("Studies"));
  analysis_dock_->setWindowTitle(tr("Notes and findings"));
  teach_dock_->setWindowTitle(tr("Teach"));
  notes_box_->setTitle(tr("Physician's notes"));
  notes_->setPlaceholderText(tr("Clinical history, symptoms, the question to answer… (prefilled from the DICOM request)"));
  analyze_button_->setText(tr("Run analysis (F5)"));
  findings_box_->setTitle(tr("Suggested findings"));
  evidence_title_->setText(tr("Note sentences that moved the selected finding:"));
  findings_legend_->setText(tr("Bar: probability; tick: operating point; orange and bold: above it. "
                               "* not validated for this finding; ⚑ scored by the site adapter."));
  opacity_label_->setText(tr("Heatmap opacity"));
  disclaimer_->setText(tr("Decision support only: these suggestions are not a diagnosis and must be reviewed by a qualified physician."));
  cancel_button_->setText(tr("Cancel"));
  teach_intro_->setText(tr("Teach the site model: mark studies as showing or not showing a finding, then update its few-shot adapter."));
  teach_finding_label_->setText(tr("Finding:"));
  mark_positive_->setText(tr("Mark positive"));
  mark_negative_->setText(tr("Mark negative"));
  mark_clear_->setText(tr("Unmark"));
  teach_button_->setText(tr("Update adapter and evaluate"));
  library_button_->setText(tr("Choose site library…"));
  rebuildRecentMenu();
  rebuildPacsMenus();
  rebuildFileWindowMenu();
  refreshTeachPanel();
  if (!current_image_ && stage_label_) stage_label_->setText(tr("Open a study to begin."));
  view_->update();
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) {
    retranslate();
    for (auto* a : language_group_->actions()) a->setChecked(a->data().toString() == language_->language());
  }
  QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  analysis_->cancel();
  settings_->sync();
  event->accept();
}

void MainWindow::rebuildRecentMenu() {
  if (!recent_menu_) return;
  recent_menu_->clear();
  const QStringList recent = settings_->recentStudies();
  for (const auto& path : recent)
    recent_menu_->addAction(QFileInfo(path).fileName().isEmpty() ? path : path, this, [this, path] { openPaths({path}); });
  if (recent.isEmpty()) recent_menu_->addAction(tr("(none)"))->setEnabled(false);
  else {
    recent_menu_->addSeparator();
    recent_menu_->addAction(tr("Clear list"), this, [this] { settings_->clearRecentStudies(); });
  }
}

void MainWindow::rebuildPacsMenus() {
  if (!send_menu_) return;
  send_menu_->clear();
  const auto nodes = settings_->pacsNodes();
  for (int i = 0; i < nodes.size(); ++i)
    send_menu_->addAction(QStringLiteral("%1 (%2)").arg(nodes[i].name, pacs_node_peer_text(nodes[i])), this, [this, i] { sendToPacs(i); });
  if (nodes.isEmpty()) send_menu_->addAction(tr("(no PACS node configured: Settings › Preferences)"))->setEnabled(false);
}

void MainWindow::rebuildFileWindowMenu() {
  if (!file_window_menu_) return;
  file_window_menu_->clear();
  const auto& windows = window_level_->fileWindows();
  for (int i = 0; i < static_cast<int>(windows.size()); ++i)
    file_window_menu_->addAction(QStringLiteral("%1 (W %2, L %3)").arg(windows[i].name).arg(windows[i].width).arg(windows[i].center),
                                 this, [this, i] { window_level_->applyFileWindow(i); });
  file_window_menu_->setEnabled(!windows.empty());
}

// ---- opening and browsing ---------------------------------------------------------------------

void MainWindow::openFileDialog() {
  const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open images"), QString(),
                                                          tr("DICOM and images (*.dcm *.DCM *.dicom *.png *.jpg *.jpeg *);;All files (*)"));
  if (!files.isEmpty()) openPaths(files);
}

void MainWindow::openFolderDialog() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open folder"));
  if (!dir.isEmpty()) openPaths({dir});
}

void MainWindow::openDicomdirDialog() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open DICOMDIR"), QString(), tr("DICOMDIR (DICOMDIR dicomdir);;All files (*)"));
  if (!file.isEmpty()) openPaths({file});
}

void MainWindow::openPaths(const QStringList& paths, std::function<void(bool)> done) {
  stage_label_->setText(tr("Reading %n item(s)…", nullptr, static_cast<int>(paths.size())));
  run_in_background<std::shared_ptr<ScanResult>>(
      this, [paths] { return std::make_shared<ScanResult>(scan_inputs(paths)); },
      [this, paths, done](const std::shared_ptr<ScanResult>& scan) {
        const int added = studies_->addRecords(scan->records);
        requestThumbnails();
        for (const auto& p : paths) settings_->addRecentStudy(p);
        browser_->expandAll();
        QString message = tr("%n image(s) found.", nullptr, static_cast<int>(scan->records.size()));
        if (!scan->notes.isEmpty()) message += QLatin1Char(' ') + tr("%n file(s) skipped (see tooltip).", nullptr, static_cast<int>(scan->notes.size()));
        stage_label_->setText(message);
        stage_label_->setToolTip(scan->notes.mid(0, 20).join(QLatin1Char('\n')));
        if (scan->records.empty()) {
          reportError(scan->notes.isEmpty() ? tr("No image found in %1.").arg(paths.join(QStringLiteral(", "))) : scan->notes.front());
          if (done) done(false);
          return;
        }
        Q_UNUSED(added);
        open_done_ = done;
        showSeries(studies_->seriesIndexForPath(scan->records.front().path));
      });
}

void MainWindow::requestThumbnails() {
  for (const QModelIndex& series : studies_->allSeries()) {
    const QString key = series.data(StudyListModel::SeriesKeyRole).toString();
    const QString path = series.data(StudyListModel::FirstPathRole).toString();
    if (path.isEmpty() || thumbnail_requested_.contains(key)) continue;
    thumbnail_requested_[key] = true;
    run_in_background<Thumbnail>(
        this, [path] { return make_thumbnail(path, 96); },
        [this, key](const Thumbnail& t) {
          if (t.error.isEmpty()) studies_->setThumbnail(key, t.gray, t.size);
        });
  }
}

void MainWindow::showSeries(const QModelIndex& series_index, int image_position) {
  if (!series_index.isValid()) return;
  current_series_ = series_index;
  current_paths_ = series_index.data(StudyListModel::ImagePathsRole).toStringList();
  browser_->setCurrentIndex(thumbnails_->mapFromSource(series_index));
  showImageAt(image_position);
}

void MainWindow::showImageAt(int position) {
  if (current_paths_.isEmpty()) return;
  current_position_ = std::clamp(position, 0, static_cast<int>(current_paths_.size()) - 1);
  const QString path = current_paths_[current_position_];
  const int generation = ++load_generation_;
  stage_label_->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
  run_in_background<ViewerImageResult>(
      this, [path] { return load_viewer_image(path); },
      [this, generation](const ViewerImageResult& r) {
        if (generation != load_generation_) return;  // the user moved on
        auto done = std::exchange(open_done_, {});
        if (!r.image) {
          reportError(r.error);
          if (done) done(false);
          return;
        }
        current_image_ = r.image;
        findings_->clear();
        evidence_->clear();
        analysed_path_.clear();
        notes_->setPlainText(QString::fromStdString(r.image->meta.clinical_text));
        view_->setImage(r.image, current_position_ + 1, static_cast<int>(current_paths_.size()));
        rebuildFileWindowMenu();
        refreshTeachPanel();
        stage_label_->setText(tr("Ready. Edit the notes if needed, then run the analysis (F5)."));
        if (done) done(true);
      });
}

void MainWindow::stepImage(int delta) {
  if (current_paths_.size() > 1) showImageAt((current_position_ + delta + current_paths_.size()) % current_paths_.size());
}

void MainWindow::stepStudy(int delta) {
  const QModelIndex next = studies_->neighbourStudySeries(current_series_, delta);
  if (next.isValid()) showSeries(next);
}

QString MainWindow::currentPath() const { return current_image_ ? current_image_->path : QString(); }

void MainWindow::setNotes(const QString& notes) { notes_->setPlainText(notes); }

// ---- analysis ---------------------------------------------------------------------------------

void MainWindow::applySettingsToAnalyzer() {
  cxr::core::AnalyzerOptions o;
  o.model_dir = settings_->modelDir().toStdString();
  o.backend = StudioSettings::backendForDevice(settings_->device()).toStdString();
  // Settings can come from another machine: a precision this one cannot run falls back to fp32, and
  // the status line says why, instead of every analysis failing.
  const QString precision = settings_->precision();
  const QString why = StudioSettings::precisionUnavailableReason(settings_->device(), precision);
  o.precision = why.isEmpty() ? precision.toStdString() : "fp32";
  if (!why.isEmpty()) stage_label_->setText(tr("Using fp32: %1").arg(why));
  const QString library = settings_->siteLibrary();
  if (!library.isEmpty() && QFileInfo::exists(library)) o.site_library = library.toStdString();
  o.operating_point = settings_->operatingPoint().toStdString();
  o.heatmaps = true;
  analysis_->setOptions(o);
}

void MainWindow::runAnalysis(std::function<void(bool)> done) {
  if (!current_image_) {
    reportError(tr("Open an image before running the analysis."));
    if (done) done(false);
    return;
  }
  analysed_path_ = current_image_->path;
  analysed_notes_ = notes_->toPlainText();
  analysis_done_ = std::move(done);
  if (!analysis_->analyze(analysed_path_, analysed_notes_)) {
    stage_label_->setText(tr("An analysis is already running."));
    if (auto d = std::exchange(analysis_done_, {})) d(false);
  }
}

void MainWindow::setBusyUi(bool busy) {
  progress_->setVisible(busy);
  cancel_button_->setVisible(busy);
  analyze_button_->setEnabled(!busy);
  actions_["analyze"]->setEnabled(!busy);
  teach_button_->setEnabled(!busy);
}

void MainWindow::onAnalysisFinished(const cxr::core::InstanceResult& result) {
  if (!current_image_ || QString::fromStdString(result.path) != current_image_->path) {
    stage_label_->setText(tr("Analysis finished for an image that is no longer shown; run it again."));
    if (auto done = std::exchange(analysis_done_, {})) done(false);
    return;
  }
  findings_->setResult(result);
  int positives = 0;
  for (const auto& f : result.findings) positives += f.probability >= f.threshold;
  stage_label_->setText(tr("Analysis done: %n finding(s) above the operating point.", nullptr, positives));
  if (!result.warnings.empty()) stage_label_->setToolTip(QString::fromStdString(result.warnings.front()));
  if (findings_->rowCount() > 0) selectFinding(0);
  if (auto done = std::exchange(analysis_done_, {})) done(true);
}

void MainWindow::selectFinding(int row) {
  if (row < 0 || row >= findings_->rowCount()) return;
  findings_view_->setCurrentIndex(findings_->index(row));
}

void MainWindow::onFindingSelected() {
  evidence_->clear();
  const cxr::core::FindingResult* f = findings_->finding(findings_view_->currentIndex().row());
  if (!f) {
    view_->clearHeatmap();
    return;
  }
  for (const auto& e : f->evidence) evidence_->addItem(format_evidence(e));
  if (f->evidence.empty()) evidence_->addItem(tr("(no note sentence moved this finding)"));
  const QString label = tr("%1 %2% — heatmap").arg(findings_->displayName(*f)).arg(f->probability * 100.0, 0, 'f', 0);
  if (f->heatmap_grid > 0) view_->setHeatmap(f->heatmap, f->heatmap_grid, findings_->result().content_box, label);
  else view_->clearHeatmap();
  const int teach_index = teach_finding_->findData(QString::fromStdString(f->id));
  if (teach_index >= 0) teach_finding_->setCurrentIndex(teach_index);
}

void MainWindow::reportError(const QString& message) {
  last_error_ = message;
  stage_label_->setText(message);
  statusBar()->showMessage(message, 10000);
  if (isVisible() && !QApplication::platformName().contains(QLatin1String("offscreen")))
    QMessageBox::warning(this, tr("CXR Assist Studio"), message);
}

// ---- teaching ---------------------------------------------------------------------------------

QString MainWindow::libraryPath() const {
  const QString configured = settings_->siteLibrary();
  return configured.isEmpty() ? QDir(settings_->storageDir()).filePath(QStringLiteral("site-library.json")) : configured;
}

void MainWindow::loadTeachSet() {
  const QString error = teach_set_.load(TeachSet::pathForLibrary(libraryPath()));
  if (!error.isEmpty()) reportError(error);
  refreshTeachPanel();
}

QString MainWindow::currentFindingId() const { return teach_finding_->currentData().toString(); }

void MainWindow::refreshTeachPanel() {
  if (!teach_finding_) return;
  const QString selected = currentFindingId();
  QSignalBlocker block(teach_finding_);
  teach_finding_->clear();
  if (auto analyzer = analysis_->analyzer()) {
    for (const auto& f : analyzer->findings()) {
      QString name = language_->language() == QLatin1String("ko") && !f.name_ko.empty() ? qs(f.name_ko) : qs(f.name_en);
      if (f.site_adapted) name += QStringLiteral("  \u2691");
      teach_finding_->addItem(name, qs(f.id));
    }
  } else {
    for (int r = 0; r < findings_->rowCount(); ++r)
      teach_finding_->addItem(findings_->displayName(*findings_->finding(r)), qs(findings_->finding(r)->id));
  }
  const int i = teach_finding_->findData(selected);
  if (i >= 0) teach_finding_->setCurrentIndex(i);
  const QString finding = currentFindingId();
  const QString path = currentPath();
  const bool have = !finding.isEmpty() && !path.isEmpty();
  mark_positive_->setEnabled(have);
  mark_negative_->setEnabled(have);
  mark_clear_->setEnabled(have && teach_set_.label(finding, path) != TeachSet::Label::kNone);
  teach_button_->setEnabled(!finding.isEmpty() && teach_set_.readyToTeach(finding) && !analysis_->busy());
  QString status;
  if (finding.isEmpty()) {
    status = tr("Run an analysis once to load the list of findings.");
  } else {
    status = tr("%1 positive and %2 negative example(s).").arg(teach_set_.positives(finding).size()).arg(teach_set_.negatives(finding).size());
    const auto label = path.isEmpty() ? TeachSet::Label::kNone : teach_set_.label(finding, path);
    if (label == TeachSet::Label::kPositive) status += QLatin1Char(' ') + tr("This image is marked positive.");
    if (label == TeachSet::Label::kNegative) status += QLatin1Char(' ') + tr("This image is marked negative.");
    if (!teach_set_.readyToTeach(finding)) status += QLatin1Char(' ') + tr("At least one of each is needed.");
  }
  teach_status_->setText(status);
  library_label_->setText(tr("Site library: %1").arg(QDir::toNativeSeparators(libraryPath())));
}

void MainWindow::markCurrent(TeachSet::Label label) {
  const QString finding = currentFindingId(), path = currentPath();
  if (finding.isEmpty() || path.isEmpty()) return;
  teach_set_.mark(finding, path, label);
  QDir().mkpath(QFileInfo(libraryPath()).absolutePath());
  const QString error = teach_set_.save(TeachSet::pathForLibrary(libraryPath()));
  if (!error.isEmpty()) reportError(error);
  refreshTeachPanel();
}

void MainWindow::teachCurrentFinding() {
  const QString finding = currentFindingId();
  if (!teach_set_.readyToTeach(finding)) return;
  QDir().mkpath(QFileInfo(libraryPath()).absolutePath());
  teach_report_->setHtml(tr("<p>Teaching %1…</p>").arg(teach_finding_->currentText().toHtmlEscaped()));
  analysis_->teach(finding, teach_set_.positives(finding), teach_set_.negatives(finding), libraryPath());
}

// ---- export, PACS, settings --------------------------------------------------------------------

void MainWindow::saveReport(const QString& format) {
  if (findings_->rowCount() == 0) {
    reportError(tr("Run the analysis before saving a report."));
    return;
  }
  const QString filter = format == QLatin1String("pdf") ? tr("PDF (*.pdf)") : tr("PNG image (*.png)");
  const QString path = QFileDialog::getSaveFileName(this, tr("Save report"), QDir(settings_->storageDir()).filePath(QStringLiteral("report.") + format), filter);
  if (path.isEmpty()) return;
  const QString error = saveReportTo(path);
  if (error.isEmpty()) stage_label_->setText(tr("Report saved: %1").arg(path));
  else reportError(error);
}

QString MainWindow::saveReportTo(const QString& path) {
  if (findings_->rowCount() == 0) return tr("Run the analysis before saving a report.");
  const QString format = path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive) ? QStringLiteral("png") : QStringLiteral("pdf");
  ReportInput in;
  in.result = findings_->result();
  if (auto a = analysis_->analyzer()) in.provenance = a->provenance();
  in.notes = analysed_notes_;
  in.language = language_->language();
  in.generated_at = QDateTime::currentDateTime().toString(Qt::ISODate);
  const auto* f = findings_->finding(findings_view_->currentIndex().row());
  if (f && f->heatmap_grid > 0) in.heatmap_finding = findings_->displayName(*f);
  return write_report(path, format, in, view_->renderKeyImage(1024));
}

void MainWindow::saveDicomExports() {
  if (findings_->rowCount() == 0) {
    reportError(tr("Run the analysis before exporting."));
    return;
  }
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the SR and the overlay"), settings_->storageDir());
  if (dir.isEmpty()) return;
  const DicomExport out = saveDicomExportsTo(dir);
  if (out.error.isEmpty()) stage_label_->setText(tr("Saved %1").arg(out.files.join(QStringLiteral(", "))));
  else reportError(out.error);
}

DicomExport MainWindow::saveDicomExportsTo(const QString& dir) {
  if (findings_->rowCount() == 0) return {{}, tr("Run the analysis before exporting.")};
  const auto* f = findings_->finding(findings_view_->currentIndex().row());
  const auto provenance = analysis_->analyzer() ? analysis_->analyzer()->provenance() : cxr::core::Provenance{};
  return write_dicom_exports(dir, findings_->result(), provenance, f, f ? findings_->displayName(*f) : QString());
}

void MainWindow::sendToPacs(int node_index) {
  const auto nodes = settings_->pacsNodes();
  if (node_index < 0 || node_index >= nodes.size()) return;
  if (findings_->rowCount() == 0) {
    reportError(tr("Run the analysis before sending results."));
    return;
  }
  const DicomExport out = saveDicomExportsTo(QDir(settings_->storageDir()).filePath(QStringLiteral("exports")));
  if (!out.error.isEmpty()) {
    reportError(out.error);
    return;
  }
  const PacsNode node = nodes[node_index];
  const LocalIdentity me = settings_->localIdentity();
  const QStringList files = out.files;
  stage_label_->setText(tr("Sending to %1…").arg(node.name));
  run_in_background<QString>(
      this, [node, me, files] { return send_files(node, me, files); },
      [this, node](const QString& error) {
        if (error.isEmpty()) stage_label_->setText(tr("Sent to %1.").arg(node.name));
        else reportError(error);
      });
}

void MainWindow::queryRetrieve() {
  PacsDialog dialog(settings_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  const QString folder = dialog.retrievedFolder();
  if (!folder.isEmpty()) openPaths({folder});
}

void MainWindow::showPreferences() {
  PreferencesDialog dialog(settings_, this);
  if (dialog.exec() == QDialog::Accepted) {
    if (language_->language() != settings_->language()) language_->setLanguage(settings_->language());
    loadTeachSet();
  }
}

void MainWindow::showShortcuts() {
  QStringList rows;
  for (const char* id : {"open_file", "open_folder", "query_pacs", "preset_default", "preset_lung", "preset_mediastinum",
                         "preset_bone", "preset_full", "invert", "rotate_cw", "rotate_ccw", "flip_h", "flip_v", "fit",
                         "one_to_one", "reset_view", "overlays", "next_image", "prev_image", "next_study", "prev_study",
                         "analyze", "cancel", "save_pdf", "save_dicom"}) {
    const QAction* a = actions_[id];
    QStringList keys;
    for (const auto& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
    rows << QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(a->text().remove(QLatin1Char('&')).toHtmlEscaped(), keys.join(QStringLiteral(", ")).toHtmlEscaped());
  }
  rows << QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(tr("Window/level"), tr("left drag"));
  rows << QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(tr("Pan"), tr("right drag, or Shift + left drag"));
  rows << QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>").arg(tr("Zoom"), tr("mouse wheel"));
  QMessageBox::information(this, tr("Keyboard shortcuts"), QStringLiteral("<table cellpadding='3'>%1</table>").arg(rows.join(QString())));
}

}  // namespace cxr::studio
