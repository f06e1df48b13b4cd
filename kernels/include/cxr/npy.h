// NumPy .npy files (format version 1.0/2.0, little-endian, C order) — the exchange format for
// preprocessed tensors (`cxr preprocess`), embeddings (`cxr embed`) and parity fixtures.
// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#pragma once

#include "cxr/result.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace cxr {

enum class NpyType { kF32, kF64, kI64, kI32, kU8 };

struct NpyArray {
  NpyType type = NpyType::kF32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;  // raw little-endian C-order data

  int64_t numel() const;
  // Element access converting to float/int64 (any stored type). Errors if bytes are short.
  std::vector<float> as_f32() const;
  std::vector<int64_t> as_i64() const;
};

// Reads a whole .npy file. Errors name the file: bad magic, unsupported dtype (e.g. '>f4',
// Fortran order), size mismatch between header and data.
Result<NpyArray> read_npy(const std::string& path);

// Writes data (numel(shape) elements of the given type) to path atomically (temp file + rename).
Status write_npy(const std::string& path, NpyType type, const std::vector<int64_t>& shape, const void* data);

// Streams a large array row by row (first dimension), e.g. N preprocessed images: open with the
// full shape, append exactly shape[0] rows of prod(shape[1:]) elements, then close.
// Not thread-safe: one writer per file.
class NpyWriter {
 public:
  static Result<NpyWriter> open(const std::string& path, NpyType type, const std::vector<int64_t>& shape);
  Status append_rows(const void* data, int64_t rows);
  Status close();  // checks every row was written, fsyncs, renames temp -> path
  NpyWriter(NpyWriter&&) noexcept;
  NpyWriter& operator=(NpyWriter&&) noexcept;
  ~NpyWriter();

 private:
  NpyWriter() = default;
  std::string path_, temp_path_;
  std::FILE* file_ = nullptr;
  int64_t rows_expected_ = 0, rows_written_ = 0, row_bytes_ = 0;
};

}  // namespace cxr
