// Test harness for the PACS node against real peers: child processes (Orthanc, cxr serve, DCMTK
// clients, curl) on free loopback ports, bounded waits by polling (never fixed sleeps), temp dirs.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cxr::test {

// A port that was free a moment ago (bind 127.0.0.1:0, read it back, close).
int free_port();

// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Polls pred every poll_ms until it is true or timeout_s passed; returns pred's last value.
bool wait_until(const std::function<bool()>& pred, double timeout_s, int poll_ms = 50);

struct CommandResult {
  int exit_code = -1;  // -1: killed at the timeout
  std::string output;  // stdout + stderr
};
// Runs argv to completion (killed after timeout_s).
CommandResult run_command(const std::vector<std::string>& argv, double timeout_s = 60);

// A child process with stdout+stderr going to log_path.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::string& log_path);
  ~Process();  // SIGKILL if still running
  pid_t pid() const { return pid_; }
  bool running();
  void kill(int signal);
  // Waits for exit up to timeout_s; returns the exit code, or -1 if still running / killed by signal.
  int wait(double timeout_s);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
  std::string log_path_;
};

// HTTP via the curl command-line tool (the C++ tests need no HTTP library).
struct HttpResult {
  int status = 0;
  std::string body;
};
HttpResult http(const std::string& method, const std::string& url, const std::string& body_file = "",
                const std::string& body_text = "");

// A private Orthanc with the DICOMweb plugin: temp storage, free DICOM and HTTP ports, AE "ORTHANC".
class Orthanc {
 public:
  // modalities: name -> [AET, host, port] entries Orthanc may send to (e.g. our node).
  // extra: configuration keys merged over the defaults (e.g. DicomTlsEnabled and its files).
  explicit Orthanc(const nlohmann::json& modalities = nlohmann::json::object(),
                   const nlohmann::json& extra = nlohmann::json::object());
  ~Orthanc();
  int dicom_port() const { return dicom_port_; }
  int http_port() const { return http_port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  std::string peer() const { return "ORTHANC@127.0.0.1:" + std::to_string(dicom_port_); }
  // Uploads a DICOM file over REST; returns Orthanc's study id ("" on failure).
  std::string upload(const std::string& path);
  // Series of the study (by StudyInstanceUID) whose Modality is modality; count of instances in them.
  int count_instances(const std::string& study_uid, const std::string& modality);
  // Asks Orthanc to C-STORE a study (Orthanc id) to a configured modality; returns the HTTP status.
  int send_study(const std::string& orthanc_study_id, const std::string& modality_name);
  std::string log() const;

 private:
  TempDir dir_;
  int dicom_port_, http_port_;
  std::unique_ptr<Process> process_;
};

// Copies of a real DICOM file with new UIDs: studies x per_study instances, each with its own
// SOPInstanceUID, sharing StudyInstanceUID/SeriesInstanceUID per study. Returns paths grouped by
// study; study_uids receives the UIDs.
std::vector<std::vector<std::string>> make_study_copies(const std::string& source, const std::string& dir, int studies,
                                                        int per_study, std::vector<std::string>& study_uids);
// Certificates for TLS tests, in dir: ca.pem/.key, server.pem/.key and client.pem/.key signed by that
// CA, and rogue.pem/.key signed by another CA (rogue-ca). Throws if openssl fails.
void make_certificates(const std::string& dir);

// A new UID under 2.25 (UUID-derived, PS3.5 B.2).
std::string new_uid();

// Paths used by the suites.
std::string cxr_binary();
std::string sample_cr();  // a real CR from shared data (JPEG baseline, 127 KB)

}  // namespace cxr::test
