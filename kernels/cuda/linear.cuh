// kernels/cuda/linear.cuh — CUDA op: y = act(x W^T + b) (+ residual), the backend's nn.Linear.
// The GEMM runs on cuBLASLt (fp32: CUBLAS_COMPUTE_32F, no TF32, so it is held to the fp32 bar;
// bf16: operands rounded to bfloat16, fp32 accumulation and output); bias, GELU and the residual are
// one elementwise epilogue kernel (cuBLASLt's GELU epilogue is not documented as the tanh form).
// Shapes: x (rows, in) row-major; weights (out, in) row-major as PyTorch stores them; y, residual
// (rows, out); y may alias residual, never x. Launches on `stream`, no synchronisation.
#pragma once

#include "cxr/kernels/backend.h"

#include <cuda_bf16.h>
#include <cuda_runtime.h>

namespace cxr::kernels::cuda {

// Device copies of one nn.Linear. Owns its memory (cudaFree in the destructor).
struct DeviceLinear {
  int out = 0, in = 0;
  float* weight = nullptr;           // (out, in) fp32
  __nv_bfloat16* weight_bf16 = nullptr;  // (out, in), only for Precision::kBf16
  float* bias = nullptr;             // (out) or nullptr
};

void launch_linear(const DeviceLinear& w, const float* x, float* y, int rows, Activation act, const float* residual,
                   Precision precision, cudaStream_t stream);

// x (n) fp32 -> y (n) bf16, round to nearest even (the CPU bf16 path rounds the same way).
void launch_to_bf16(const float* x, __nv_bfloat16* y, std::size_t n, cudaStream_t stream);

}  // namespace cxr::kernels::cuda
