// A read-only memory mapping of a whole file (POSIX mmap). Private to model/src/io.
#pragma once

#include <cstddef>
#include <string>

namespace cxr::model::io {

// Owns one mapping; movable, not copyable. Throws cxr::Exception (kNotFound / kIo) naming the file.
// An empty file maps to data() == nullptr, size() == 0. Thread-safe to read once constructed.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace cxr::model::io
