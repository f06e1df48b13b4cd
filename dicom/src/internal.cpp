#include "internal.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace cxr::dicom::internal {

std::string display_name(const std::string& path) { return path; }

void fail(const std::string& path, ErrorCode code, const std::string& cause) {
  throw Exception(code, display_name(path) + ": " + cause);
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, ErrorCode::kNotFound, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, ErrorCode::kInvalidArgument, "is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, ErrorCode::kIo, std::string("cannot open (") + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) fail(path, ErrorCode::kIo, "cannot determine the file size");
  in.seekg(0);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size))
    fail(path, ErrorCode::kIo, "read failed");
  return bytes;
}

std::vector<uint8_t> read_file_head(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::vector<uint8_t> bytes(max_bytes);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(max_bytes));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

}  // namespace cxr::dicom::internal
