// Compute backends for the transformer encoders, in the ggml spirit: a backend is a table of ops on
// float buffers it owns, plus supports_op(); model code calls only this interface and never branches
// on which backend runs it. Backends: "reference" (plain single-thread C++, written to be read),
// "fast" (oneDNN matmuls on weights packed at load, fused epilogues, OpenMP threads), later "cuda".
// The fast backend can run its linear layers in bf16 (Precision::kBf16); fp32 is the default.
//
// Memory: every pointer passed to an op points into a Buffer allocated by the same backend (host
// memory for CPU backends, device memory for a GPU backend). Host data enters through upload() and
// leaves through download(); model code never dereferences backend pointers.
// Shapes are row-major; comments give them as (rows, cols). All floats are fp32.
//
// Thread-safety: a Backend and its PackedLinear weights are immutable after creation; ops may be
// called concurrently from several threads on disjoint output buffers.
// Preconditions (shapes, index ranges) are the caller's job; ops do not validate them.
#pragma once

#include "cxr/result.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxr::kernels {

enum class Op {
  kLinear,        // y = act(x W^T + b) (+ residual)
  kLayerNorm,     // per row: (x - mean) / sqrt(var + eps) * gamma + beta
  kAttention,     // multi-head softmax(Q K^T * scale) V
  kAdd,           // y = a + b
  kAddRows,       // y[r] = x[r] + table[r % period]   (position embeddings)
  kGelu,          // gelu_pytorch_tanh
  kSoftmax,       // per row, numerically stable
  kPatchify,      // im2col for a stride = kernel conv: (B, C, S, S) -> (B * g * g, C * p * p)
  kGatherRows,    // out[i] = table[ids[i]]      (token embeddings, picking tokens)
  kCount
};
const char* op_name(Op op) noexcept;

enum class Activation { kNone, kGeluTanh };

// Arithmetic of the linear layers (the bulk of the FLOPs). kFp32 everywhere is the default and the
// one held to the Hugging Face parity bar. kBf16 (fast backend, CPUs with AVX512-BF16 or AMX):
// weights and activations are rounded to bfloat16 for the matrix products, accumulation and every
// other op stay fp32; its own bar is cosine >= 0.999 to the fp32 embeddings (tests/parity).
enum class Precision { kFp32, kBf16 };
const char* precision_name(Precision precision) noexcept;  // "fp32" | "bf16"
// "fp32" | "bf16"; anything else is an error naming the choices.
Result<Precision> parse_precision(const std::string& name);

// A block of backend memory holding `size` floats. Move-only; frees itself.
class Buffer {
 public:
  Buffer() = default;
  Buffer(float* data, std::size_t size, std::function<void(float*)> release)
      : data_(data), size_(size), release_(std::move(release)) {}
  Buffer(Buffer&& other) noexcept { swap(other); }
  Buffer& operator=(Buffer&& other) noexcept { Buffer tmp(std::move(other)); swap(tmp); return *this; }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { if (data_ && release_) release_(data_); }

  float* data() { return data_; }  // backend memory: pass to ops, do not dereference
  const float* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void swap(Buffer& o) noexcept { std::swap(data_, o.data_); std::swap(size_, o.size_); std::swap(release_, o.release_); }
  float* data_ = nullptr;
  std::size_t size_ = 0;
  std::function<void(float*)> release_;
};

// Weights of one nn.Linear in the backend's preferred layout (e.g. transposed for sgemm).
class PackedLinear {
 public:
  PackedLinear(int out_features, int in_features) : out_(out_features), in_(in_features) {}
  virtual ~PackedLinear() = default;
  int out_features() const { return out_; }
  int in_features() const { return in_; }

 private:
  int out_, in_;
};

// Arguments of Backend::attention. Q, K and V are sliced out of larger matrices by strides (in
// floats): token t of sequence b starts at q + b * q_batch_stride + t * q_row_stride; head h uses
// columns [h * head_dim, (h + 1) * head_dim). A q_batch_stride of 0 shares one query set between all
// sequences (the attention-pooling probe). out: (batch, q_len, heads * head_dim), contiguous.
struct AttentionArgs {
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  float* out = nullptr;
  int batch = 0, heads = 0, q_len = 0, kv_len = 0, head_dim = 0;
  int64_t q_row_stride = 0, q_batch_stride = 0;
  int64_t kv_row_stride = 0, kv_batch_stride = 0;  // shared by K and V
  float scale = 1.0f;                               // usually 1 / sqrt(head_dim)
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual int threads() const = 0;
  virtual Precision precision() const { return Precision::kFp32; }
  virtual bool supports_op(Op op) const = 0;

  // --- memory ---
  virtual Buffer alloc(std::size_t floats) const = 0;  // contents undefined
  virtual void upload(Buffer& dst, const float* host, std::size_t floats, std::size_t dst_offset = 0) const = 0;
  virtual void download(const Buffer& src, float* host, std::size_t floats, std::size_t src_offset = 0) const = 0;
  Buffer upload_new(const float* host, std::size_t floats) const;
  Buffer upload_new(const std::vector<float>& host) const { return upload_new(host.data(), host.size()); }

  // --- weights ---
  // w: (out, in) row-major as stored by PyTorch's nn.Linear; bias: (out) or nullptr. Host memory.
  virtual std::unique_ptr<PackedLinear> pack_linear(const float* w, const float* bias, int out, int in) const = 0;

  // --- ops ---
  // x: (rows, in); y: (rows, out); residual: (rows, out) or nullptr, added after the activation.
  // y may alias residual, never x.
  virtual void linear(const PackedLinear& w, const float* x, float* y, int rows, Activation act,
                      const float* residual = nullptr) const = 0;
  // x, y: (rows, cols); gamma, beta: (cols). y may alias x.
  virtual void layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols,
                          float eps) const = 0;
  virtual void attention(const AttentionArgs& args) const = 0;
  // a, b, y: (n). y may alias a or b.
  virtual void add(const float* a, const float* b, float* y, std::size_t n) const = 0;
  // x, y: (rows, cols); table: (period, cols); y[r] = x[r] + table[r % period]. y may alias x.
  virtual void add_rows(const float* x, const float* table, float* y, int rows, int period, int cols) const = 0;
  // x, y: (n). y may alias x. gelu_pytorch_tanh: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
  virtual void gelu(const float* x, float* y, std::size_t n) const = 0;
  // x, y: (rows, cols). y may alias x.
  virtual void softmax(const float* x, float* y, int rows, int cols) const = 0;
  // images: (batch, channels, size, size); patches: (batch * g * g, channels * patch * patch) with
  // g = size / patch, patch row order (b, py, px), column order (c, ky, kx) = Conv2d weight order.
  virtual void patchify(const float* images, float* patches, int batch, int channels, int size,
                        int patch) const = 0;
  // table: (table_rows, cols); ids: host array of n indices in [0, table_rows); out: (n, cols).
  virtual void gather_rows(const float* table, const int* ids, float* out, int n, int cols) const = 0;
};

// name: "reference" | "fast" | "cuda" | "auto" (cuda when compiled in and a device is present, else
// fast). threads: workers of the fast backend, 0 = all cores (ignored by reference).
// Errors: unknown name, "cuda" when this build has no CUDA backend, kBf16 with a backend or CPU
// that has no bf16 path (the message says what this CPU has).
Result<std::shared_ptr<const Backend>> create_backend(const std::string& name, int threads = 0,
                                                      Precision precision = Precision::kFp32);
// Would create_backend(name, ..., precision) accept this precision on this machine? The same errors,
// without creating anything: for a UI that offers the choice ("bf16" greyed out, with the reason).
Status check_precision(const std::string& name, Precision precision);
std::vector<std::string> available_backends();

}  // namespace cxr::kernels
