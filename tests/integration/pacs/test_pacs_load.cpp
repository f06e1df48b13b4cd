// Load and crash behaviour of `cxr serve` with real peers (labels: integration slow).
//  * 500 instances over 8 concurrent storescu associations: none lost, each study analysed once,
//    every SR delivered; receive rate measured against Orthanc's in the same run.
//  * kill -9 during a burst, restart: every acknowledged instance is on disk, analysed and its SR
//    delivered.
#include "cxr_node.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace cxr::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

json node_config(const std::string& orthanc_peer, double quiet_s) {
  return {{"node", {{"ae_title", "CXR_ASSIST"}, {"max_associations", 8}}},
          {"study_quiet_seconds", quiet_s},
          {"analysis", {{"engine", "pipeline-check"}, {"workers", 2}}},
          {"destinations", {{{"name", "orthanc"}, {"type", "dicom"}, {"peer", orthanc_peer}}}},
          {"retry", {{"max_attempts", 5}, {"initial_backoff_seconds", 0.2}, {"max_backoff_seconds", 1}}},
          {"log", {{"level", "info"}}}};
}

// Sends files over `associations` concurrent storescu processes (file i on process i % n);
// returns seconds elapsed, fails the test if one storescu fails.
double send_parallel(int port, const std::string& aec, const std::vector<std::string>& files, int associations) {
  std::vector<std::vector<std::string>> parts(associations);
  for (size_t i = 0; i < files.size(); ++i) parts[i % associations].push_back(files[i]);
  TempDir logs("cxr-storescu");
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<Process>> procs;
  for (int a = 0; a < associations; ++a)
    procs.push_back(std::make_unique<Process>(storescu(port, parts[a], aec), logs / ("s" + std::to_string(a) + ".log")));
  for (auto& p : procs) EXPECT_EQ(p->wait(120), 0) << p->log();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

size_t count_dicom_files(const std::string& dir) {
  size_t n = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".dcm") ++n;
  return n;
}

TEST(PacsLoad, FiveHundredInstancesOverEightAssociationsNoneLostEachStudyAnalysedOnce) {
  TempDir work("cxr-load");
  const int kStudies = 50, kPerStudy = 10;
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work.path(), kStudies, kPerStudy, uids);
  std::vector<std::string> files;
  for (const auto& s : studies) files.insert(files.end(), s.begin(), s.end());
  ASSERT_EQ(files.size(), 500u);

  int node_port = free_port();
  Orthanc orthanc(json{{"cxr", json::array({"CXR_ASSIST", "127.0.0.1", node_port})}});
  CxrNode node(node_config(orthanc.peer(), 3), node_port);
  node.start();

  double node_s = send_parallel(node_port, "CXR_ASSIST", files, 8);
  double orthanc_s = send_parallel(orthanc.dicom_port(), "ORTHANC", files, 8);
  std::cout << "[measure] receive rate, 500 instances (127 KB CR) over 8 associations: cxr serve "
            << 500 / node_s << " instances/s (" << node_s << " s), Orthanc " << 500 / orthanc_s << " instances/s ("
            << orthanc_s << " s)\n";
  RecordProperty("cxr_rate_per_s", std::to_string(500 / node_s));
  RecordProperty("orthanc_rate_per_s", std::to_string(500 / orthanc_s));

  ASSERT_TRUE(wait_until([&] { return node.status()["studies_by_state"]["done"] == kStudies; }, 90, 250))
      << node.status().dump(2) << node.log();
  json status = node.status();
  EXPECT_EQ(status["received"], 500);
  EXPECT_EQ(status["analysed"], kStudies) << "each study analysed exactly once";
  EXPECT_EQ(status["deliveries"]["sent"], kStudies);
  EXPECT_EQ(count_dicom_files(node.data_dir() + "/incoming"), 500u);
  int with_sr = 0;
  for (const auto& uid : uids) with_sr += orthanc.count_instances(uid, "SR") == 1;
  EXPECT_EQ(with_sr, kStudies);
  std::cout << "[measure] latency last instance -> SR delivered (quiet time 3 s): " << status["latency_s"].dump() << "\n";
  EXPECT_EQ(node.stop(), 0);
}

// storescu -v prints "Sending file: <path>" and then "Received Store Response (Success)" per file.
std::vector<std::string> acknowledged_files(const std::string& log) {
  std::vector<std::string> acked;
  std::istringstream in(log);
  std::string line, current;
  while (std::getline(in, line)) {
    auto p = line.find("Sending file: ");
    if (p != std::string::npos) current = line.substr(p + 14);
    else if (line.find("Received Store Response (Success)") != std::string::npos && !current.empty()) acked.push_back(current);
  }
  return acked;
}

std::string tag_value(const std::string& file, const std::string& tag) {
  auto r = run_command({"dcmdump", "-q", "-s", "+P", tag, file}, 30);
  auto open = r.output.find('['), close = r.output.find(']');
  return open == std::string::npos || close == std::string::npos ? "" : r.output.substr(open + 1, close - open - 1);
}

TEST(PacsLoad, KillNineDuringBurstLosesNothingAcknowledged) {
  TempDir work("cxr-crash");
  std::vector<std::string> uids;
  auto studies = make_study_copies(sample_cr(), work.path(), 20, 10, uids);
  std::vector<std::string> files;
  for (const auto& s : studies) files.insert(files.end(), s.begin(), s.end());

  int node_port = free_port();
  Orthanc orthanc(json{{"cxr", json::array({"CXR_ASSIST", "127.0.0.1", node_port})}});
  CxrNode node(node_config(orthanc.peer(), 1), node_port);
  node.start();
  Process sender(storescu(node_port, files, "CXR_ASSIST", /*verbose=*/true), work / "storescu.log");
  // Kill once a good part of the burst is in, while instances are still arriving and studies analysed.
  ASSERT_TRUE(wait_until([&] { return count_dicom_files(node.data_dir() + "/incoming") >= 60; }, 60, 5));
  node.kill9();
  sender.wait(60);
  auto acked = acknowledged_files(sender.log());
  ASSERT_GE(acked.size(), 50u) << sender.log();
  ASSERT_LT(acked.size(), files.size()) << "the kill came too late to test anything";
  std::cout << "[measure] killed after " << acked.size() << " acknowledged instances\n";

  node.start();  // same data dir: recovers the queue
  std::set<std::string> acked_studies;
  for (const auto& f : acked) {
    std::string study = tag_value(f, "StudyInstanceUID"), sop = tag_value(f, "SOPInstanceUID");
    ASSERT_FALSE(sop.empty());
    EXPECT_TRUE(fs::exists(node.data_dir() + "/incoming/" + study + "/" + sop + ".dcm")) << "acknowledged but lost: " << f;
    acked_studies.insert(study);
  }
  ASSERT_TRUE(wait_until([&] {
    for (const auto& s : acked_studies)
      if (orthanc.count_instances(s, "SR") != 1) return false;
    return true;
  }, 90, 250)) << node.log();
  json status = node.status();
  EXPECT_GE(status["received"].get<int>(), static_cast<int>(acked.size()));
  EXPECT_EQ(status["studies_by_state"]["failed"], 0) << status.dump(2);
  EXPECT_EQ(node.stop(), 0);
}

}  // namespace
}  // namespace cxr::test
