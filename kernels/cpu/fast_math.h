// Row kernels of the fast CPU backend: plain loops written so the compiler vectorises them
// (fast_math.cpp is built with -O3 and reassociation, each function cloned for AVX-512, AVX2+FMA
// and baseline x86-64 and picked at load time). Single-threaded; the backend splits rows over its pool.
// Accuracy: exp and tanh are polynomial approximations with relative error < 2e-7 (fp32 rounding level).
#pragma once

#include <cstddef>

namespace cxr::kernels::fast {

// y[r, c] = act(y[r, c] + bias[c]) + residual[r, c]; y: (rows, cols) with row stride ld, bias:
// (cols) or nullptr, residual: same layout as y or nullptr. gelu selects gelu_pytorch_tanh.
void bias_act_residual(float* y, std::size_t ld, const float* bias, const float* residual, std::size_t rows,
                       std::size_t cols, bool gelu);
// y = gelu_tanh(x); y may alias x.
void gelu(const float* x, float* y, std::size_t n);
// x, y: (rows, cols); y may alias x.
void layer_norm(const float* x, const float* gamma, const float* beta, float* y, std::size_t rows,
                std::size_t cols, float eps);
// Each row of x (row stride ld) becomes softmax(x * scale) in place.
void softmax_scaled(float* x, std::size_t ld, std::size_t rows, std::size_t cols, float scale);
// y = a + b; y may alias a or b.
void add(const float* a, const float* b, float* y, std::size_t n);

}  // namespace cxr::kernels::fast
