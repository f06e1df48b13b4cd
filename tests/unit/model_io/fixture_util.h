// Helpers shared by the model_io tests: fixture paths and scratch files.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace cxr::model::testing {

inline const std::vector<std::string>& parity_cases() {
  static const std::vector<std::string> kCases = {"small", "odd", "interp", "bf16", "sharded_fp16", "patch14"};
  return kCases;
}

inline std::filesystem::path case_dir(const std::string& name) {
  return std::filesystem::path(CXR_TEST_FIXTURES_DIR) / "parity" / name;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline nlohmann::json read_json(const std::filesystem::path& path) { return nlohmann::json::parse(read_bytes(path)); }

// A fresh directory under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    // tmpfs when there is one: the damaged-file tests write thousands of small files.
    std::error_code ec;
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
    path_ = base / ("cxr-model-io-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace cxr::model::testing
