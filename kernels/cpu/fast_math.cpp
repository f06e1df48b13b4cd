#include "fast_math.h"

#include <bit>
#include <cmath>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CXR_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CXR_VECTOR_CLONES
#endif

namespace cxr::kernels::fast {
namespace {

// e^x for x in float range: x = k ln2 + r, |r| <= ln2/2, e^r by a degree-6 polynomial (Cephes expf
// coefficients), 2^k assembled in the exponent bits. Inputs are clamped to [-87.3, 88.7] by
// comparisons, so a NaN input stays NaN (fmin/fmax would swallow it).
inline float exp_approx(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.7f ? 88.7f : x;
  const float k = std::floor(x * 1.44269504088896341f + 0.5f);
  const float r = x - k * 0.693359375f + k * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(k) + 127) << 23;
  return er * std::bit_cast<float>(bits);
}

// gelu_pytorch_tanh via tanh(u) = 1 - 2 / (e^{2u} + 1).
inline float gelu_approx(float x) {
  const float u = 0.7978845608028654f * (x + 0.044715f * x * x * x);
  const float t = 1.0f - 2.0f / (exp_approx(2.0f * u) + 1.0f);
  return 0.5f * x * (1.0f + t);
}

}  // namespace

CXR_VECTOR_CLONES
void bias_act_residual(float* y, std::size_t ld, const float* bias, const float* residual, std::size_t rows,
                       std::size_t cols, bool gelu) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* __restrict yr = y + r * ld;
    if (bias)
      for (std::size_t c = 0; c < cols; ++c) yr[c] += bias[c];
    if (gelu)
      for (std::size_t c = 0; c < cols; ++c) yr[c] = gelu_approx(yr[c]);
    if (residual) {
      const float* __restrict rr = residual + r * ld;
      for (std::size_t c = 0; c < cols; ++c) yr[c] += rr[c];
    }
  }
}

CXR_VECTOR_CLONES
void gelu(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = gelu_approx(x[i]);
}

CXR_VECTOR_CLONES
void layer_norm(const float* x, const float* gamma, const float* beta, float* y, std::size_t rows,
                std::size_t cols, float eps) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float sum = 0.0f;
    for (std::size_t c = 0; c < cols; ++c) sum += xr[c];
    const float mean = sum / static_cast<float>(cols);
    float squares = 0.0f;  // two-pass variance: no cancellation for large means
    for (std::size_t c = 0; c < cols; ++c) squares += (xr[c] - mean) * (xr[c] - mean);
    const float inv_std = 1.0f / std::sqrt(squares / static_cast<float>(cols) + eps);
    for (std::size_t c = 0; c < cols; ++c) yr[c] = (xr[c] - mean) * inv_std * gamma[c] + beta[c];
  }
}

CXR_VECTOR_CLONES
void softmax_scaled(float* x, std::size_t ld, std::size_t rows, std::size_t cols, float scale) {  // scale > 0
  for (std::size_t r = 0; r < rows; ++r) {
    float* xr = x + r * ld;
    float max_value = -INFINITY;
    for (std::size_t c = 0; c < cols; ++c) max_value = xr[c] > max_value ? xr[c] : max_value;  // NaN propagates below
    float total = 0.0f;
    for (std::size_t c = 0; c < cols; ++c) {
      xr[c] = exp_approx((xr[c] - max_value) * scale);
      total += xr[c];
    }
    const float inv_total = 1.0f / total;
    for (std::size_t c = 0; c < cols; ++c) xr[c] *= inv_total;
  }
}

CXR_VECTOR_CLONES
void add(const float* a, const float* b, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
}

}  // namespace cxr::kernels::fast
