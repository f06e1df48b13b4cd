// Helpers shared by the dicom unit tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace cxr::dicom::test {

inline std::string shared_dicom(const std::string& relative) {
  return std::string(CXR_SHARED_DATA_DIR) + "/dicom/" + relative;
}

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A fresh folder under the build tree, removed first if it exists.
inline std::filesystem::path scratch_dir(const std::string& name) {
  // Per process: CTest runs each gtest case as its own process, in parallel, and a shared folder
  // would be wiped by one case while another writes into it.
  const std::filesystem::path dir =
      std::filesystem::path(CXR_BINARY_DIR) / "test-scratch" / "dicom" / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace cxr::dicom::test
