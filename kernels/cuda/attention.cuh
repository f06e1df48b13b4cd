// kernels/cuda/attention.cuh — CUDA op: multi-head attention out = softmax(Q K^T * scale) V, with
// the strided Q/K/V layout of cxr::kernels::AttentionArgs (backend.h): token t of sequence b starts
// at q + b * q_batch_stride + t * q_row_stride, head h uses columns [h * head_dim, (h+1) * head_dim);
// q_batch_stride 0 shares one query set between sequences (the pooling probe).
// out: (batch, q_len, heads * head_dim) contiguous. Launches on `stream`, no synchronisation.
#pragma once

#include "cxr/kernels/backend.h"

#include <cuda_runtime.h>

namespace cxr::kernels::cuda {

void launch_attention(const AttentionArgs& args, cudaStream_t stream);

}  // namespace cxr::kernels::cuda
