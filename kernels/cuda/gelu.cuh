// kernels/cuda/gelu.cuh — CUDA op: y = gelu_pytorch_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), evaluated in double
// like the CPU reference. x, y: (n); y may alias x.
// Launches on `stream` and returns without synchronising. NaN in, NaN out, as the CPU reference.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace cxr::kernels::cuda {

void launch_gelu(const float* x, float* y, std::size_t n, cudaStream_t stream);

// The activation itself, shared with the linear layer's epilogue (linear.cu).
__device__ inline float gelu_tanh(float x) {
  const double xd = x;
  return static_cast<float>(0.5 * xd * (1.0 + tanh(0.7978845608028654 * (xd + 0.044715 * xd * xd * xd))));
}

}  // namespace cxr::kernels::cuda
