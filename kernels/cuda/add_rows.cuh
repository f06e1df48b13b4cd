// kernels/cuda/add_rows.cuh — CUDA op: y[r] = x[r] + table[r % period] (position embeddings). x, y: (rows, cols); table:
// (period, cols); y may alias x.
// Launches on `stream` and returns without synchronising. NaN in, NaN out, as the CPU reference.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace cxr::kernels::cuda {

void launch_add_rows(const float* x, const float* table, float* y, int rows, int period, int cols,
                     cudaStream_t stream);

}  // namespace cxr::kernels::cuda
