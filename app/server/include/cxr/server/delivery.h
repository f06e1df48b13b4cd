// cxr/server/delivery.h — sends result files to a destination: C-STORE SCU or DICOMweb STOW-RS
// (PS3.18 10.5: POST <base>/studies, multipart/related; type="application/dicom").
// Thread-safety: deliver() is reentrant.
#pragma once

#include "cxr/result.h"
#include "cxr/server/config.h"

#include <string>
#include <vector>

namespace cxr::server {

Status deliver(const Destination& destination, const std::vector<std::string>& files);

// STOW-RS alone (used by deliver; exposed for tests). kNetwork with the HTTP status and body excerpt.
Status stow_rs(const Destination& destination, const std::vector<std::string>& files);

// Back-off before attempt number `attempts + 1`: initial * 2^(attempts-1), capped at max.
double backoff_seconds(const RetryPolicy& policy, int attempts);

}  // namespace cxr::server
