// kernels/cuda/add.cuh — CUDA op: y = a + b. a, b, y: (n); y may alias a or b.
// Launches on `stream` and returns without synchronising. NaN in, NaN out, as the CPU reference.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace cxr::kernels::cuda {

void launch_add(const float* a, const float* b, float* y, std::size_t n, cudaStream_t stream);

}  // namespace cxr::kernels::cuda
