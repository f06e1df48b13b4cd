// SHA-256 (FIPS 180-4) of files, for model identity (SiglipModel::model_hash): which weights produced
// an embedding is recorded with it, so it must be the real digest of the bytes on disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxr::model::siglip {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  std::string hex_digest();  // finishes the hash; call once

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// Digest of the files' bytes concatenated in the given order. Throws cxr::Exception (kIo) naming an
// unreadable file.
std::string sha256_files(const std::vector<std::string>& paths);

}  // namespace cxr::model::siglip
