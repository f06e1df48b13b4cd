// Helpers shared by the findings integration tests.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace cxr::test {

inline std::string shared(const std::string& rel) { return std::string(CXR_SHARED_DATA_DIR) + "/" + rel; }
inline std::string source(const std::string& rel) { return std::string(CXR_SOURCE_DIR) + "/" + rel; }
inline std::string cxr_binary() { return std::string(CXR_BINARY_DIR) + "/bin/cxr"; }
inline std::string tiny_model() { return std::string(CXR_TEST_FIXTURES_DIR) + "/parity/small"; }
inline std::string tiny_prompts() { return source("tests/integration/findings/data/tiny_prompts.json"); }

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout + stderr
};

// Runs a shell command, capturing stdout and stderr.
inline CommandResult run(const std::string& command) {
  CommandResult r;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>&1").c_str(), "r"), pclose);
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe.get())) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe.release());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

// A fresh temporary folder, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("cxr_findings_" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A copy of `from` cut to `keep` bytes: a corrupt input for failure-isolation tests.
inline void write_truncated(const std::string& from, const std::string& to, std::size_t keep) {
  const std::string bytes = read_text(from);
  std::ofstream(to, std::ios::binary) << bytes.substr(0, std::min(keep, bytes.size()));
}

}  // namespace cxr::test
