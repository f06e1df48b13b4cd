// `cxr serve` / `cxr pull` against a real Orthanc (Debian package) and DCMTK's command-line clients,
// all on free loopback ports. One Orthanc serves the whole suite; each test starts its own node.
#include "cxr_node.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cxr::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

class PacsOrthanc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    node_port_ = free_port();
    orthanc_ = new Orthanc(json{{"cxr", json::array({"CXR_ASSIST", "127.0.0.1", node_port_})}});
  }
  static void TearDownTestSuite() {
    delete orthanc_;
    orthanc_ = nullptr;
  }

  // A node configuration that delivers SRs to the suite's Orthanc over DICOM.
  static json node_config(const std::string& engine = "pipeline-check") {
    return {{"node", {{"ae_title", "CXR_ASSIST"}, {"max_associations", 8}}},
            {"study_quiet_seconds", 1},
            {"analysis", {{"engine", engine}}},
            {"destinations", {{{"name", "orthanc"}, {"type", "dicom"}, {"peer", orthanc_->peer()}}}},
            {"retry", {{"max_attempts", 3}, {"initial_backoff_seconds", 0.2}, {"max_backoff_seconds", 1}}},
            {"log", {{"level", "info"}}}};
  }

  static int node_port_;
  static Orthanc* orthanc_;
  TempDir work_{"cxr-pacs-test"};
};
int PacsOrthanc::node_port_ = 0;
Orthanc* PacsOrthanc::orthanc_ = nullptr;

TEST_F(PacsOrthanc, OrthancSendsStudyAndTheSrLandsInTheSameStudy) {
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 2, uids);
  std::string orthanc_id;
  for (const auto& f : studies[0]) orthanc_id = orthanc_->upload(f);
  ASSERT_FALSE(orthanc_id.empty()) << orthanc_->log();

  CxrNode node(node_config(), node_port_);
  node.start();
  ASSERT_EQ(orthanc_->send_study(orthanc_id, "cxr"), 200) << node.log();  // synchronous C-STORE by Orthanc
  auto sent = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "SR") == 1; }, 60, 50)) << node.log();
  double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  std::cout << "[measure] latency last C-STORE -> SR in Orthanc: " << latency << " s (quiet time 1 s)\n";
  RecordProperty("latency_store_to_sr_s", std::to_string(latency));

  json status = node.status();
  EXPECT_EQ(status["received"], 2) << status.dump();
  EXPECT_EQ(status["analysed"], 1) << status.dump();
  EXPECT_EQ(status["deliveries"]["sent"], 1) << status.dump();
  EXPECT_EQ(status["queue_depth"], 0) << status.dump();
  EXPECT_EQ(node.stop(), 0) << node.log();
  // JSON-lines log; no patient data at info level (the sample's PatientID/PatientName are not logged).
  std::string log = node.log();
  EXPECT_NE(log.find("\"event\":\"study_analysed\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"delivered\""), std::string::npos);
  auto patient = run_command({"dcmdump", "-q", "+P", "PatientID", studies[0][0]});
  auto open = patient.output.find('['), close = patient.output.find(']');
  if (open != std::string::npos && close > open + 1) {
    std::string patient_id = patient.output.substr(open + 1, close - open - 1);
    EXPECT_EQ(log.find(patient_id), std::string::npos) << "patient ID in the log";
  }
}

TEST_F(PacsOrthanc, PullRetrievesFromOrthancAnalysesAndDelivers) {
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 2, uids);
  for (const auto& f : studies[0]) ASSERT_FALSE(orthanc_->upload(f).empty());
  CxrNode node(node_config(), free_port());  // not started: pull uses the configuration only
  std::ofstream(node.config_path()) << [&] {
    json c = node_config();
    c["data_dir"] = node.data_dir();
    c["node"]["port"] = node.port();
    return c.dump(2);
  }();
  auto r = run_command({cxr_binary(), "pull", "--config", node.config_path(), "--from", orthanc_->peer(), "--study-uid",
                        uids[0], "--timeout", "90"},
                       120);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"state\": \"done\""), std::string::npos) << r.output;
  EXPECT_EQ(fs::is_directory(node.data_dir() + "/incoming/" + uids[0]), true);
  EXPECT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "SR") == 1; }, 30)) << r.output;

  // A query that matches nothing is not an error and retrieves nothing.
  auto none = run_command({cxr_binary(), "pull", "--config", node.config_path(), "--from", orthanc_->peer(), "--date",
                           "19000101-19000102", "--modality", "CR,DX"},
                          60);
  EXPECT_EQ(none.exit_code, 0) << none.output;
  EXPECT_NE(none.output.find("0 studies found"), std::string::npos) << none.output;
}

TEST_F(PacsOrthanc, PullWithMoveToSendsTheStudyToARunningNode) {
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 2, uids);
  for (const auto& f : studies[0]) ASSERT_FALSE(orthanc_->upload(f).empty());
  CxrNode node(node_config(), node_port_);  // Orthanc knows CXR_ASSIST at this port
  node.start();
  auto r = run_command({cxr_binary(), "pull", "--config", node.config_path(), "--from", orthanc_->peer(), "--study-uid",
                        uids[0], "--move-to", "CXR_ASSIST"},
                       120);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"moved\": 2"), std::string::npos) << r.output;
  ASSERT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "SR") == 1; }, 60)) << node.log();
  EXPECT_EQ(node.status()["received"], 2);
}

TEST_F(PacsOrthanc, StowRsDeliversToOrthancDicomWeb) {
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 1, uids);
  json config = node_config();
  config["destinations"] = {{{"name", "web"}, {"type", "stow-rs"}, {"url", orthanc_->url() + "/dicom-web"}}};
  CxrNode node(config, node_port_);
  node.start();
  auto r = run_command(storescu(node_port_, studies[0]), 60);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "SR") == 1; }, 60)) << node.log();
  EXPECT_EQ(orthanc_->count_instances(uids[0], "CR"), 0) << "only the SR was sent back, not the image";
}

TEST_F(PacsOrthanc, UnreachableDestinationEndsInDeadLetterWithReason) {
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 1, uids);
  json config = node_config();
  config["destinations"] = {{{"name", "gone"}, {"type", "dicom"}, {"peer", "NOBODY@127.0.0.1:" + std::to_string(free_port())},
                             {"timeout_seconds", 5}}};
  CxrNode node(config, node_port_);
  node.start();
  ASSERT_EQ(run_command(storescu(node_port_, studies[0]), 60).exit_code, 0);
  std::string dead = node.data_dir() + "/dead-letter/" + uids[0] + ".gone.json";
  ASSERT_TRUE(wait_until([&] { return fs::exists(dead); }, 60)) << node.log();
  std::ifstream in(dead);
  json record = json::parse(in);
  EXPECT_EQ(record["attempt"], 3);
  EXPECT_NE(record["reason"].get<std::string>().find("association failed"), std::string::npos) << record.dump();
  EXPECT_EQ(node.status()["deliveries"]["dead"], 1);
  std::string log = node.log();
  size_t retries = 0;
  for (size_t p = log.find("delivery_retry"); p != std::string::npos; p = log.find("delivery_retry", p + 1)) ++retries;
  EXPECT_EQ(retries, 2u) << log;
}

TEST_F(PacsOrthanc, UnknownCallingAeIsRejected) {
  json config = node_config();
  config["node"]["allowed_calling_aes"] = {"STORESCU", "ORTHANC"};
  CxrNode node(config, node_port_);
  node.start();
  auto allowed = run_command({"echoscu", "-aet", "STORESCU", "-aec", "CXR_ASSIST", "127.0.0.1", std::to_string(node_port_)}, 30);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
  auto intruder = run_command({"echoscu", "-aet", "INTRUDER", "-aec", "CXR_ASSIST", "127.0.0.1", std::to_string(node_port_)}, 30);
  EXPECT_NE(intruder.exit_code, 0) << intruder.output;
  EXPECT_NE(intruder.output.find("Rejected"), std::string::npos) << intruder.output;
  auto wrong_called = run_command({"echoscu", "-aet", "STORESCU", "-aec", "SOMEONE", "127.0.0.1", std::to_string(node_port_)}, 30);
  EXPECT_NE(wrong_called.exit_code, 0) << wrong_called.output;
  EXPECT_NE(node.log().find("\"association_rejected\""), std::string::npos);
}

TEST_F(PacsOrthanc, TlsAssociationNeedsATrustedCertificate) {
  make_certificates(work_.path());
  json config = node_config();
  config["node"]["tls"] = {{"enabled", true}, {"certificate", work_ / "server.pem"}, {"private_key", work_ / "server.key"},
                           {"trusted_certificates", {work_ / "ca.pem"}}, {"require_peer_certificate", true}};
  CxrNode node(config, node_port_);
  node.start();
  std::string port = std::to_string(node_port_);
  auto echo = [&](std::vector<std::string> tls) {
    std::vector<std::string> argv = {"echoscu", "-aet", "STORESCU", "-aec", "CXR_ASSIST", "-to", "10", "-ta", "10"};
    argv.insert(argv.end(), tls.begin(), tls.end());
    argv.insert(argv.end(), {"127.0.0.1", port});
    return run_command(argv, 30);
  };
  auto good = echo({"+tls", work_ / "client.key", work_ / "client.pem", "+cf", work_ / "ca.pem"});
  EXPECT_EQ(good.exit_code, 0) << good.output << node.log();
  auto anonymous = echo({"+tla", "+cf", work_ / "ca.pem"});
  EXPECT_NE(anonymous.exit_code, 0) << "TLS without a client certificate must fail\n" << anonymous.output;
  auto rogue = echo({"+tls", work_ / "rogue.key", work_ / "rogue.pem", "+cf", work_ / "ca.pem"});
  EXPECT_NE(rogue.exit_code, 0) << "a certificate from another CA must fail\n" << rogue.output;
  auto plain = echo({});
  EXPECT_NE(plain.exit_code, 0) << "plain DICOM on the TLS port must fail\n" << plain.output;
  // The node still serves after the failed handshakes.
  auto again = echo({"+tls", work_ / "client.key", work_ / "client.pem", "+cf", work_ / "ca.pem"});
  EXPECT_EQ(again.exit_code, 0) << again.output;
}

// Outgoing TLS: the node delivers its SR to a TLS-only peer (DCMTK's storescp with a certificate from
// the same CA, requiring ours). A destination whose certificate that peer does not trust never
// delivers: the SR ends in the dead-letter folder, nothing is lost.
TEST_F(PacsOrthanc, DeliversOverTlsOnlyWithATrustedCertificate) {
  make_certificates(work_.path());
  const int pacs_port = free_port();
  const std::string inbox = work_ / "tls-inbox";
  fs::create_directories(inbox);
  Process pacs({"storescp", "-aet", "TLSPACS", "+tls", work_ / "server.key", work_ / "server.pem", "+cf",
                work_ / "ca.pem", "-od", inbox, std::to_string(pacs_port)},
               work_ / "storescp.log");
  ASSERT_TRUE(wait_until([&] {
    return run_command({"echoscu", "-aec", "TLSPACS", "+tls", work_ / "client.key", work_ / "client.pem", "+cf",
                        work_ / "ca.pem", "127.0.0.1", std::to_string(pacs_port)}, 10).exit_code == 0;
  }, 20, 200)) << pacs.log();
  auto config_with = [&](const std::string& key, const std::string& cert) {
    json config = node_config();
    config["destinations"] = {{{"name", "tlspacs"}, {"type", "dicom"},
                               {"peer", "TLSPACS@127.0.0.1:" + std::to_string(pacs_port)},
                               {"tls", {{"enabled", true}, {"certificate", cert}, {"private_key", key},
                                        {"trusted_certificates", {work_ / "ca.pem"}}}}}};
    return config;
  };
  auto sr_arrived = [&] {
    for (const auto& e : fs::directory_iterator(inbox))
      if (e.path().filename().string().rfind("SR", 0) == 0) return true;
    return false;
  };
  {
    std::vector<std::string> uids;
    auto studies = make_study_copies(sample_cr(), work_.path(), 1, 1, uids);
    CxrNode node(config_with(work_ / "client.key", work_ / "client.pem"), node_port_);
    node.start();
    ASSERT_EQ(run_command(storescu(node_port_, studies[0]), 60).exit_code, 0);
    EXPECT_TRUE(wait_until(sr_arrived, 60)) << "no SR arrived over TLS\n" << node.log() << pacs.log();
    EXPECT_EQ(node.stop(), 0);
  }
  fs::remove_all(inbox);
  fs::create_directories(inbox);
  {
    std::vector<std::string> uids;
    auto studies = make_study_copies(sample_cr(), work_.path(), 1, 1, uids);
    CxrNode node(config_with(work_ / "rogue.key", work_ / "rogue.pem"), node_port_);
    node.start();
    ASSERT_EQ(run_command(storescu(node_port_, studies[0]), 60).exit_code, 0);
    const std::string dead = node.data_dir() + "/dead-letter";
    EXPECT_TRUE(wait_until([&] { return fs::exists(dead) && !fs::is_empty(dead); }, 60))
        << "a delivery the peer refuses must end in the dead-letter folder\n" << node.log();
    EXPECT_FALSE(sr_arrived()) << "the peer accepted an untrusted certificate";
    EXPECT_EQ(node.stop(), 0);
  }
}

// The real engine (cxr::core::Analyzer): the bundled model when present, else the tiny parity model
// from the test fixtures (random weights: the findings are meaningless, the plumbing is real).
TEST_F(PacsOrthanc, RealAnalyzerProducesAnSrWithFindings) {
  std::string model = std::string(CXR_SOURCE_DIR) + "/resources/models/cxr-siglip-default";
  if (!fs::exists(model + "/config.json")) model = std::string(CXR_TEST_FIXTURES_DIR) + "/parity/small";
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 1, uids);
  json config = node_config("core");
  config["analysis"]["model_dir"] = model;
  config["analysis"]["findings"] = {"pneumonia", "effusion"};
  config["analysis"]["threads"] = 2;
  CxrNode node(config, node_port_);
  node.start();
  ASSERT_EQ(run_command(storescu(node_port_, studies[0]), 60).exit_code, 0);
  ASSERT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "SR") == 1; }, 120)) << node.log();
  std::string sr = node.data_dir() + "/results/" + uids[0] + "/sr.dcm";
  auto dump = run_command({"dsrdump", sr}, 30);
  ASSERT_EQ(dump.exit_code, 0) << dump.output;
  EXPECT_NE(dump.output.find("Pneumonia"), std::string::npos) << dump.output;
  EXPECT_NE(node.log().find("\"engine\":\"core\""), std::string::npos);
}

// A positive finding's heatmap goes back as a Secondary Capture in the same study, next to the SR;
// the node runs the shipped model in bf16 (analysis.precision) where the CPU has it. The sidecar note
// states pneumonia, which makes it positive on this radiograph.
TEST_F(PacsOrthanc, HeatmapSecondaryCaptureLandsInTheSameStudy) {
  const std::string model = std::string(CXR_SOURCE_DIR) + "/resources/models/cxr-siglip-default";
  if (!fs::exists(model + "/config.json")) GTEST_SKIP() << "no shipped model at " << model;
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work_.path(), 1, 1, uids);
  const std::string notes_dir = work_.path() + "/notes";
  fs::create_directories(notes_dir);
  std::ofstream(notes_dir + "/" + uids[0] + ".txt") << "High fever, productive cough. Right lower lobe pneumonia.";
  json config = node_config("core");
  config["notes_dir"] = notes_dir;
  config["analysis"]["model_dir"] = model;
  config["analysis"]["findings"] = {"pneumonia"};
  config["analysis"]["heatmaps"] = true;
  config["analysis"]["threads"] = 2;
  if (__builtin_cpu_supports("avx512bf16")) config["analysis"]["precision"] = "bf16";
  CxrNode node(config, node_port_);
  node.start();
  ASSERT_EQ(run_command(storescu(node_port_, studies[0]), 60).exit_code, 0);
  ASSERT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "SR") == 1; }, 120)) << node.log();
  ASSERT_TRUE(wait_until([&] { return orthanc_->count_instances(uids[0], "OT") >= 1; }, 30)) << node.log();
  const std::string sc = node.data_dir() + "/results/" + uids[0] + "/heatmap-pneumonia.dcm";
  auto dump = run_command({"dcmdump", "-q", "-Un", "+P", "SOPClassUID", "+P", "StudyInstanceUID", sc}, 30);
  ASSERT_EQ(dump.exit_code, 0) << dump.output;
  EXPECT_NE(dump.output.find("1.2.840.10008.5.1.4.1.1.7"), std::string::npos) << dump.output;  // Secondary Capture
  EXPECT_NE(dump.output.find(uids[0]), std::string::npos) << dump.output;                     // same study
  const auto verified = run_command({"dciodvfy", sc}, 30);
  EXPECT_NE(verified.output.find("SCImage"), std::string::npos) << "dciodvfy did not check it as SC\n" << verified.output;
  EXPECT_EQ(verified.output.find("Error - "), std::string::npos) << verified.output;
}

}  // namespace
}  // namespace cxr::test
