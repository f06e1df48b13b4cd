// kernels/cuda/layer_norm.cuh — CUDA op: per row y = (x - mean) / sqrt(var + eps) * gamma + beta,
// biased variance (torch.nn.LayerNorm). x, y: (rows, cols); gamma, beta: (cols); y may alias x.
// Launches on `stream` and returns without synchronising.
#pragma once

#include <cuda_runtime.h>

namespace cxr::kernels::cuda {

void launch_layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps,
                       cudaStream_t stream);

}  // namespace cxr::kernels::cuda
