// Safetensors reader. Format (https://huggingface.co/docs/safetensors, "Format" section):
//   8 bytes   N, unsigned little-endian: size of the JSON header
//   N bytes   UTF-8 JSON object {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [b, e]}}
//   rest      tensor bytes; data_offsets are relative to the start of this byte buffer, C order, little-endian.
// Sharded checkpoints: model.safetensors.index.json = {"metadata": {...}, "weight_map": {name: shard file}}.
// Nothing from the file is trusted: every size, offset and name is checked before a pointer is formed.
#include "cxr/model/safetensors.h"

#include "io/mapped_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian; big-endian hosts unsupported");

namespace cxr::model {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = 100u * 1024u * 1024u;  // the reference implementation's limit

[[noreturn]] void fail(ErrorCode code, const std::string& message) { throw Exception(code, message); }

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

bool parse_dtype(const std::string& s, DType* out) {
  static const std::pair<const char*, DType> kTable[] = {{"F32", DType::kF32}, {"F16", DType::kF16},
                                                         {"BF16", DType::kBF16}, {"I64", DType::kI64},
                                                         {"I32", DType::kI32}, {"U8", DType::kU8}};
  for (const auto& [name, dtype] : kTable) {
    if (s == name) { *out = dtype; return true; }
  }
  return false;
}

bool is_float(DType d) { return d == DType::kF32 || d == DType::kF16 || d == DType::kBF16; }

// IEEE 754 binary16 -> binary32, exact for every input (subnormals, infinities, NaN payloads).
float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: mantissa * 2^-24, exactly representable in fp32
      float v = std::ldexp(static_cast<float>(mantissa), -24);
      return sign ? -v : v;
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

float bf16_to_float(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

template <typename T>
T load(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// One parsed file: its mapping and the tensors in it (views into the mapping).
struct ParsedFile {
  io::MappedFile file;
  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> metadata;
};

uint64_t checked_numel(const std::string& where, const std::vector<int64_t>& shape) {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
      fail(ErrorCode::kCorruptData, where + ": shape " + shape_string(shape) + " overflows");
    n *= static_cast<uint64_t>(d);
  }
  return n;
}

std::vector<int64_t> parse_shape(const std::string& where, const json& j) {
  if (!j.is_array()) fail(ErrorCode::kCorruptData, where + ": \"shape\" must be an array of non-negative integers");
  std::vector<int64_t> shape;
  for (const auto& d : j) {
    if (!d.is_number_unsigned() || d.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      fail(ErrorCode::kCorruptData, where + ": \"shape\" must be an array of non-negative integers, got " + j.dump());
    shape.push_back(static_cast<int64_t>(d.get<uint64_t>()));
  }
  return shape;
}

struct RawEntry {
  TensorInfo info;
  uint64_t begin = 0, end = 0;
};

RawEntry parse_entry(const std::string& path, const std::string& name, const json& j) {
  const std::string where = path + ": tensor '" + name + "'";
  if (!j.is_object()) fail(ErrorCode::kCorruptData, where + ": entry must be an object");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!j.contains(key)) fail(ErrorCode::kCorruptData, where + ": missing \"" + key + "\"");
  RawEntry e;
  e.info.name = name;
  if (!j["dtype"].is_string()) fail(ErrorCode::kCorruptData, where + ": \"dtype\" must be a string");
  const std::string dtype = j["dtype"].get<std::string>();
  if (!parse_dtype(dtype, &e.info.dtype))
    fail(ErrorCode::kUnsupported, where + ": unsupported dtype '" + dtype + "' (supported: F32, F16, BF16, I64, I32, U8)");
  e.info.shape = parse_shape(where, j["shape"]);
  const json& off = j["data_offsets"];
  if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
    fail(ErrorCode::kCorruptData, where + ": \"data_offsets\" must be [begin, end] (non-negative integers)");
  e.begin = off[0].get<uint64_t>();
  e.end = off[1].get<uint64_t>();
  if (e.begin > e.end)
    fail(ErrorCode::kCorruptData, where + ": data_offsets [" + std::to_string(e.begin) + "," + std::to_string(e.end) +
                                      "] begin after end");
  const uint64_t numel = checked_numel(where, e.info.shape);
  const uint64_t size = dtype_size(e.info.dtype);
  if (numel > std::numeric_limits<uint64_t>::max() / size || numel * size != e.end - e.begin)
    fail(ErrorCode::kCorruptData, where + ": data_offsets hold " + std::to_string(e.end - e.begin) + " bytes, shape " +
                                      shape_string(e.info.shape) + " of " + dtype + " needs " +
                                      std::to_string(numel * size) + " (numel x dtype size)");
  e.info.nbytes = static_cast<std::size_t>(e.end - e.begin);
  return e;
}

// Parses the JSON header; rejects duplicate top-level names (nlohmann would keep the last silently).
json parse_header_json(const std::string& path, const char* begin, const char* end) {
  std::set<std::string> seen;
  std::string duplicate;
  json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && parsed.is_string() &&
        !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  json header;
  try {
    header = json::parse(begin, end, on_event);
  } catch (const json::exception& e) {
    fail(ErrorCode::kCorruptData, path + ": bad header JSON (" + e.what() + "); the file is damaged or not safetensors");
  }
  if (!duplicate.empty()) fail(ErrorCode::kCorruptData, path + ": header names tensor '" + duplicate + "' twice");
  if (!header.is_object()) fail(ErrorCode::kCorruptData, path + ": header JSON must be an object");
  return header;
}

std::map<std::string, std::string> parse_metadata(const std::string& path, const json& j) {
  if (!j.is_object()) fail(ErrorCode::kCorruptData, path + ": \"__metadata__\" must be an object of strings");
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) fail(ErrorCode::kCorruptData, path + ": \"__metadata__\"." + k + " must be a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

// Tensors must not share bytes. Sorted by begin, each must start at or after the previous end.
void check_no_overlap(const std::string& path, std::vector<RawEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const RawEntry& a, const RawEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const RawEntry& prev = entries[i - 1];
    const RawEntry& cur = entries[i];
    if (cur.begin < prev.end)
      fail(ErrorCode::kCorruptData, path + ": tensors '" + prev.info.name + "' [" + std::to_string(prev.begin) + "," +
                                        std::to_string(prev.end) + ") and '" + cur.info.name + "' [" +
                                        std::to_string(cur.begin) + "," + std::to_string(cur.end) + ") overlap");
  }
}

ParsedFile parse_file(const std::string& path) {
  ParsedFile out{io::MappedFile(path), {}, {}};
  const std::byte* base = out.file.data();
  const uint64_t file_size = out.file.size();
  if (file_size < 8)
    fail(ErrorCode::kCorruptData, path + ": truncated: file holds " + std::to_string(file_size) +
                                      " bytes, a safetensors file starts with an 8-byte header length");
  const uint64_t header_len = load<uint64_t>(base);
  if (header_len > kMaxHeaderBytes)
    fail(ErrorCode::kCorruptData, path + ": header length " + std::to_string(header_len) +
                                      " bytes exceeds the 100 MiB limit; not a safetensors file or damaged");
  if (header_len > file_size - 8)
    fail(ErrorCode::kCorruptData, path + ": truncated: header says " + std::to_string(header_len) +
                                      " bytes of JSON header, file holds " + std::to_string(file_size - 8));
  const char* json_begin = reinterpret_cast<const char*>(base + 8);
  const json header = parse_header_json(path, json_begin, json_begin + header_len);

  const std::byte* data = base + 8 + header_len;
  const uint64_t data_size = file_size - 8 - header_len;
  std::vector<RawEntry> entries;
  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      out.metadata = parse_metadata(path, value);
      continue;
    }
    entries.push_back(parse_entry(path, name, value));
  }
  uint64_t needed = 0;
  for (const RawEntry& e : entries) needed = std::max(needed, e.end);
  if (needed > data_size)
    fail(ErrorCode::kCorruptData, path + ": truncated: header says " + std::to_string(needed) +
                                      " bytes of tensor data, file holds " + std::to_string(data_size));
  check_no_overlap(path, entries);
  for (RawEntry& e : entries) {
    e.info.data = data + e.begin;
    out.tensors.push_back(std::move(e.info));
  }
  return out;
}

json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorCode::kNotFound, path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::exception& e) {
    fail(ErrorCode::kCorruptData, path + ": bad JSON (" + e.what() + ")");
  }
}

// A shard name from an index must be a plain file name beside the index (no directories, no "..").
void check_shard_name(const std::string& index_path, const std::string& shard) {
  if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos ||
      shard == "." || shard == "..")
    fail(ErrorCode::kCorruptData, index_path + ": shard name '" + shard + "' must be a file name in the index's folder");
}

}  // namespace

struct WeightStore::Impl {
  std::vector<ParsedFile> files;
  std::map<std::string, TensorInfo> tensors;
  std::map<std::string, std::string> metadata;
  std::string source;  // the path named in "not found" errors

  void add_single(const std::string& path) {
    files.push_back(parse_file(path));
    metadata = files.back().metadata;
    for (const TensorInfo& t : files.back().tensors) tensors.emplace(t.name, t);
  }

  void add_index(const std::string& index_path) {
    const json index = read_json_file(index_path);
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
      fail(ErrorCode::kCorruptData, index_path + ": missing \"weight_map\" object; not a safetensors index");
    std::map<std::string, std::vector<std::string>> by_shard;  // shard -> tensor names the index puts there
    for (const auto& [name, shard] : index["weight_map"].items()) {
      if (!shard.is_string()) fail(ErrorCode::kCorruptData, index_path + ": weight_map." + name + " must be a string");
      check_shard_name(index_path, shard.get<std::string>());
      by_shard[shard.get<std::string>()].push_back(name);
    }
    if (by_shard.empty()) fail(ErrorCode::kCorruptData, index_path + ": weight_map is empty");
    const fs::path dir = fs::path(index_path).parent_path();
    for (const auto& [shard, names] : by_shard) add_shard(index_path, (dir / shard).string(), names);
    metadata = files.front().metadata;
  }

  void add_shard(const std::string& index_path, const std::string& shard_path, const std::vector<std::string>& names) {
    if (!fs::exists(shard_path))
      fail(ErrorCode::kNotFound, index_path + ": shard " + shard_path + " (holding '" + names.front() + "' and " +
                                     std::to_string(names.size() - 1) + " other tensors) is missing; copy every " +
                                     "model-*.safetensors file of the checkpoint");
    files.push_back(parse_file(shard_path));
    const std::set<std::string> listed(names.begin(), names.end());
    for (const TensorInfo& t : files.back().tensors) {
      if (!listed.count(t.name))
        fail(ErrorCode::kCorruptData, shard_path + ": holds tensor '" + t.name + "' that " + index_path +
                                          " does not assign to it; the index and shards do not match");
      tensors.emplace(t.name, t);
    }
    for (const std::string& name : names)
      if (!tensors.count(name))
        fail(ErrorCode::kCorruptData, index_path + ": lists '" + name + "' in " + shard_path + ", which does not hold it");
  }
};

const char* dtype_name(DType dtype) noexcept {
  switch (dtype) {
    case DType::kF32: return "F32";
    case DType::kF16: return "F16";
    case DType::kBF16: return "BF16";
    case DType::kI64: return "I64";
    case DType::kI32: return "I32";
    case DType::kU8: return "U8";
  }
  return "?";
}

std::size_t dtype_size(DType dtype) noexcept {
  switch (dtype) {
    case DType::kF32: case DType::kI32: return 4;
    case DType::kF16: case DType::kBF16: return 2;
    case DType::kI64: return 8;
    case DType::kU8: return 1;
  }
  return 0;
}

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// Integer dtypes are converted by value (static_cast), float dtypes exactly. data may be unaligned:
// every element is read with memcpy.
void TensorInfo::to_f32(float* out) const {
  const std::size_t n = static_cast<std::size_t>(numel());
  switch (dtype) {
    case DType::kF32: std::memcpy(out, data, n * 4); break;
    case DType::kF16: for (std::size_t i = 0; i < n; ++i) out[i] = half_to_float(load<uint16_t>(data + 2 * i)); break;
    case DType::kBF16: for (std::size_t i = 0; i < n; ++i) out[i] = bf16_to_float(load<uint16_t>(data + 2 * i)); break;
    case DType::kI64: for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(load<int64_t>(data + 8 * i)); break;
    case DType::kI32: for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(load<int32_t>(data + 4 * i)); break;
    case DType::kU8: for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(static_cast<uint8_t>(data[i])); break;
  }
}

std::vector<float> TensorInfo::to_f32() const {
  std::vector<float> out(static_cast<std::size_t>(numel()));
  to_f32(out.data());
  return out;
}

WeightStore::WeightStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WeightStore::~WeightStore() = default;

Result<std::shared_ptr<const WeightStore>> WeightStore::open(const std::string& path) {
  return capture([&]() -> std::shared_ptr<const WeightStore> {
    auto impl = std::make_unique<Impl>();
    std::string target = path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      const fs::path single = fs::path(path) / "model.safetensors";
      const fs::path index = fs::path(path) / "model.safetensors.index.json";
      if (fs::exists(single)) target = single.string();
      else if (fs::exists(index)) target = index.string();
      else fail(ErrorCode::kNotFound, path + ": holds neither model.safetensors nor model.safetensors.index.json");
    } else if (!fs::exists(path, ec)) {
      fail(ErrorCode::kNotFound, path + ": no such file; give a .safetensors file, an index .json or their folder");
    }
    impl->source = target;
    if (target.size() >= 5 && target.compare(target.size() - 5, 5, ".json") == 0) impl->add_index(target);
    else impl->add_single(target);
    return std::shared_ptr<const WeightStore>(new WeightStore(std::move(impl)));
  });
}

bool WeightStore::contains(const std::string& name) const { return impl_->tensors.count(name) > 0; }

Result<TensorInfo> WeightStore::get(const std::string& name) const {
  auto it = impl_->tensors.find(name);
  if (it == impl_->tensors.end())
    return make_error(ErrorCode::kNotFound, name + ": not found in " + impl_->source);
  return it->second;
}

Result<TensorInfo> WeightStore::get(const std::string& name, const std::vector<int64_t>& expected_shape) const {
  Result<TensorInfo> t = get(name);
  if (!t) return t;
  if (t->shape != expected_shape)
    return make_error(ErrorCode::kCorruptData, name + ": got " + shape_string(t->shape) + ", expected " +
                                                   shape_string(expected_shape) + " (" + impl_->source +
                                                   " does not match config.json)");
  if (!is_float(t->dtype))
    return make_error(ErrorCode::kUnsupported, name + ": got dtype " + dtype_name(t->dtype) +
                                                   ", expected a float dtype (F32, F16 or BF16) in " + impl_->source);
  return t;
}

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> out;
  out.reserve(impl_->tensors.size());
  for (const auto& [name, info] : impl_->tensors) out.push_back(name);
  return out;
}

std::map<std::string, std::string> WeightStore::metadata() const { return impl_->metadata; }

}  // namespace cxr::model
