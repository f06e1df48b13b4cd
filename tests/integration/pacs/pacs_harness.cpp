#include "pacs_harness.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cxr::test {
namespace fs = std::filesystem;

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("free_port: cannot bind 127.0.0.1:0");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("CXR_KEEP_TEST_DIRS")) fs::remove_all(path_, ec);
}

bool wait_until(const std::function<bool()>& pred, double timeout_s, int poll_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
  }
}

Process::Process(const std::vector<std::string>& argv, const std::string& log_path) : log_path_(log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
}

Process::~Process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(10);
  }
}

bool Process::running() {
  if (exited_) return false;
  pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) exited_ = true;
  return !exited_;
}

void Process::kill(int signal) {
  if (running()) ::kill(pid_, signal);
}

int Process::wait(double timeout_s) {
  wait_until([&] { return !running(); }, timeout_s, 20);
  if (!exited_) return -1;
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

std::string Process::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult run_command(const std::vector<std::string>& argv, double timeout_s) {
  TempDir dir("cxr-cmd");
  Process p(argv, dir / "out.txt");
  CommandResult r;
  r.exit_code = p.wait(timeout_s);
  if (r.exit_code == -1 && p.running()) p.kill(SIGKILL), p.wait(5);
  r.output = p.log();
  return r;
}

HttpResult http(const std::string& method, const std::string& url, const std::string& body_file,
                const std::string& body_text) {
  TempDir dir("cxr-http");
  std::vector<std::string> argv = {"curl", "-s", "-o", dir / "body", "-w", "%{http_code}", "-X", method,
                                   "--max-time", "60", url};
  if (!body_file.empty()) argv.insert(argv.end(), {"--data-binary", "@" + body_file});
  if (!body_text.empty()) argv.insert(argv.end(), {"--data-binary", body_text});
  auto r = run_command(argv, 70);
  HttpResult h;
  h.status = std::atoi(r.output.c_str());
  std::ifstream in(dir / "body");
  std::stringstream ss;
  ss << in.rdbuf();
  h.body = ss.str();
  return h;
}

void make_certificates(const std::string& dir) {
  auto openssl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "openssl");
    auto r = run_command(args, 60);
    if (r.exit_code != 0) throw std::runtime_error("openssl failed: " + r.output);
  };
  for (const std::string ca : {"ca", "rogue-ca"})
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + ca, "-keyout",
             dir + "/" + ca + ".key", "-out", dir + "/" + ca + ".pem"});
  auto leaf = [&](const std::string& name, const std::string& ca) {
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", dir + "/" + name + ".key", "-out",
             dir + "/" + name + ".csr"});
    openssl({"x509", "-req", "-in", dir + "/" + name + ".csr", "-CA", dir + "/" + ca + ".pem", "-CAkey",
             dir + "/" + ca + ".key", "-CAcreateserial", "-days", "2", "-out", dir + "/" + name + ".pem"});
  };
  leaf("server", "ca");
  leaf("client", "ca");
  leaf("rogue", "rogue-ca");
}

Orthanc::Orthanc(const nlohmann::json& modalities, const nlohmann::json& extra)
    : dir_("cxr-orthanc"), dicom_port_(free_port()), http_port_(free_port()) {
  nlohmann::json config = {
      {"Name", "cxr-test-orthanc"},
      {"StorageDirectory", dir_ / "storage"},
      {"IndexDirectory", dir_ / "index"},
      {"HttpPort", http_port_},
      {"DicomPort", dicom_port_},
      {"DicomAet", "ORTHANC"},
      {"RemoteAccessAllowed", false},
      {"AuthenticationEnabled", false},
      {"SslEnabled", false},
      {"Plugins", {"/usr/share/orthanc/plugins/libOrthancDicomWeb.so"}},
      {"DicomWeb", {{"Enable", true}, {"Root", "/dicom-web/"}}},
      {"DicomModalities", modalities},
      {"DicomAlwaysAllowEcho", true},
      {"DicomAlwaysAllowStore", true},
      {"DicomAlwaysAllowFind", true},
      {"DicomAlwaysAllowGet", true},
      {"DicomAlwaysAllowMove", true},
      {"DicomCheckModalityHost", false},
      {"DicomThreadsCount", 8},
      {"StorageCompression", false},
      {"SaveJobs", false},
      {"HttpsVerifyPeers", false},
      {"StableAge", 1}};
  config.update(extra);
  std::ofstream(dir_ / "orthanc.json") << config.dump(2);
  process_ = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/Orthanc", dir_ / "orthanc.json"},
                                       dir_ / "orthanc.log");
  bool up = wait_until([&] { return process_->running() && http("GET", url() + "/system").status == 200; }, 60, 100);
  if (!up) throw std::runtime_error("Orthanc did not start within 60 s:\n" + log());
}

Orthanc::~Orthanc() {
  if (process_) {
    process_->kill(SIGTERM);
    if (process_->wait(20) == -1) process_->kill(SIGKILL);
  }
}

std::string Orthanc::log() const { return process_ ? process_->log() : ""; }

std::string Orthanc::upload(const std::string& path) {
  auto r = http("POST", url() + "/instances", path);
  if (r.status != 200) return "";
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("ParentStudy") ? j["ParentStudy"].get<std::string>() : "";
}

int Orthanc::count_instances(const std::string& study_uid, const std::string& modality) {
  nlohmann::json query = {{"Level", "Instance"}, {"Query", {{"StudyInstanceUID", study_uid}, {"Modality", modality}}}};
  auto r = http("POST", url() + "/tools/find", "", query.dump());
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return r.status == 200 && j.is_array() ? static_cast<int>(j.size()) : -1;
}

int Orthanc::send_study(const std::string& orthanc_study_id, const std::string& modality_name) {
  return http("POST", url() + "/modalities/" + modality_name + "/store", "", orthanc_study_id).status;
}

std::string new_uid() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  // 2.25.<decimal of a 96-bit random number> stays under 64 characters.
  std::string digits = std::to_string(gen() % 9000000000000000000ULL + 1000000000000000000ULL) +
                       std::to_string(gen() % 1000000000ULL);
  return "2.25." + digits;
}

std::vector<std::vector<std::string>> make_study_copies(const std::string& source, const std::string& dir, int studies,
                                                        int per_study, std::vector<std::string>& study_uids) {
  std::vector<std::vector<std::string>> out;
  for (int s = 0; s < studies; ++s) {
    std::string study_uid = new_uid(), series_uid = new_uid();
    study_uids.push_back(study_uid);
    std::vector<std::string> files;
    std::vector<std::string> argv = {"dcmodify", "-nb", "-q", "-gin", "-m", "StudyInstanceUID=" + study_uid,
                                     "-m", "SeriesInstanceUID=" + series_uid};
    for (int i = 0; i < per_study; ++i) {
      std::string path = dir + "/s" + std::to_string(s) + "_i" + std::to_string(i) + ".dcm";
      fs::copy_file(source, path, fs::copy_options::overwrite_existing);
      fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
      files.push_back(path);
      argv.push_back(path);
    }
    auto r = run_command(argv, 120);
    if (r.exit_code != 0) throw std::runtime_error("dcmodify failed: " + r.output);
    out.push_back(files);
  }
  return out;
}

std::string cxr_binary() { return std::string(CXR_BINARY_DIR) + "/bin/cxr"; }
std::string sample_cr() { return std::string(CXR_SHARED_DATA_DIR) + "/dicom/xray/rsna_cr_jpeg_baseline.dcm"; }

}  // namespace cxr::test
