// cxr/result.h — how errors cross module boundaries: as values, with a message a user can act on.
//
// Inside a module, code may throw cxr::Exception (one exception type, Orthanc-style); every public
// function of a module catches at its boundary and returns cxr::Result<T> / cxr::Status instead.
// A message names the thing (file, tensor, peer), the cause, and what to do, e.g.
//   "scan.dcm: truncated pixel data (got 1024 bytes, expected 524288); re-export the study".
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace cxr {

// What kind of failure, so a face (CLI exit code, DICOM status, HTTP code) can map it.
enum class ErrorCode {
  kInvalidArgument,  // the caller's input is wrong (usage, option values)
  kNotFound,         // a file, tensor, finding or peer that does not exist
  kCorruptData,      // input exists but cannot be parsed (DICOM, safetensors, JSON, image)
  kUnsupported,      // valid input we do not handle (transfer syntax, dtype, op)
  kIo,               // the OS refused (permissions, disk full, socket)
  kNetwork,          // a peer failed, timed out or refused
  kInternal,         // a bug: an invariant did not hold
};

const char* to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // user-facing, complete sentence(s); never contains patient names/IDs
};

// The one exception type used inside modules. Converted to Error at module boundaries.
class Exception : public std::runtime_error {
 public:
  Exception(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }
  Error error() const { return Error{code_, what()}; }

 private:
  ErrorCode code_;
};

// Result<T>: either a value or an Error. Cheap to move; value() on an error throws cxr::Exception.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const noexcept { return std::holds_alternative<T>(state_); }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { check(); return std::get<T>(state_); }
  const T& value() const& { check(); return std::get<T>(state_); }
  T&& value() && { check(); return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<Error>(state_); }

 private:
  void check() const {
    if (!ok()) throw Exception(std::get<Error>(state_).code, std::get<Error>(state_).message);
  }
  std::variant<T, Error> state_;
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{};
  bool ok_ = true;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

// Runs fn (which may throw cxr::Exception or std::exception) and returns its value as a Result.
// Use at module boundaries so no exception escapes a public API.
template <typename Fn>
auto capture(Fn&& fn) -> Result<decltype(fn())> {
  try {
    return fn();
  } catch (const Exception& e) {
    return e.error();
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::kIo, "out of memory"};
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, e.what()};
  }
}

}  // namespace cxr
