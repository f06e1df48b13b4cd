// PacsBrowser (the Query/retrieve dialog's logic) against a private Orthanc: C-FIND of CR/DX studies
// with and without a date filter, C-GET of one study into the storage folder, and the errors a user
// sees for a bad date filter, a bad node and an unreachable PACS. Integration (starts Orthanc).
#include "studio_tests.h"

#include "pacs_harness.h"
#include "vm/pacs_browser.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cxr::studio;

namespace {
const LocalIdentity me{QStringLiteral("CXR_STUDIO")};
}  // namespace

void PacsBrowserTest::validatesTheDateFilter() {
  QCOMPARE(PacsBrowser::validateDateFilter(QString()), QString());
  QCOMPARE(PacsBrowser::validateDateFilter(QStringLiteral("20200315")), QString());
  QCOMPARE(PacsBrowser::validateDateFilter(QStringLiteral("20200101-20201231")), QString());
  QCOMPARE(PacsBrowser::validateDateFilter(QStringLiteral("20200101-")), QString());
  QCOMPARE(PacsBrowser::validateDateFilter(QStringLiteral("-20201231")), QString());
  QVERIFY(PacsBrowser::validateDateFilter(QStringLiteral("2020-03-15")).contains(QStringLiteral("YYYYMMDD")));
  QVERIFY(PacsBrowser::validateDateFilter(QStringLiteral("20201301")).contains(QStringLiteral("calendar")));
  QVERIFY(PacsBrowser::validateDateFilter(QStringLiteral("20201231-20200101")).contains(QStringLiteral("ends before")));
  QVERIFY(!PacsBrowser::validateDateFilter(QStringLiteral("-")).isEmpty());
  QVERIFY(!PacsBrowser::validateDateFilter(QStringLiteral("2020010120201231")).isEmpty());
}

void PacsBrowserTest::queriesAndRetrievesFromOrthanc() {
  using namespace cxr::test;
  Orthanc orthanc;
  TempDir copies("studio-pacs");
  std::vector<std::string> uids;
  const auto studies = make_study_copies(sample_cr(), copies.path(), 1, 2, uids);
  for (const auto& path : studies.front()) QVERIFY(!orthanc.upload(path).empty());
  const PacsNode node{QStringLiteral("Test PACS"), QStringLiteral("ORTHANC"), QStringLiteral("127.0.0.1"),
                      orthanc.dicom_port()};

  PacsBrowser browser;
  QSignalSpy found(&browser, &PacsBrowser::studiesFound);
  QSignalSpy failed(&browser, &PacsBrowser::failed);
  QVERIFY(browser.query(node, me, QString()));
  QVERIFY(!browser.query(node, me, QString()));  // one at a time
  QVERIFY2(found.wait(30000), failed.isEmpty() ? "no answer" : qPrintable(failed.first().first().toString()));
  const auto rows = found.first().first().value<QVector<StudyRow>>();
  QCOMPARE(rows.size(), 1);
  QCOMPARE(rows.front().study_instance_uid, QString::fromStdString(uids.front()));
  QCOMPARE(rows.front().images, 2);
  QVERIFY(rows.front().modalities.contains(QStringLiteral("CR")));

  // A date range the study is not in finds nothing.
  QVERIFY(browser.query(node, me, QStringLiteral("19000101-19000102")));
  QVERIFY(found.wait(30000));
  QCOMPARE(found.last().first().value<QVector<StudyRow>>().size(), 0);

  // C-GET into <storage>/retrieved/<StudyInstanceUID>/.
  QTemporaryDir storage;
  QSignalSpy retrieved(&browser, &PacsBrowser::retrieved);
  QVERIFY(browser.retrieve(node, me, rows.front().study_instance_uid, storage.path()));
  QVERIFY2(retrieved.wait(60000), failed.isEmpty() ? "no answer" : qPrintable(failed.last().first().toString()));
  const QString folder = retrieved.first().at(0).toString();
  QCOMPARE(retrieved.first().at(1).toInt(), 2);
  QCOMPARE(QDir(folder).entryList({QStringLiteral("*.dcm")}, QDir::Files).size(), 2);
  QVERIFY(folder.startsWith(storage.path()));
  QVERIFY(failed.isEmpty());
}

void PacsBrowserTest::reportsWhatWentWrong() {
  PacsBrowser browser;
  QSignalSpy failed(&browser, &PacsBrowser::failed);
  const PacsNode good{QStringLiteral("Nobody"), QStringLiteral("NOBODY"), QStringLiteral("127.0.0.1"),
                      cxr::test::free_port()};
  QVERIFY(!browser.query(good, me, QStringLiteral("2020-01-01")));
  QVERIFY(failed.last().first().toString().contains(QStringLiteral("YYYYMMDD")));
  const PacsNode bad{QStringLiteral("Bad"), QString(), QStringLiteral("127.0.0.1"), 104};
  QVERIFY(!browser.query(bad, me, QString()));
  QCOMPARE(failed.size(), 2);
  QVERIFY(!browser.retrieve(good, me, QString(), QStringLiteral("/tmp")));
  QCOMPARE(failed.size(), 3);
  // Nothing listens on that port: the network error reaches the user, no crash, not busy afterwards.
  QVERIFY(browser.query(good, me, QString()));
  QVERIFY(failed.wait(60000));
  QVERIFY2(!failed.last().first().toString().isEmpty(), "an empty error message");
  QVERIFY(!browser.busy());
}

// A TLS-only Orthanc that requires a certificate from our CA: the workstation's certificate finds the
// study; the same node without TLS, or with a certificate from another CA, fails with a message; a
// TLS node without the workstation's files is refused before any association.
void PacsBrowserTest::queriesOverTlsOnlyWithATrustedCertificate() {
  using namespace cxr::test;
  TempDir certs("studio-tls");
  make_certificates(certs.path());
  const nlohmann::json tls = {{"DicomTlsEnabled", true},
                              {"DicomTlsCertificate", certs / "server.pem"},
                              {"DicomTlsPrivateKey", certs / "server.key"},
                              {"DicomTlsTrustedCertificates", certs / "ca.pem"},
                              {"DicomTlsRemoteCertificateRequired", true}};
  Orthanc orthanc(nlohmann::json::object(), tls);
  TempDir copies("studio-tls-study");
  std::vector<std::string> uids;
  const auto studies = make_study_copies(sample_cr(), copies.path(), 1, 1, uids);
  QVERIFY(!orthanc.upload(studies.front().front()).empty());
  const PacsNode node{QStringLiteral("TLS PACS"), QStringLiteral("ORTHANC"), QStringLiteral("127.0.0.1"),
                      orthanc.dicom_port(), true};
  const auto q = [](const std::string& s) { return QString::fromStdString(s); };
  const LocalIdentity trusted{QStringLiteral("CXR_STUDIO"), q(certs / "client.pem"), q(certs / "client.key"),
                              q(certs / "ca.pem")};
  const LocalIdentity rogue{QStringLiteral("CXR_STUDIO"), q(certs / "rogue.pem"), q(certs / "rogue.key"),
                            q(certs / "ca.pem")};

  PacsBrowser browser;
  QSignalSpy found(&browser, &PacsBrowser::studiesFound);
  QSignalSpy failed(&browser, &PacsBrowser::failed);
  QVERIFY(browser.query(node, trusted, QString()));
  QVERIFY2(found.wait(30000), failed.isEmpty() ? "no answer" : qPrintable(failed.first().first().toString()));
  const auto rows = found.first().first().value<QVector<StudyRow>>();
  QCOMPARE(rows.size(), 1);
  QCOMPARE(rows.front().study_instance_uid, QString::fromStdString(uids.front()));

  PacsNode plain = node;
  plain.tls = false;
  QVERIFY(browser.query(plain, trusted, QString()));
  QVERIFY(failed.wait(60000));
  QVERIFY(browser.query(node, rogue, QString()));
  QVERIFY(failed.wait(60000));
  QCOMPARE(failed.size(), 2);
  QCOMPARE(found.size(), 1);  // neither of the two reached the study

  // TLS without the workstation's files: refused before any network traffic, naming what is missing.
  QVERIFY(!browser.query(node, me, QString()));
  QCOMPARE(failed.size(), 3);
  QVERIFY(failed.last().first().toString().contains(QStringLiteral("certificate")));
}
