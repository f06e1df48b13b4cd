#include "cxr/npy.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <unistd.h>

namespace cxr {
namespace {

const char* descr(NpyType t) {
  switch (t) {
    case NpyType::kF32: return "<f4";
    case NpyType::kF64: return "<f8";
    case NpyType::kI64: return "<i8";
    case NpyType::kI32: return "<i4";
    case NpyType::kU8: return "|u1";
  }
  return "?";
}

std::size_t type_size(NpyType t) {
  switch (t) {
    case NpyType::kF32: case NpyType::kI32: return 4;
    case NpyType::kF64: case NpyType::kI64: return 8;
    case NpyType::kU8: return 1;
  }
  return 0;
}

int64_t product(const std::vector<int64_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
}

// Header padded with spaces so that magic + len + header is a multiple of 64 bytes, '\n'-terminated.
std::string make_header(NpyType type, const std::vector<int64_t>& shape) {
  std::ostringstream dict;
  dict << "{'descr': '" << descr(type) << "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) dict << shape[i] << (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
  dict << "), }";
  std::string h = dict.str();
  std::size_t total = 10 + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  uint16_t len = static_cast<uint16_t>(h.size());
  out.push_back(static_cast<char>(len & 0xff));
  out.push_back(static_cast<char>(len >> 8));
  return out + h;
}

std::string dict_value(const std::string& header, const std::string& key) {
  auto k = header.find("'" + key + "'");
  if (k == std::string::npos) return {};
  auto colon = header.find(':', k);
  if (colon == std::string::npos) return {};
  std::size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) return {};
  if (header[start] == '(') return header.substr(start + 1, header.find(')', start) - start - 1);
  if (header[start] == '\'') return header.substr(start + 1, header.find('\'', start + 1) - start - 1);
  return header.substr(start, header.find_first_of(",}", start) - start);
}

}  // namespace

int64_t NpyArray::numel() const { return product(shape); }

std::vector<float> NpyArray::as_f32() const {
  std::vector<float> out(static_cast<std::size_t>(numel()));
  const uint8_t* p = bytes.data();
  for (std::size_t i = 0; i < out.size(); ++i) {
    switch (type) {
      case NpyType::kF32: { float v; std::memcpy(&v, p + 4 * i, 4); out[i] = v; break; }
      case NpyType::kF64: { double v; std::memcpy(&v, p + 8 * i, 8); out[i] = static_cast<float>(v); break; }
      case NpyType::kI64: { int64_t v; std::memcpy(&v, p + 8 * i, 8); out[i] = static_cast<float>(v); break; }
      case NpyType::kI32: { int32_t v; std::memcpy(&v, p + 4 * i, 4); out[i] = static_cast<float>(v); break; }
      case NpyType::kU8: out[i] = p[i]; break;
    }
  }
  return out;
}

std::vector<int64_t> NpyArray::as_i64() const {
  std::vector<int64_t> out(static_cast<std::size_t>(numel()));
  const uint8_t* p = bytes.data();
  for (std::size_t i = 0; i < out.size(); ++i) {
    switch (type) {
      case NpyType::kF32: { float v; std::memcpy(&v, p + 4 * i, 4); out[i] = static_cast<int64_t>(v); break; }
      case NpyType::kF64: { double v; std::memcpy(&v, p + 8 * i, 8); out[i] = static_cast<int64_t>(v); break; }
      case NpyType::kI64: { int64_t v; std::memcpy(&v, p + 8 * i, 8); out[i] = v; break; }
      case NpyType::kI32: { int32_t v; std::memcpy(&v, p + 4 * i, 4); out[i] = v; break; }
      case NpyType::kU8: out[i] = p[i]; break;
    }
  }
  return out;
}

Result<NpyArray> read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, path + ": cannot open .npy file");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    return make_error(ErrorCode::kCorruptData, path + ": not a .npy file (bad magic)");
  uint32_t header_len = 0;
  if (magic[6] == 1) {
    uint8_t b[2];
    if (!in.read(reinterpret_cast<char*>(b), 2)) return make_error(ErrorCode::kCorruptData, path + ": truncated .npy header");
    header_len = b[0] | (b[1] << 8);
  } else if (magic[6] == 2 || magic[6] == 3) {
    uint8_t b[4];
    if (!in.read(reinterpret_cast<char*>(b), 4)) return make_error(ErrorCode::kCorruptData, path + ": truncated .npy header");
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
  } else {
    return make_error(ErrorCode::kUnsupported, path + ": unsupported .npy version " + std::to_string(magic[6]));
  }
  if (header_len > (1u << 20)) return make_error(ErrorCode::kCorruptData, path + ": implausible .npy header length");
  std::string header(header_len, '\0');
  if (!in.read(header.data(), header_len)) return make_error(ErrorCode::kCorruptData, path + ": truncated .npy header");

  NpyArray arr;
  std::string d = dict_value(header, "descr");
  if (d == "<f4") arr.type = NpyType::kF32;
  else if (d == "<f8") arr.type = NpyType::kF64;
  else if (d == "<i8") arr.type = NpyType::kI64;
  else if (d == "<i4") arr.type = NpyType::kI32;
  else if (d == "|u1" || d == "<u1") arr.type = NpyType::kU8;
  else return make_error(ErrorCode::kUnsupported, path + ": unsupported .npy dtype '" + d + "' (expected <f4, <f8, <i8, <i4 or |u1)");
  if (dict_value(header, "fortran_order") != "False")
    return make_error(ErrorCode::kUnsupported, path + ": Fortran-order .npy arrays are not supported; save with C order");
  std::stringstream dims(dict_value(header, "shape"));
  std::string dim;
  while (std::getline(dims, dim, ',')) {
    if (dim.find_first_not_of(' ') == std::string::npos) continue;
    try {
      long long v = std::stoll(dim);
      if (v < 0) throw std::out_of_range("negative");
      arr.shape.push_back(v);
    } catch (const std::exception&) {
      return make_error(ErrorCode::kCorruptData, path + ": bad .npy shape '" + dict_value(header, "shape") + "'");
    }
  }
  const int64_t n = arr.numel();
  if (n < 0 || n > (int64_t{1} << 40)) return make_error(ErrorCode::kCorruptData, path + ": implausible .npy size");
  arr.bytes.resize(static_cast<std::size_t>(n) * type_size(arr.type));
  if (!in.read(reinterpret_cast<char*>(arr.bytes.data()), static_cast<std::streamsize>(arr.bytes.size())))
    return make_error(ErrorCode::kCorruptData, path + ": .npy data shorter than its header says");
  return arr;
}

Status write_npy(const std::string& path, NpyType type, const std::vector<int64_t>& shape, const void* data) {
  auto writer = NpyWriter::open(path, type, shape);
  if (!writer) return writer.error();
  int64_t rows = shape.empty() ? 1 : shape[0];
  if (shape.empty()) {
    // 0-d array: treat as one row of one element.
    if (auto s = writer->append_rows(data, 1); !s) return s;
  } else if (auto s = writer->append_rows(data, rows); !s) {
    return s;
  }
  return writer->close();
}

Result<NpyWriter> NpyWriter::open(const std::string& path, NpyType type, const std::vector<int64_t>& shape) {
  NpyWriter w;
  w.path_ = path;
  w.temp_path_ = path + ".tmp" + std::to_string(::getpid());
  w.rows_expected_ = shape.empty() ? 1 : shape[0];
  std::vector<int64_t> row_shape(shape.empty() ? shape.begin() : shape.begin() + 1, shape.end());
  w.row_bytes_ = product(row_shape) * static_cast<int64_t>(type_size(type));
  w.file_ = std::fopen(w.temp_path_.c_str(), "wb");
  if (!w.file_) return make_error(ErrorCode::kIo, path + ": cannot create file: " + std::strerror(errno));
  std::string header = make_header(type, shape);
  if (std::fwrite(header.data(), 1, header.size(), w.file_) != header.size())
    return make_error(ErrorCode::kIo, path + ": write failed: " + std::strerror(errno));
  return w;
}

Status NpyWriter::append_rows(const void* data, int64_t rows) {
  if (!file_) return make_error(ErrorCode::kInternal, path_ + ": writer is closed");
  if (rows_written_ + rows > rows_expected_)
    return make_error(ErrorCode::kInternal, path_ + ": more rows appended than the declared shape holds");
  const std::size_t n = static_cast<std::size_t>(rows * row_bytes_);
  if (n && std::fwrite(data, 1, n, file_) != n) return make_error(ErrorCode::kIo, path_ + ": write failed: " + std::strerror(errno));
  rows_written_ += rows;
  return Status::Ok();
}

Status NpyWriter::close() {
  if (!file_) return make_error(ErrorCode::kInternal, path_ + ": writer already closed");
  std::FILE* f = file_;
  file_ = nullptr;
  bool ok = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) return make_error(ErrorCode::kIo, path_ + ": write failed: " + std::strerror(errno));
  if (rows_written_ != rows_expected_) {
    std::remove(temp_path_.c_str());
    return make_error(ErrorCode::kInternal, path_ + ": " + std::to_string(rows_written_) + " rows written, shape declares " +
                                                std::to_string(rows_expected_));
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
    return make_error(ErrorCode::kIo, path_ + ": cannot rename temporary file: " + std::strerror(errno));
  return Status::Ok();
}

NpyWriter::NpyWriter(NpyWriter&& o) noexcept { *this = std::move(o); }
NpyWriter& NpyWriter::operator=(NpyWriter&& o) noexcept {
  if (this != &o) {
    if (file_) { std::fclose(file_); std::remove(temp_path_.c_str()); }
    path_ = std::move(o.path_); temp_path_ = std::move(o.temp_path_);
    file_ = o.file_; o.file_ = nullptr;
    rows_expected_ = o.rows_expected_; rows_written_ = o.rows_written_; row_bytes_ = o.row_bytes_;
  }
  return *this;
}
NpyWriter::~NpyWriter() {
  if (file_) { std::fclose(file_); std::remove(temp_path_.c_str()); }
}

}  // namespace cxr
