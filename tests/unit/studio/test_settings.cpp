// Settings persisted through QSettings (INI file in a temporary folder).
#include "studio_tests.h"

#include "vm/settings.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cxr::studio;

void SettingsTest::defaultsAndPersistence() {
  QTemporaryDir dir;
  const QString ini = dir.filePath(QStringLiteral("studio.ini"));
  {
    StudioSettings s(ini);
    QCOMPARE(s.modelDir(), QString());
    QCOMPARE(s.device(), QStringLiteral("auto"));
    QCOMPARE(s.language(), QStringLiteral("en"));
    QCOMPARE(s.operatingPoint(), QStringLiteral("default"));
    QCOMPARE(s.localAeTitle(), QStringLiteral("CXR_STUDIO"));
    QSignalSpy spy(&s, &StudioSettings::changed);
    s.setModelDir(QStringLiteral("/models/siglip "));
    s.setDevice(QStringLiteral("gpu"));
    s.setDevice(QStringLiteral("tpu"));  // ignored
    s.setLanguage(QStringLiteral("ko"));
    s.setLocalAeTitle(QStringLiteral("THIS_AE_TITLE_IS_TOO_LONG"));  // ignored
    s.setOperatingPoint(QStringLiteral("high_sensitivity"));
    QCOMPARE(spy.count(), 4);
    s.sync();
  }
  StudioSettings reread(ini);
  QCOMPARE(reread.modelDir(), QStringLiteral("/models/siglip"));
  QCOMPARE(reread.device(), QStringLiteral("gpu"));
  QCOMPARE(reread.language(), QStringLiteral("ko"));
  QCOMPARE(reread.operatingPoint(), QStringLiteral("high_sensitivity"));
  QCOMPARE(reread.localAeTitle(), QStringLiteral("CXR_STUDIO"));
  QCOMPARE(StudioSettings::backendForDevice(QStringLiteral("gpu")), QStringLiteral("cuda"));
  QCOMPARE(StudioSettings::backendForDevice(QStringLiteral("cpu")), QStringLiteral("fast"));
  QCOMPARE(StudioSettings::backendForDevice(QStringLiteral("auto")), QStringLiteral("auto"));
}

// bf16 is offered only where the engine can run it; the reason comes from the engine, so the
// Preferences dialog greys the choice out with the same sentence the CLI would print.
void SettingsTest::precisionChoiceAndItsAvailability() {
  QTemporaryDir dir;
  const QString ini = dir.filePath(QStringLiteral("studio.ini"));
  {
    StudioSettings s(ini);
    QCOMPARE(s.precision(), QStringLiteral("fp32"));
    QSignalSpy spy(&s, &StudioSettings::changed);
    s.setPrecision(QStringLiteral("bf16"));
    s.setPrecision(QStringLiteral("int4"));  // ignored
    QCOMPARE(spy.count(), 1);
    s.sync();
  }
  QCOMPARE(StudioSettings(ini).precision(), QStringLiteral("bf16"));
  for (const char* device : {"auto", "cpu", "gpu"}) {
    QCOMPARE(StudioSettings::precisionUnavailableReason(QString::fromLatin1(device), QStringLiteral("fp32")), QString());
  }
  // This build has no CUDA backend: bf16 on the GPU choice is refused with a reason naming it.
  const QString gpu = StudioSettings::precisionUnavailableReason(QStringLiteral("gpu"), QStringLiteral("bf16"));
  QVERIFY2(gpu.contains(QStringLiteral("cuda")), qPrintable(gpu));
  // On the CPU the answer depends on the machine; when refused, it says which instruction set is missing.
  const QString cpu = StudioSettings::precisionUnavailableReason(QStringLiteral("cpu"), QStringLiteral("bf16"));
  QVERIFY2(cpu.isEmpty() || cpu.contains(QStringLiteral("bf16")), qPrintable(cpu));
  QVERIFY(!StudioSettings::precisionUnavailableReason(QStringLiteral("cpu"), QStringLiteral("fp8")).isEmpty());
}

void SettingsTest::pacsNodeValidation() {
  QTemporaryDir dir;
  StudioSettings s(dir.filePath(QStringLiteral("studio.ini")));
  const PacsNode good{QStringLiteral("Main PACS"), QStringLiteral("ORTHANC"), QStringLiteral("10.0.0.5"), 4242};
  QVERIFY(validate_pacs_node(good).isEmpty());
  QCOMPARE(pacs_node_peer_text(good), QStringLiteral("ORTHANC@10.0.0.5:4242"));
  PacsNode bad = good;
  bad.port = 70000;
  QVERIFY(validate_pacs_node(bad).contains(QStringLiteral("70000")));
  bad = good;
  bad.ae_title = QStringLiteral("BAD\\AE");
  QVERIFY(!validate_pacs_node(bad).isEmpty());
  bad = good;
  bad.ae_title = QStringLiteral("A_VERY_LONG_AE_TITLE");
  QVERIFY(!validate_pacs_node(bad).isEmpty());
  bad = good;
  bad.host = QStringLiteral("my host");
  QVERIFY(!validate_pacs_node(bad).isEmpty());
  // A bad node rejects the whole list; nothing is stored.
  QVERIFY(!s.setPacsNodes({good, bad}).isEmpty());
  QVERIFY(s.pacsNodes().isEmpty());
  QVERIFY(s.setPacsNodes({good, PacsNode{"Backup", "BACKUP", "pacs.local", 104}}).isEmpty());
  const auto nodes = s.pacsNodes();
  QCOMPARE(nodes.size(), 2);
  QCOMPARE(nodes[0], good);
  QCOMPARE(nodes[1].host, QStringLiteral("pacs.local"));
  // TLS per node, with the workstation's files: persisted, and checked before use.
  PacsNode secure = good;
  secure.tls = true;
  QVERIFY(s.setPacsNodes({secure}).isEmpty());
  QCOMPARE(s.pacsNodes().front(), secure);
  QVERIFY(validate_tls_identity(good, s.localIdentity()).isEmpty());  // plain node: nothing needed
  const QString missing = validate_tls_identity(secure, s.localIdentity());
  QVERIFY(missing.contains(QStringLiteral("certificate")) && missing.contains(QStringLiteral("private key")));
  const QString pem = dir.filePath(QStringLiteral("x.pem"));
  QFile(pem).open(QIODevice::WriteOnly);
  s.setTlsFiles(pem, pem, dir.filePath(QStringLiteral("absent-ca.pem")));
  QCOMPARE(s.localIdentity().tls_certificate, pem);
  const QString ca_missing = validate_tls_identity(secure, s.localIdentity());
  QVERIFY(ca_missing.contains(QStringLiteral("trusted")) && !ca_missing.contains(QStringLiteral("private key")));
  s.setTlsFiles(pem, pem, pem);
  QVERIFY(validate_tls_identity(secure, s.localIdentity()).isEmpty());
}

void SettingsTest::recentStudies() {
  QTemporaryDir dir;
  StudioSettings s(dir.filePath(QStringLiteral("studio.ini")));
  for (int i = 0; i < 15; ++i) s.addRecentStudy(QStringLiteral("/data/study%1").arg(i));
  s.addRecentStudy(QStringLiteral("/data/study10"));  // moves to the front, no duplicate
  const QStringList recent = s.recentStudies();
  QCOMPARE(recent.size(), StudioSettings::kMaxRecent);
  QCOMPARE(recent.front(), QStringLiteral("/data/study10"));
  QCOMPARE(recent.count(QStringLiteral("/data/study10")), 1);
  QCOMPARE(recent[1], QStringLiteral("/data/study14"));
  s.clearRecentStudies();
  QVERIFY(s.recentStudies().isEmpty());
}
