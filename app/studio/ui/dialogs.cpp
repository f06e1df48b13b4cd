#include "ui/dialogs.h"

#include "cxr/dicom/net.h"
#include "vm/background.h"
#include "vm/language.h"
#include "vm/study_list_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

namespace cxr::studio {
namespace {

// A line edit with a "…" button: a folder chooser, a save-as chooser for JSON (open_filter empty), or
// an open-file chooser with open_filter.
QWidget* with_browse(QLineEdit* edit, QWidget* parent, bool directory, const QString& title,
                     const QString& open_filter = QString()) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* button = new QPushButton(QObject::tr("…"), row);
  layout->addWidget(edit, 1);
  layout->addWidget(button);
  QObject::connect(button, &QPushButton::clicked, row, [edit, parent, directory, title, open_filter] {
    const QString p = directory               ? QFileDialog::getExistingDirectory(parent, title, edit->text())
                      : !open_filter.isEmpty() ? QFileDialog::getOpenFileName(parent, title, edit->text(), open_filter)
                                               : QFileDialog::getSaveFileName(parent, title, edit->text(), QStringLiteral("*.json"),
                                                                              nullptr, QFileDialog::DontConfirmOverwrite);
    if (!p.isEmpty()) edit->setText(p);
  });
  return row;
}

}  // namespace

PreferencesDialog::PreferencesDialog(StudioSettings* settings, QWidget* parent) : QDialog(parent), settings_(settings) {
  setWindowTitle(tr("Preferences"));
  model_dir_ = new QLineEdit(settings->modelDir(), this);
  model_dir_->setPlaceholderText(tr("(bundled default model)"));
  model_dir_->setToolTip(tr("A CXR Assist model folder or a Hugging Face SigLIP checkpoint folder (config.json, model.safetensors, spiece.model)."));
  device_ = new QComboBox(this);
  device_->addItem(tr("Automatic"), QStringLiteral("auto"));
  device_->addItem(tr("CPU"), QStringLiteral("cpu"));
  device_->addItem(tr("GPU (CUDA)"), QStringLiteral("gpu"));
  device_->setCurrentIndex(device_->findData(settings->device()));
  precision_ = new QComboBox(this);
  precision_->addItem(tr("Standard (fp32)"), QStringLiteral("fp32"));
  precision_->addItem(tr("Fast (bf16)"), QStringLiteral("bf16"));
  precision_->setToolTip(tr("bf16 rounds the model's matrix products to 8-bit mantissas: about 1.6 times faster on CPUs "
                            "with AVX512-BF16 or AMX, probabilities within 0.02 of fp32 (docs/engine.md)."));
  precision_->setCurrentIndex(std::max(0, precision_->findData(settings->precision())));
  updatePrecisionChoices();
  connect(device_, &QComboBox::currentIndexChanged, this, [this] { updatePrecisionChoices(); });
  operating_point_ = new QComboBox(this);
  operating_point_->addItem(tr("Default"), QStringLiteral("default"));
  operating_point_->addItem(tr("High sensitivity"), QStringLiteral("high_sensitivity"));
  operating_point_->addItem(tr("High specificity"), QStringLiteral("high_specificity"));
  operating_point_->setCurrentIndex(std::max(0, operating_point_->findData(settings->operatingPoint())));
  site_library_ = new QLineEdit(settings->siteLibrary(), this);
  site_library_->setPlaceholderText(tr("(none)"));
  language_ = new QComboBox(this);
  for (const auto& l : LanguageManager::availableLanguages()) language_->addItem(LanguageManager::nativeName(l), l);
  language_->setCurrentIndex(language_->findData(settings->language()));
  local_ae_ = new QLineEdit(settings->localAeTitle(), this);
  local_ae_->setMaxLength(16);
  storage_dir_ = new QLineEdit(settings->storageDir(), this);
  const LocalIdentity identity = settings->localIdentity();
  tls_certificate_ = new QLineEdit(identity.tls_certificate, this);
  tls_private_key_ = new QLineEdit(identity.tls_private_key, this);
  tls_trusted_ = new QLineEdit(identity.tls_trusted, this);
  for (auto* e : {tls_certificate_, tls_private_key_, tls_trusted_}) e->setPlaceholderText(tr("(only for nodes with TLS)"));

  nodes_ = new QTableWidget(0, 5, this);
  nodes_->setHorizontalHeaderLabels({tr("Name"), tr("AE title"), tr("Host"), tr("Port"), tr("TLS")});
  nodes_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  for (const auto& n : settings->pacsNodes()) addNodeRow(n);
  auto* add = new QPushButton(tr("Add node"), this);
  auto* remove = new QPushButton(tr("Remove node"), this);
  auto* echo = new QPushButton(tr("Test connection (C-ECHO)"), this);
  connect(add, &QPushButton::clicked, this, [this] { addNodeRow({tr("PACS"), QStringLiteral("ORTHANC"), QStringLiteral("127.0.0.1"), 4242}); });
  connect(remove, &QPushButton::clicked, this, [this] { nodes_->removeRow(nodes_->currentRow()); });
  connect(echo, &QPushButton::clicked, this, [this] {
    const auto nodes = nodesFromTable();
    const int row = nodes_->currentRow() < 0 ? 0 : nodes_->currentRow();
    if (row >= nodes.size()) return;
    const PacsNode node = nodes[row];
    if (const QString e = validate_pacs_node(node); !e.isEmpty()) return status_->setText(e);
    status_->setText(tr("Contacting %1…").arg(node.name));
    const LocalIdentity me = identityFromForm();
    if (const QString e = validate_tls_identity(node, me); !e.isEmpty()) return status_->setText(e);
    const auto options = scu_options(node, me);
    run_in_background<QString>(
        this, [options] {
          const auto s = cxr::dicom::net::echo(options);
          return s ? QString() : QString::fromStdString(s.error().message);
        },
        [this, node](const QString& error) { status_->setText(error.isEmpty() ? tr("%1 answered the C-ECHO.").arg(node.name) : error); });
  });
  status_ = new QLabel(this);
  status_->setWordWrap(true);

  auto* form = new QFormLayout;
  form->addRow(tr("Model folder"), with_browse(model_dir_, this, true, tr("Model folder")));
  form->addRow(tr("Device"), device_);
  form->addRow(tr("Precision"), precision_);
  form->addRow(tr("Operating point"), operating_point_);
  form->addRow(tr("Site library"), with_browse(site_library_, this, false, tr("Site library")));
  form->addRow(tr("Language"), language_);
  form->addRow(tr("Local AE title"), local_ae_);
  form->addRow(tr("Storage folder"), with_browse(storage_dir_, this, true, tr("Storage folder")));
  const QString pem = tr("PEM files (*.pem *.crt *.key);;All files (*)");
  form->addRow(tr("TLS certificate"), with_browse(tls_certificate_, this, false, tr("TLS certificate"), pem));
  form->addRow(tr("TLS private key"), with_browse(tls_private_key_, this, false, tr("TLS private key"), pem));
  form->addRow(tr("Trusted CA certificates"), with_browse(tls_trusted_, this, false, tr("Trusted CA certificates"), pem));
  auto* node_buttons = new QHBoxLayout;
  node_buttons->addWidget(add);
  node_buttons->addWidget(remove);
  node_buttons->addWidget(echo);
  node_buttons->addStretch();
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(new QLabel(tr("PACS nodes"), this));
  layout->addWidget(nodes_);
  layout->addLayout(node_buttons);
  layout->addWidget(status_);
  layout->addWidget(buttons);
  resize(720, 560);
}

void PreferencesDialog::updatePrecisionChoices() {
  const QString why = StudioSettings::precisionUnavailableReason(device_->currentData().toString(), QStringLiteral("bf16"));
  auto* model = qobject_cast<QStandardItemModel*>(precision_->model());
  if (QStandardItem* bf16 = model ? model->item(precision_->findData(QStringLiteral("bf16"))) : nullptr) {
    bf16->setEnabled(why.isEmpty());
    bf16->setToolTip(why);
  }
  if (!why.isEmpty() && precision_->currentData().toString() == QLatin1String("bf16")) precision_->setCurrentIndex(0);
}

void PreferencesDialog::addNodeRow(const PacsNode& node) {
  const int row = nodes_->rowCount();
  nodes_->insertRow(row);
  nodes_->setItem(row, 0, new QTableWidgetItem(node.name));
  nodes_->setItem(row, 1, new QTableWidgetItem(node.ae_title));
  nodes_->setItem(row, 2, new QTableWidgetItem(node.host));
  nodes_->setItem(row, 3, new QTableWidgetItem(QString::number(node.port)));
  auto* tls = new QTableWidgetItem;
  tls->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  tls->setCheckState(node.tls ? Qt::Checked : Qt::Unchecked);
  nodes_->setItem(row, 4, tls);
}

LocalIdentity PreferencesDialog::identityFromForm() const {
  return {local_ae_->text().trimmed(), tls_certificate_->text(), tls_private_key_->text(), tls_trusted_->text()};
}

QVector<PacsNode> PreferencesDialog::nodesFromTable() const {
  QVector<PacsNode> nodes;
  auto text = [this](int r, int c) { return nodes_->item(r, c) ? nodes_->item(r, c)->text().trimmed() : QString(); };
  for (int r = 0; r < nodes_->rowCount(); ++r) {
    const bool tls = nodes_->item(r, 4) && nodes_->item(r, 4)->checkState() == Qt::Checked;
    nodes << PacsNode{text(r, 0), text(r, 1), text(r, 2), text(r, 3).toInt(), tls};
  }
  return nodes;
}

void PreferencesDialog::accept() {
  if (const QString error = settings_->setPacsNodes(nodesFromTable()); !error.isEmpty()) {
    status_->setText(error);
    return;
  }
  settings_->setModelDir(model_dir_->text());
  settings_->setDevice(device_->currentData().toString());
  settings_->setPrecision(precision_->currentData().toString());
  settings_->setOperatingPoint(operating_point_->currentData().toString());
  settings_->setSiteLibrary(site_library_->text());
  settings_->setLanguage(language_->currentData().toString());
  settings_->setLocalAeTitle(local_ae_->text());
  settings_->setStorageDir(storage_dir_->text());
  settings_->setTlsFiles(tls_certificate_->text(), tls_private_key_->text(), tls_trusted_->text());
  settings_->sync();
  QDialog::accept();
}

PacsDialog::PacsDialog(StudioSettings* settings, QWidget* parent) : QDialog(parent), settings_(settings) {
  setWindowTitle(tr("Query/retrieve PACS"));
  node_ = new QComboBox(this);
  for (const auto& n : settings->pacsNodes()) node_->addItem(QStringLiteral("%1 (%2)").arg(n.name, pacs_node_peer_text(n)));
  date_ = new QLineEdit(this);
  date_->setPlaceholderText(tr("Study date: YYYYMMDD or YYYYMMDD-YYYYMMDD (empty: any)"));
  query_button_ = new QPushButton(tr("Query"), this);
  retrieve_button_ = new QPushButton(tr("Retrieve and open"), this);
  retrieve_button_->setEnabled(false);
  results_ = new QTableWidget(0, 4, this);
  results_->setHorizontalHeaderLabels({tr("Study date"), tr("Modalities"), tr("Images"), tr("Study Instance UID")});
  results_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
  results_->setSelectionBehavior(QAbstractItemView::SelectRows);
  results_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  if (node_->count() == 0) {
    status_->setText(tr("No PACS node is configured: add one in Settings › Preferences."));
    query_button_->setEnabled(false);
  }
  browser_ = new PacsBrowser(this);
  connect(browser_, &PacsBrowser::studiesFound, this, &PacsDialog::showStudies);
  connect(browser_, &PacsBrowser::failed, this, [this](const QString& message) { setBusy(false, message); });
  connect(browser_, &PacsBrowser::retrieved, this, [this](const QString& folder, int images) {
    retrieved_folder_ = folder;
    setBusy(false, tr("%n image(s) retrieved.", nullptr, images));
    QDialog::accept();
  });
  connect(query_button_, &QPushButton::clicked, this, &PacsDialog::query);
  connect(retrieve_button_, &QPushButton::clicked, this, &PacsDialog::retrieve);
  connect(results_, &QTableWidget::itemSelectionChanged, this, [this] { retrieve_button_->setEnabled(results_->currentRow() >= 0); });
  auto* top = new QHBoxLayout;
  top->addWidget(node_, 1);
  top->addWidget(date_, 1);
  top->addWidget(query_button_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  buttons->addButton(retrieve_button_, QDialogButtonBox::ActionRole);
  connect(buttons, &QDialogButtonBox::rejected, this, &PacsDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(results_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);
  resize(820, 480);
}

void PacsDialog::setBusy(bool busy, const QString& message) {
  query_button_->setEnabled(!busy && node_->count() > 0);
  retrieve_button_->setEnabled(!busy && results_->currentRow() >= 0);
  status_->setText(message);
}

void PacsDialog::query() {
  const auto nodes = settings_->pacsNodes();
  if (node_->currentIndex() < 0 || node_->currentIndex() >= nodes.size()) return;
  if (browser_->query(nodes[node_->currentIndex()], settings_->localIdentity(), date_->text()))
    setBusy(true, tr("Querying…"));
}

void PacsDialog::showStudies(const QVector<StudyRow>& studies) {
  results_->setRowCount(0);
  for (const auto& m : studies) {
    const int row = results_->rowCount();
    results_->insertRow(row);
    results_->setItem(row, 0, new QTableWidgetItem(m.date));
    results_->setItem(row, 1, new QTableWidgetItem(m.modalities));
    results_->setItem(row, 2, new QTableWidgetItem(m.images < 0 ? QStringLiteral("?") : QString::number(m.images)));
    results_->setItem(row, 3, new QTableWidgetItem(m.study_instance_uid));
  }
  setBusy(false, tr("%n study(ies) found.", nullptr, static_cast<int>(studies.size())));
}

void PacsDialog::retrieve() {
  const auto nodes = settings_->pacsNodes();
  const int row = results_->currentRow();
  if (row < 0 || node_->currentIndex() < 0 || node_->currentIndex() >= nodes.size()) return;
  if (browser_->retrieve(nodes[node_->currentIndex()], settings_->localIdentity(), results_->item(row, 3)->text(),
                         settings_->storageDir()))
    setBusy(true, tr("Retrieving…"));
}

}  // namespace cxr::studio
