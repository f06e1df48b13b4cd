// Reference CPU backend (see reference_backend.h). Every op is the textbook formula, accumulated in
// double where a sum runs over a long axis, so it is a stable yardstick rather than a fast path.
#include "reference_backend.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace cxr::kernels {
namespace {

// nn.Linear weights kept exactly as PyTorch stores them: w (out, in), bias (out).
class ReferenceLinear final : public PackedLinear {
 public:
  ReferenceLinear(const float* weight, const float* bias_or_null, int out, int in)
      : PackedLinear(out, in), w(weight, weight + static_cast<std::size_t>(out) * in) {
    if (bias_or_null) bias.assign(bias_or_null, bias_or_null + out);
    else bias.assign(out, 0.0f);
  }
  std::vector<float> w, bias;
};

float gelu_tanh(float x) {
  const double kSqrt2OverPi = 0.7978845608028654;
  const double xd = x;
  return static_cast<float>(0.5 * xd * (1.0 + std::tanh(kSqrt2OverPi * (xd + 0.044715 * xd * xd * xd))));
}

class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  int threads() const override { return 1; }
  bool supports_op(Op op) const override { return op != Op::kCount; }

  Buffer alloc(std::size_t floats) const override {
    return Buffer(new float[std::max<std::size_t>(floats, 1)], floats, [](float* p) { delete[] p; });
  }
  void upload(Buffer& dst, const float* host, std::size_t floats, std::size_t dst_offset) const override {
    std::memcpy(dst.data() + dst_offset, host, floats * sizeof(float));
  }
  void download(const Buffer& src, float* host, std::size_t floats, std::size_t src_offset) const override {
    std::memcpy(host, src.data() + src_offset, floats * sizeof(float));
  }

  std::unique_ptr<PackedLinear> pack_linear(const float* w, const float* bias, int out, int in) const override {
    return std::make_unique<ReferenceLinear>(w, bias, out, in);
  }

  // x: (rows, in), W: (out, in) -> y: (rows, out)
  void linear(const PackedLinear& packed, const float* x, float* y, int rows, Activation act,
              const float* residual) const override {
    const auto& lin = static_cast<const ReferenceLinear&>(packed);
    const int in = lin.in_features(), out = lin.out_features();
    for (int r = 0; r < rows; ++r) {
      for (int o = 0; o < out; ++o) {
        double acc = lin.bias[o];
        for (int i = 0; i < in; ++i) acc += static_cast<double>(x[r * in + i]) * lin.w[static_cast<std::size_t>(o) * in + i];
        float value = static_cast<float>(acc);
        if (act == Activation::kGeluTanh) value = gelu_tanh(value);
        if (residual) value += residual[static_cast<std::size_t>(r) * out + o];
        y[static_cast<std::size_t>(r) * out + o] = value;
      }
    }
  }

  // x, y: (rows, cols)
  void layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols,
                  float eps) const override {
    for (int r = 0; r < rows; ++r) {
      const float* xr = x + static_cast<std::size_t>(r) * cols;
      double mean = 0;
      for (int c = 0; c < cols; ++c) mean += xr[c];
      mean /= cols;
      double var = 0;  // biased variance, as torch.nn.LayerNorm
      for (int c = 0; c < cols; ++c) var += (xr[c] - mean) * (xr[c] - mean);
      var /= cols;
      const double inv_std = 1.0 / std::sqrt(var + eps);
      float* yr = y + static_cast<std::size_t>(r) * cols;
      for (int c = 0; c < cols; ++c) yr[c] = static_cast<float>((xr[c] - mean) * inv_std * gamma[c] + beta[c]);
    }
  }

  void attention(const AttentionArgs& a) const override {
    const int width = a.heads * a.head_dim;
    std::vector<double> scores(a.kv_len);
    for (int b = 0; b < a.batch; ++b) {
      for (int h = 0; h < a.heads; ++h) {
        for (int i = 0; i < a.q_len; ++i) {
          const float* qi = a.q + b * a.q_batch_stride + i * a.q_row_stride + h * a.head_dim;
          // scores[j] = <q_i, k_j> * scale, then a stable softmax over j
          double max_score = -INFINITY;
          for (int j = 0; j < a.kv_len; ++j) {
            const float* kj = a.k + b * a.kv_batch_stride + j * a.kv_row_stride + h * a.head_dim;
            double dot = 0;
            for (int d = 0; d < a.head_dim; ++d) dot += static_cast<double>(qi[d]) * kj[d];
            scores[j] = dot * a.scale;
            max_score = std::max(max_score, scores[j]);
          }
          double total = 0;
          for (int j = 0; j < a.kv_len; ++j) total += (scores[j] = std::exp(scores[j] - max_score));
          // out_i = sum_j p_j v_j
          float* oi = a.out + (static_cast<std::size_t>(b) * a.q_len + i) * width + h * a.head_dim;
          for (int d = 0; d < a.head_dim; ++d) {
            double acc = 0;
            for (int j = 0; j < a.kv_len; ++j)
              acc += scores[j] * a.v[b * a.kv_batch_stride + j * a.kv_row_stride + h * a.head_dim + d];
            oi[d] = static_cast<float>(acc / total);
          }
        }
      }
    }
  }

  void add(const float* a, const float* b, float* y, std::size_t n) const override {
    for (std::size_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
  }

  void add_rows(const float* x, const float* table, float* y, int rows, int period, int cols) const override {
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        y[static_cast<std::size_t>(r) * cols + c] =
            x[static_cast<std::size_t>(r) * cols + c] + table[static_cast<std::size_t>(r % period) * cols + c];
  }

  void gelu(const float* x, float* y, std::size_t n) const override {
    for (std::size_t i = 0; i < n; ++i) y[i] = gelu_tanh(x[i]);
  }

  void softmax(const float* x, float* y, int rows, int cols) const override {
    for (int r = 0; r < rows; ++r) {
      const float* xr = x + static_cast<std::size_t>(r) * cols;
      float* yr = y + static_cast<std::size_t>(r) * cols;
      float max_value = -INFINITY;
      for (int c = 0; c < cols; ++c) max_value = std::max(max_value, xr[c]);
      double total = 0;
      std::vector<double> e(cols);
      for (int c = 0; c < cols; ++c) total += (e[c] = std::exp(static_cast<double>(xr[c]) - max_value));
      for (int c = 0; c < cols; ++c) yr[c] = static_cast<float>(e[c] / total);
    }
  }

  // images: (B, C, S, S) -> patches: (B * g * g, C * p * p)
  void patchify(const float* images, float* patches, int batch, int channels, int size, int patch) const override {
    const int grid = size / patch;
    const int width = channels * patch * patch;
    for (int b = 0; b < batch; ++b)
      for (int py = 0; py < grid; ++py)
        for (int px = 0; px < grid; ++px) {
          float* row = patches + (static_cast<std::size_t>(b) * grid * grid + py * grid + px) * width;
          for (int c = 0; c < channels; ++c)
            for (int ky = 0; ky < patch; ++ky)
              for (int kx = 0; kx < patch; ++kx)
                row[(c * patch + ky) * patch + kx] =
                    images[((static_cast<std::size_t>(b) * channels + c) * size + py * patch + ky) * size + px * patch + kx];
        }
  }

  void gather_rows(const float* table, const int* ids, float* out, int n, int cols) const override {
    for (int i = 0; i < n; ++i)
      std::memcpy(out + static_cast<std::size_t>(i) * cols, table + static_cast<std::size_t>(ids[i]) * cols,
                  cols * sizeof(float));
  }
};

}  // namespace

std::shared_ptr<const Backend> make_reference_backend() { return std::make_shared<ReferenceBackend>(); }

}  // namespace cxr::kernels
