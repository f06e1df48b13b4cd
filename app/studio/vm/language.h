// vm/language.h — run-time switching of the UI language (QtCore only).
//
// Translations are Qt Linguist catalogues compiled into the binary (":/i18n/cxr_studio_<lang>.qm",
// sources in resources/translations/*.ts); Qt's own catalogue (qtbase_<lang>.qm, Debian package
// qt6-translations-l10n) is loaded too when installed, for standard dialog buttons.
// Widgets retranslate on QEvent::LanguageChange. UI thread only.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QTranslator;

namespace cxr::studio {

class LanguageManager : public QObject {
  Q_OBJECT
 public:
  explicit LanguageManager(QObject* parent = nullptr);
  ~LanguageManager() override;

  static QStringList availableLanguages();  // {"en", "ko"}
  static QString nativeName(const QString& language);  // "English", "한국어"

  QString language() const { return language_; }
  // Installs the catalogue of `language` into the application (English: removes catalogues).
  // Returns false (and keeps the current language) when the language is unknown or its catalogue
  // cannot be loaded.
  bool setLanguage(const QString& language);

 signals:
  void languageChanged(const QString& language);

 private:
  QString language_ = QStringLiteral("en");
  std::unique_ptr<QTranslator> app_translator_, qt_translator_;
};

}  // namespace cxr::studio
