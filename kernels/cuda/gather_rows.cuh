// kernels/cuda/gather_rows.cuh — CUDA op: out[i] = table[ids[i]] (token embeddings, picking tokens).
// table: (table_rows, cols) device; ids: n indices in [0, table_rows) in *host* memory (the backend
// interface's contract); out: (n, cols) device. Copies the ids to the device on `stream` (a small
// stream-ordered allocation) and returns without synchronising.
#pragma once

#include <cuda_runtime.h>

namespace cxr::kernels::cuda {

void launch_gather_rows(const float* table, const int* host_ids, float* out, int n, int cols, cudaStream_t stream);

}  // namespace cxr::kernels::cuda
