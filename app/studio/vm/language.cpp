#include "vm/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace cxr::studio {

LanguageManager::LanguageManager(QObject* parent) : QObject(parent) {}

LanguageManager::~LanguageManager() {
  if (app_translator_) QCoreApplication::removeTranslator(app_translator_.get());
  if (qt_translator_) QCoreApplication::removeTranslator(qt_translator_.get());
}

QStringList LanguageManager::availableLanguages() { return {QStringLiteral("en"), QStringLiteral("ko")}; }

QString LanguageManager::nativeName(const QString& language) {
  if (language == QLatin1String("ko")) return QStringLiteral("한국어");
  return QStringLiteral("English");
}

bool LanguageManager::setLanguage(const QString& language) {
  if (!availableLanguages().contains(language)) return false;
  auto app = std::make_unique<QTranslator>();
  std::unique_ptr<QTranslator> qt;
  if (language != QLatin1String("en")) {
    if (!app->load(QStringLiteral(":/i18n/cxr_studio_%1.qm").arg(language))) return false;
    qt = std::make_unique<QTranslator>();
    if (!qt->load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                  QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
      qt.reset();  // optional: standard buttons stay English
  }
  if (app_translator_) QCoreApplication::removeTranslator(app_translator_.get());
  if (qt_translator_) QCoreApplication::removeTranslator(qt_translator_.get());
  app_translator_.reset();
  qt_translator_.reset();
  if (language != QLatin1String("en")) {
    app_translator_ = std::move(app);
    QCoreApplication::installTranslator(app_translator_.get());
    if (qt) {
      qt_translator_ = std::move(qt);
      QCoreApplication::installTranslator(qt_translator_.get());
    }
  }
  const bool changed = language != language_;
  language_ = language;
  QLocale::setDefault(QLocale(language == QLatin1String("ko") ? QLocale::Korean : QLocale::English));
  if (changed) emit languageChanged(language_);
  return true;
}

}  // namespace cxr::studio
