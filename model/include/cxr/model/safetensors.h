// Safetensors weight files (https://huggingface.co/docs/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}}, then raw tensor bytes.
// Files are memory-mapped read-only; nothing is copied until a tensor is converted.
#pragma once

#include "cxr/result.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cxr::model {

enum class DType { kF32, kF16, kBF16, kI64, kI32, kU8 };
const char* dtype_name(DType dtype) noexcept;  // "F32", "F16", "BF16", ...
std::size_t dtype_size(DType dtype) noexcept;

// A view of one stored tensor. Valid while the WeightStore that produced it is alive.
struct TensorInfo {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  const std::byte* data = nullptr;  // points into the mapped file
  std::size_t nbytes = 0;

  int64_t numel() const;
  // Converts to fp32 (from F32/F16/BF16) into out, which must hold numel() floats.
  void to_f32(float* out) const;
  std::vector<float> to_f32() const;
};

// All tensors of one checkpoint: a single model.safetensors or a sharded
// model.safetensors.index.json with its shards. Immutable after open; thread-safe to read.
class WeightStore {
 public:
  // path: a .safetensors file, an index .json, or a directory holding either.
  // Errors name the file and cause: truncated file, bad header JSON, offsets out of range,
  // overlapping tensors, unknown dtype, missing shard.
  static Result<std::shared_ptr<const WeightStore>> open(const std::string& path);

  bool contains(const std::string& name) const;
  // Error: "<name>: not found in <file>".
  Result<TensorInfo> get(const std::string& name) const;
  // Checks name, shape and dtype class (float dtypes are interchangeable).
  // Error: "<name>: got [768,3,16,16], expected [768,3,14,14]".
  Result<TensorInfo> get(const std::string& name, const std::vector<int64_t>& expected_shape) const;
  std::vector<std::string> names() const;
  std::map<std::string, std::string> metadata() const;  // "__metadata__" of the (first) file

  ~WeightStore();
  WeightStore(const WeightStore&) = delete;
  WeightStore& operator=(const WeightStore&) = delete;

  struct Impl;

 private:
  explicit WeightStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxr::model
