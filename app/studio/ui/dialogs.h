// ui/dialogs.h — Preferences (model, device, site library, language, PACS nodes) and the PACS
// query/retrieve dialog (C-FIND study level, C-GET into the local storage folder). UI thread only;
// network calls run on the thread pool.
#pragma once

#include "vm/pacs_browser.h"
#include "vm/settings.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QTableWidget;
class QLabel;
class QPushButton;

namespace cxr::studio {

class PreferencesDialog : public QDialog {
  Q_OBJECT
 public:
  PreferencesDialog(StudioSettings* settings, QWidget* parent = nullptr);
  void accept() override;

 private:
  void addNodeRow(const PacsNode& node);
  void updatePrecisionChoices();  // greys out bf16 where the chosen device cannot run it
  QVector<PacsNode> nodesFromTable() const;
  LocalIdentity identityFromForm() const;

  StudioSettings* settings_;
  QLineEdit *model_dir_, *site_library_, *local_ae_, *storage_dir_;
  QLineEdit *tls_certificate_, *tls_private_key_, *tls_trusted_;
  QComboBox *device_, *precision_, *operating_point_, *language_;
  QTableWidget* nodes_;
  QLabel* status_;
};

class PacsDialog : public QDialog {
  Q_OBJECT
 public:
  PacsDialog(StudioSettings* settings, QWidget* parent = nullptr);
  // The folder the retrieved study was written to ("" when nothing was retrieved).
  QString retrievedFolder() const { return retrieved_folder_; }

 private:
  void query();
  void retrieve();
  void setBusy(bool busy, const QString& message);
  void showStudies(const QVector<StudyRow>& studies);

  StudioSettings* settings_;
  PacsBrowser* browser_;
  QComboBox* node_;
  QLineEdit* date_;
  QTableWidget* results_;
  QPushButton *query_button_, *retrieve_button_;
  QLabel* status_;
  QString retrieved_folder_;
};

}  // namespace cxr::studio
