// kernels/cuda/softmax.cuh — CUDA op: per row, numerically stable softmax. x, y: (rows, cols); y may
// alias x. A NaN in a row makes the whole row NaN, as in the CPU reference. Launches on `stream` and
// returns without synchronising.
#pragma once

#include <cuda_runtime.h>

namespace cxr::kernels::cuda {

void launch_softmax(const float* x, float* y, int rows, int cols, cudaStream_t stream);

}  // namespace cxr::kernels::cuda
