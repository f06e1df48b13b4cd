// dicom/src/internal.h — helpers shared by the dicom module's sources. Not a public header: DCMTK,
// OpenCV and OpenJPEG types may appear in other internal headers, never under include/.
#pragma once

#include "cxr/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cxr::dicom::internal {

// Throws cxr::Exception with the message "<path>: <cause>", so every error names the file.
[[noreturn]] void fail(const std::string& path, ErrorCode code, const std::string& cause);

// Reads a whole file; kNotFound / kIo errors name the path.
std::vector<uint8_t> read_file_bytes(const std::string& path);

// Reads up to max_bytes from the start of a file (fewer if the file is shorter; empty if unreadable).
std::vector<uint8_t> read_file_head(const std::string& path, size_t max_bytes);

// How a path appears in messages (as given by the user).
std::string display_name(const std::string& path);

}  // namespace cxr::dicom::internal
