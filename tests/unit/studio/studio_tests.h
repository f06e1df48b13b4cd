// Test classes of studio_vm_tests (one QObject per view-model); main.cpp runs the one named on the
// command line so each is its own CTest entry.
#pragma once

#include <QObject>
#include <QString>

#include <string>

inline QString shared_data(const char* relative) {
  return QStringLiteral(CXR_SHARED_DATA_DIR "/") + QString::fromUtf8(relative);
}

class WindowLevelTest : public QObject {
  Q_OBJECT
 private slots:
  void presetsFollowTheImageRange();
  void monochrome1PresetsAreMirrored();
  void monochrome1FileIsDisplayedInverted();
  void ctUsesHounsfieldPresets();
  void dragAndGeometry();
  void fileWindowsComeFromTheHeader();
};

class StudyListTest : public QObject {
  Q_OBJECT
 private slots:
  void personNameAndDate();
  void scansFolderIntoTree();
  void dicomdirMedia();
  void brokenFilesBecomeNotes();
  void duplicatesAreSkippedAndNavigationWraps();
  void thumbnailIsBoxFiltered();
};

class FindingsModelTest : public QObject {
  Q_OBJECT
 private slots:
  void sortsByProbabilityAndExposesRoles();
  void languageSwitchesNames();
  void evidenceFormatting();
};

class SettingsTest : public QObject {
  Q_OBJECT
 private slots:
  void defaultsAndPersistence();
  void pacsNodeValidation();
  void recentStudies();
  void precisionChoiceAndItsAvailability();
};

class TranslationsTest : public QObject {
  Q_OBJECT
 private slots:
  void koreanCatalogueLoadsAndSwitchesBack();
  void catalogueSourcesAreComplete();
  void unknownLanguageIsRefused();
};

class TeachReportTest : public QObject {
  Q_OBJECT
 private slots:
  void teachSetRoundTrip();
  void teachSetRejectsBadJson();
  void reportCarriesDisclaimer();
  void srContentMapsFindings();
};

// The controller against the real bundled model (resources/models/cxr-siglip-default).
class AnalysisControllerTest : public QObject {
  Q_OBJECT
 private slots:
  void analyzesOffTheCallingThread();
  void reportsAClearErrorForABadFile();
  void cancelEndsTheJob();
  void teachesTheSiteAdapter();
};

// PacsBrowser (the Query/retrieve dialog's logic) against a private Orthanc.
class PacsBrowserTest : public QObject {
  Q_OBJECT
 private slots:
  void validatesTheDateFilter();
  void queriesAndRetrievesFromOrthanc();
  void reportsWhatWentWrong();
  void queriesOverTlsOnlyWithATrustedCertificate();
};
