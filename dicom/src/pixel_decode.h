// dicom/src/pixel_decode.h — stored pixel values of one frame, any transfer syntax (internal).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

class DcmFileFormat;

namespace cxr::dicom::internal {

// Stored values of one frame after decompression, Bits Stored masking and sign extension
// (PS3.5 8.1.1, PS3.3 C.7.6.3.1): samples is (rows, columns, samples_per_pixel) interleaved,
// whatever the file's Planar Configuration. photometric is the colour model of these samples
// (a decoder may have turned YBR_FULL_422 into RGB). Native YBR_FULL_422 is expanded to 3 samples.
struct RawFrame {
  int rows = 0, columns = 0, samples_per_pixel = 1;
  int bits_stored = 0;
  bool is_signed = false;
  std::string photometric;
  std::vector<int32_t> samples;
};

// Decodes frame (0-based) of a fully loaded file. Throws cxr::Exception naming path: no pixel data,
// frame out of range, truncated data, unsupported transfer syntax or pixel model, corrupt bitstream.
// Not thread-safe on the same DcmFileFormat (DCMTK may decompress in place); fine across files.
// threads: JPEG 2000 decoder threads (0 = all cores).
RawFrame decode_frame(DcmFileFormat& file, const std::string& path, int frame, int threads = 0);

// Loads path and decodes one frame (convenience for tests and tools; throws like decode_frame).
RawFrame decode_file_frame(const std::string& path, int frame, int threads = 0);

}  // namespace cxr::dicom::internal
