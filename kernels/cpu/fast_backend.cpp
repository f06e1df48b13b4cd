#include "fast_backend.h"

#include "fast_math.h"
#include "thread_pool.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <vector>

#ifdef CXR_HAVE_OPENBLAS
#include <cblas.h>
#endif
#ifdef CXR_HAVE_ONEDNN
#include "onednn_linear.h"
#endif
#ifdef CXR_HAVE_OPENMP
#include <omp.h>
#endif
#include <mutex>

namespace cxr::kernels {
namespace {

constexpr std::size_t kAlignment = 64;  // cache line / AVX-512 vector

float* aligned_floats(std::size_t n) {
  return static_cast<float*>(::operator new(std::max<std::size_t>(n, 1) * sizeof(float), std::align_val_t(kAlignment)));
}
void free_aligned(float* p) { ::operator delete(p, std::align_val_t(kAlignment)); }

// C(m, n) = alpha * A(m, k) * op(B) + beta * C, row-major with leading dimensions in floats.
// op(B) = B (k, n) or, with trans_b, B^T for B stored (n, k).
void sgemm(bool trans_b, int m, int n, int k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
           float beta, float* c, int64_t ldc) {
#ifdef CXR_HAVE_OPENBLAS
  cblas_sgemm(CblasRowMajor, CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
              static_cast<int>(lda), b, static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
#else
  // Portable fallback (no OpenBLAS at build time): i-k-j order so the inner loop streams rows.
  for (int i = 0; i < m; ++i) {
    float* ci = c + i * ldc;
    for (int j = 0; j < n; ++j) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
    for (int p = 0; p < k; ++p) {
      const float aip = alpha * a[i * lda + p];
      if (trans_b) {
        for (int j = 0; j < n; ++j) ci[j] += aip * b[j * ldb + p];
      } else {
        const float* bp = b + p * ldb;
        for (int j = 0; j < n; ++j) ci[j] += aip * bp[j];
      }
    }
  }
#endif
}

// nn.Linear weights transposed to (in, out) so y = x * wt is a plain row-major sgemm (the linear
// layers' path when the build has no oneDNN).
class FastLinear final : public PackedLinear {
 public:
  FastLinear(const float* w, const float* b, int out, int in) : PackedLinear(out, in) {
    wt.reset(aligned_floats(static_cast<std::size_t>(in) * out));
    for (int o = 0; o < out; ++o)
      for (int i = 0; i < in; ++i) wt[static_cast<std::size_t>(i) * out + o] = w[static_cast<std::size_t>(o) * in + i];
    if (b) bias.assign(b, b + out);
  }
  struct Free { void operator()(float* p) const { free_aligned(p); } };
  std::unique_ptr<float[], Free> wt;  // (in, out)
  std::vector<float> bias;             // (out) or empty
};

// A contiguous range [begin, end) of `total` items for part `part` of `parts`.
struct Range { int begin, end; };
Range split(int total, int parts, int part, int granule = 1) {
  const int units = (total + granule - 1) / granule;
  const int begin = static_cast<int>(static_cast<int64_t>(units) * part / parts) * granule;
  const int end = static_cast<int>(static_cast<int64_t>(units) * (part + 1) / parts) * granule;
  return {std::min(begin, total), std::min(end, total)};
}

class FastBackend final : public Backend {
 public:
  FastBackend(int threads, Precision precision) : pool_(threads), precision_(precision) {
#ifdef CXR_HAVE_OPENBLAS
    openblas_set_num_threads(1);  // parallelism comes from our pool; each sgemm call runs on one core
#endif
  }

  std::string name() const override { return "fast"; }
  int threads() const override { return pool_.size(); }
  Precision precision() const override { return precision_; }
  bool supports_op(Op op) const override { return op != Op::kCount; }

  Buffer alloc(std::size_t floats) const override { return Buffer(aligned_floats(floats), floats, free_aligned); }
  void upload(Buffer& dst, const float* host, std::size_t floats, std::size_t dst_offset) const override {
    std::memcpy(dst.data() + dst_offset, host, floats * sizeof(float));
  }
  void download(const Buffer& src, float* host, std::size_t floats, std::size_t src_offset) const override {
    std::memcpy(host, src.data() + src_offset, floats * sizeof(float));
  }

  std::unique_ptr<PackedLinear> pack_linear(const float* w, const float* bias, int out, int in) const override {
#ifdef CXR_HAVE_ONEDNN
    return std::make_unique<OnednnLinear>(w, bias, out, in, precision_);
#else
    return std::make_unique<FastLinear>(w, bias, out, in);
#endif
  }

#ifdef CXR_HAVE_ONEDNN
  // oneDNN threads the matmul itself (OpenMP, this backend's thread count); calls are serialised so
  // concurrent encodes share the cores instead of oversubscribing them.
  void linear(const PackedLinear& packed, const float* x, float* y, int rows, Activation act,
              const float* residual) const override {
    const auto& lin = static_cast<const OnednnLinear&>(packed);
    if (residual && residual != y)
      std::memcpy(y, residual, static_cast<std::size_t>(rows) * lin.out_features() * sizeof(float));
    std::lock_guard<std::mutex> lock(linear_mutex_);
#ifdef CXR_HAVE_OPENMP
    omp_set_num_threads(pool_.size());  // per calling thread: oneDNN reads omp_get_max_threads()
#endif
    lin.run(x, y, rows, act == Activation::kGeluTanh, residual != nullptr);
  }
#else
  // One block per thread: rows split when there are enough of them (each sgemm call then reuses its
  // packed weight panels over many rows), otherwise output columns (small batches: the weights are
  // the traffic, and each thread reads only its share).
  void linear(const PackedLinear& packed, const float* x, float* y, int rows, Activation act,
              const float* residual) const override {
    const auto& lin = static_cast<const FastLinear&>(packed);
    const int in = lin.in_features(), out = lin.out_features();
    const int parts = pool_.size();
    const bool split_rows = rows >= 16 * parts;
    const bool gelu = act == Activation::kGeluTanh;
    const float* bias = lin.bias.empty() ? nullptr : lin.bias.data();
    pool_.parallel_for(parts, [&](int part, int) {
      const Range r = split_rows ? split(rows, parts, part) : Range{0, rows};
      const Range c = split_rows ? Range{0, out} : split(out, parts, part, 16);
      const int m = r.end - r.begin, n = c.end - c.begin;
      if (m <= 0 || n <= 0) return;
      float* yb = y + static_cast<int64_t>(r.begin) * out + c.begin;
      const float* xb = x + static_cast<int64_t>(r.begin) * in;
      const float* bb = bias ? bias + c.begin : nullptr;
      const float* rb = residual ? residual + static_cast<int64_t>(r.begin) * out + c.begin : nullptr;
      if (rb && !gelu) {  // accumulate onto the residual (which may be y itself)
        if (rb != yb)
          for (int i = 0; i < m; ++i) std::memcpy(yb + static_cast<int64_t>(i) * out, rb + static_cast<int64_t>(i) * out, n * sizeof(float));
        sgemm(false, m, n, in, 1.0f, xb, in, lin.wt.get() + c.begin, out, 1.0f, yb, out);
        fast::bias_act_residual(yb, out, bb, nullptr, m, n, false);
      } else {
        sgemm(false, m, n, in, 1.0f, xb, in, lin.wt.get() + c.begin, out, 0.0f, yb, out);
        fast::bias_act_residual(yb, out, bb, rb, m, n, gelu);
      }
    });
  }
#endif  // CXR_HAVE_ONEDNN

  void layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols,
                  float eps) const override {
    const int parts = rows * cols >= (1 << 15) ? pool_.size() : 1;
    pool_.parallel_for(parts, [&](int part, int) {
      const Range r = split(rows, parts, part);
      if (r.end > r.begin)
        fast::layer_norm(x + static_cast<int64_t>(r.begin) * cols, gamma, beta, y + static_cast<int64_t>(r.begin) * cols,
                         r.end - r.begin, cols, eps);
    });
  }

  // Tasks: (sequence, head, block of up to 64 queries). Per task, S = Q_blk K^T (sgemm), softmax of
  // S * scale in place, O_blk = S V (sgemm) written straight into the head's columns of out.
  void attention(const AttentionArgs& a) const override {
    constexpr int kQueryBlock = 64;
    const int q_blocks = (a.q_len + kQueryBlock - 1) / kQueryBlock;
    const int width = a.heads * a.head_dim;
    pool_.parallel_for(a.batch * a.heads * q_blocks, [&](int task, int) {
      const int qb = task % q_blocks, h = (task / q_blocks) % a.heads, b = task / (q_blocks * a.heads);
      const int q0 = qb * kQueryBlock, m = std::min(kQueryBlock, a.q_len - q0);
      thread_local std::vector<float> scores;
      scores.resize(static_cast<std::size_t>(m) * a.kv_len);
      const float* q = a.q + b * a.q_batch_stride + q0 * a.q_row_stride + h * a.head_dim;
      const float* k = a.k + b * a.kv_batch_stride + h * a.head_dim;
      const float* v = a.v + b * a.kv_batch_stride + h * a.head_dim;
      float* o = a.out + (static_cast<int64_t>(b) * a.q_len + q0) * width + h * a.head_dim;
      sgemm(true, m, a.kv_len, a.head_dim, 1.0f, q, a.q_row_stride, k, a.kv_row_stride, 0.0f, scores.data(), a.kv_len);
      fast::softmax_scaled(scores.data(), a.kv_len, m, a.kv_len, a.scale);
      sgemm(false, m, a.head_dim, a.kv_len, 1.0f, scores.data(), a.kv_len, v, a.kv_row_stride, 0.0f, o, width);
    });
  }

  void add(const float* a, const float* b, float* y, std::size_t n) const override {
    for_chunks(n, [&](std::size_t begin, std::size_t end) { fast::add(a + begin, b + begin, y + begin, end - begin); });
  }

  void add_rows(const float* x, const float* table, float* y, int rows, int period, int cols) const override {
    const int parts = static_cast<int64_t>(rows) * cols >= (1 << 15) ? pool_.size() : 1;
    pool_.parallel_for(parts, [&](int part, int) {
      const Range r = split(rows, parts, part);
      for (int row = r.begin; row < r.end; ++row)
        fast::add(x + static_cast<int64_t>(row) * cols, table + static_cast<int64_t>(row % period) * cols,
                  y + static_cast<int64_t>(row) * cols, cols);
    });
  }

  void gelu(const float* x, float* y, std::size_t n) const override {
    for_chunks(n, [&](std::size_t begin, std::size_t end) { fast::gelu(x + begin, y + begin, end - begin); });
  }

  void softmax(const float* x, float* y, int rows, int cols) const override {
    if (x != y) std::memcpy(y, x, static_cast<std::size_t>(rows) * cols * sizeof(float));
    const int parts = static_cast<int64_t>(rows) * cols >= (1 << 15) ? pool_.size() : 1;
    pool_.parallel_for(parts, [&](int part, int) {
      const Range r = split(rows, parts, part);
      if (r.end > r.begin) fast::softmax_scaled(y + static_cast<int64_t>(r.begin) * cols, cols, r.end - r.begin, cols, 1.0f);
    });
  }

  // images: (B, C, S, S) -> patches: (B * g * g, C * p * p); one task per (image, patch row).
  void patchify(const float* images, float* patches, int batch, int channels, int size, int patch) const override {
    const int grid = size / patch, width = channels * patch * patch;
    pool_.parallel_for(batch * grid, [&](int task, int) {
      const int b = task / grid, py = task % grid;
      for (int px = 0; px < grid; ++px) {
        float* row = patches + (static_cast<int64_t>(b) * grid * grid + py * grid + px) * width;
        for (int c = 0; c < channels; ++c)
          for (int ky = 0; ky < patch; ++ky)
            std::memcpy(row + (c * patch + ky) * patch,
                        images + ((static_cast<int64_t>(b) * channels + c) * size + py * patch + ky) * size + px * patch,
                        patch * sizeof(float));
      }
    });
  }

  void gather_rows(const float* table, const int* ids, float* out, int n, int cols) const override {
    for (int i = 0; i < n; ++i)
      std::memcpy(out + static_cast<int64_t>(i) * cols, table + static_cast<int64_t>(ids[i]) * cols, cols * sizeof(float));
  }

 private:
  template <typename Fn>
  void for_chunks(std::size_t n, Fn&& fn) const {
    const int parts = n >= (1u << 15) ? pool_.size() : 1;
    pool_.parallel_for(parts, [&](int part, int) {
      const std::size_t begin = n * part / parts, end = n * (part + 1) / parts;
      if (end > begin) fn(begin, end);
    });
  }

  mutable ThreadPool pool_;
  Precision precision_;
  mutable std::mutex linear_mutex_;
};

}  // namespace

bool fast_backend_supports_bf16(std::string* why) {
#ifdef CXR_HAVE_ONEDNN
  if (onednn_bf16_supported()) return true;
  if (why) *why = "this CPU has no native bf16 dot products (oneDNN reports " + onednn_cpu_isa() +
                  "; AVX512-BF16 or AMX is needed)";
  return false;
#else
  if (why) *why = "this build has no oneDNN (install libdnnl-dev and rebuild)";
  return false;
#endif
}

std::shared_ptr<const Backend> make_fast_backend(int threads, Precision precision) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::make_shared<FastBackend>(threads, precision);
}

}  // namespace cxr::kernels
