// The Korean catalogue is built into the binary, complete, and switchable at run time.
#include "studio_tests.h"

#include "vm/language.h"

#include <QCoreApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

using namespace cxr::studio;

namespace {
QString tr_main(const char* text) { return QCoreApplication::translate("cxr::studio::MainWindow", text); }

struct TsStats {
  int messages = 0, unfinished = 0, empty = 0;
  QStringList sources;
};

TsStats read_ts(const QString& path) {
  TsStats stats;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return stats;
  QXmlStreamReader xml(&file);
  QString source;
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    if (xml.name() == QLatin1String("source")) {
      source = xml.readElementText();
      stats.sources << source;
      ++stats.messages;
    } else if (xml.name() == QLatin1String("translation")) {
      if (xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished")) ++stats.unfinished;
      const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
      if (text.trimmed().isEmpty()) ++stats.empty;
    }
  }
  return stats;
}
}  // namespace

void TranslationsTest::koreanCatalogueLoadsAndSwitchesBack() {
  LanguageManager language;
  QSignalSpy spy(&language, &LanguageManager::languageChanged);
  QCOMPARE(tr_main("Run &analysis"), QStringLiteral("Run &analysis"));
  QVERIFY(language.setLanguage(QStringLiteral("ko")));
  QCOMPARE(language.language(), QStringLiteral("ko"));
  QCOMPARE(tr_main("Run &analysis"), QStringLiteral("분석 실행(&A)"));
  QCOMPARE(QCoreApplication::translate("cxr::studio::WindowLevel", "Lung"), QStringLiteral("폐"));
  // Plural forms go through the catalogue too.
  QCOMPARE(QCoreApplication::translate("cxr::studio::StudyListModel", "%1 — %n image(s)", nullptr, 3).arg("CR"),
           QStringLiteral("CR — 영상 3개"));
  QVERIFY(language.setLanguage(QStringLiteral("en")));
  QCOMPARE(tr_main("Run &analysis"), QStringLiteral("Run &analysis"));
  QCOMPARE(spy.count(), 2);
  QCOMPARE(LanguageManager::nativeName(QStringLiteral("ko")), QStringLiteral("한국어"));
}

void TranslationsTest::catalogueSourcesAreComplete() {
  const TsStats ko = read_ts(QStringLiteral(CXR_SOURCE_DIR "/resources/translations/cxr_studio_ko.ts"));
  const TsStats en = read_ts(QStringLiteral(CXR_SOURCE_DIR "/resources/translations/cxr_studio_en.ts"));
  QVERIFY(ko.messages > 150);
  QCOMPARE(ko.unfinished, 0);
  QCOMPARE(ko.empty, 0);
  QCOMPARE(en.unfinished, 0);
  QCOMPARE(en.sources, ko.sources);  // both catalogues cover the same strings
}

void TranslationsTest::unknownLanguageIsRefused() {
  LanguageManager language;
  QVERIFY(!language.setLanguage(QStringLiteral("xx")));
  QCOMPARE(language.language(), QStringLiteral("en"));
}
