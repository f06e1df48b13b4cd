// sha256_hex for provenance hashes (prompt sets, site libraries): the model module's one SHA-256
// implementation (siglip/sha256.h, FIPS 180-4) applied to an in-memory string.
#include "cxr/model/findings.h"
#include "siglip/sha256.h"

namespace cxr::model {

std::string sha256_hex(const std::string& bytes) {
  siglip::Sha256 hash;
  hash.update(bytes.data(), bytes.size());
  return hash.hex_digest();
}

}  // namespace cxr::model
