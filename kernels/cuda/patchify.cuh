// kernels/cuda/patchify.cuh — CUDA op: im2col for a stride = kernel convolution.
// images: (batch, channels, size, size) -> patches: (batch * g * g, channels * patch * patch),
// g = size / patch, row order (b, py, px), column order (c, ky, kx) = Conv2d weight order.
// Launches on `stream` and returns without synchronising.
#pragma once

#include <cuda_runtime.h>

namespace cxr::kernels::cuda {

void launch_patchify(const float* images, float* patches, int batch, int channels, int size, int patch,
                     cudaStream_t stream);

}  // namespace cxr::kernels::cuda
