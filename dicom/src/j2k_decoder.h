// dicom/src/j2k_decoder.h — JPEG 2000 / HTJ2K codestream decoding with OpenJPEG (internal).
// DCMTK's free build has no JPEG 2000 codec, so encapsulated J2K fragments are decoded here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxr::dicom::internal {

struct J2kImage {
  int width = 0, height = 0, components = 0;
  int precision = 0;               // bits per sample of component 0
  bool is_signed = false;
  std::vector<int32_t> samples;    // (height, width, components) interleaved
};

// Decodes a J2K codestream (FF4F FF51...) or a JP2 file (box format). Inverse colour transforms
// (RCT/ICT) are applied by OpenJPEG. Throws cxr::Exception naming path on corrupt or truncated
// data, or on sub-sampled components. Thread-safe (no shared state).
// threads: OpenJPEG worker threads (<= 0: all cores).
J2kImage decode_j2k(const uint8_t* data, size_t size, const std::string& path, int threads);

}  // namespace cxr::dicom::internal
