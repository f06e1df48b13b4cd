// dicom/src/internal.h — helpers shared by the dicom module's sources. Not a public header: DCMTK,
// OpenCV and OpenJPEG types may appear in other internal headers, never under include/.
#pragma once

#include "cxr/result.h"

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <vector>

namespace cxr::dicom::internal {

// Throws cxr::Exception with the message "<path>: <cause>", so every error names the file.
[[noreturn]] void fail(const std::string& path, ErrorCode code, const std::string& cause);

// Runs fn; a non-cxr exception escaping a third-party decoder (DCMTK can throw std::out_of_range
// on malformed input) becomes a kCorruptData cxr::Exception naming path.
template <typename Fn>
auto guard(const std::string& path, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Exception&) {
    throw;
  } catch (const std::bad_alloc&) {
    fail(path, ErrorCode::kCorruptData, "out of memory while decoding (implausible sizes in the file?)");
  } catch (const std::exception& e) {
    fail(path, ErrorCode::kCorruptData, std::string("malformed data (decoder failure: ") + e.what() + ")");
  }
}

// Reads a whole file; kNotFound / kIo errors name the path.
std::vector<uint8_t> read_file_bytes(const std::string& path);

// Reads up to max_bytes from the start of a file (fewer if the file is shorter; empty if unreadable).
std::vector<uint8_t> read_file_head(const std::string& path, size_t max_bytes);

// How a path appears in messages (as given by the user).
std::string display_name(const std::string& path);

}  // namespace cxr::dicom::internal
