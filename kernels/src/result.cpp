#include "cxr/result.h"

namespace cxr {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kCorruptData: return "corrupt data";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kIo: return "I/O error";
    case ErrorCode::kNetwork: return "network error";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown error";
}

}  // namespace cxr
