// CUDA op attention (attention.cuh). One block per (query, head, sequence): the query's scores over
// all keys live in shared memory (kv_len floats), then a block-wide max / sum gives the softmax and
// each thread accumulates some output columns over the keys. Plain and exact (fp32 with a stable
// softmax), not yet a fused flash-style kernel: K and V are re-read per query.
#include "attention.cuh"

#include "cuda_check.cuh"

#include <cmath>

namespace cxr::kernels::cuda {
namespace {

constexpr int kAttentionBlock = 128;

__global__ void attention_kernel(AttentionArgs a) {
  extern __shared__ float smem[];
  float* scores = smem;                       // (kv_len)
  float* query = smem + a.kv_len;             // (head_dim)
  __shared__ float reduce[kBlock / 32];
  const int i = blockIdx.x, h = blockIdx.y, b = blockIdx.z;
  const float* qi = a.q + b * a.q_batch_stride + i * a.q_row_stride + static_cast<int64_t>(h) * a.head_dim;
  for (int d = threadIdx.x; d < a.head_dim; d += blockDim.x) query[d] = qi[d];
  __syncthreads();
  // scores[j] = <q_i, k_j> * scale
  float partial_max = -INFINITY;
  for (int j = threadIdx.x; j < a.kv_len; j += blockDim.x) {
    const float* kj = a.k + b * a.kv_batch_stride + j * a.kv_row_stride + static_cast<int64_t>(h) * a.head_dim;
    float dot = 0;
    for (int d = 0; d < a.head_dim; ++d) dot = fmaf(query[d], kj[d], dot);
    scores[j] = dot * a.scale;
    partial_max = fmaxf(partial_max, scores[j]);
  }
  const float max_score = block_reduce(partial_max, reduce, [](float x, float y) { return fmaxf(x, y); }, -INFINITY);
  float partial_sum = 0;
  for (int j = threadIdx.x; j < a.kv_len; j += blockDim.x) partial_sum += (scores[j] = expf(scores[j] - max_score));
  const float total = block_reduce(partial_sum, reduce, [](float x, float y) { return x + y; }, 0.0f);
  // out_i = sum_j p_j v_j (block_reduce ends with a barrier, so every score is written)
  const int width = a.heads * a.head_dim;
  float* oi = a.out + (static_cast<int64_t>(b) * a.q_len + i) * width + static_cast<int64_t>(h) * a.head_dim;
  for (int d = threadIdx.x; d < a.head_dim; d += blockDim.x) {
    const float* vd = a.v + b * a.kv_batch_stride + static_cast<int64_t>(h) * a.head_dim + d;
    float acc = 0;
    for (int j = 0; j < a.kv_len; ++j) acc = fmaf(scores[j], vd[j * a.kv_row_stride], acc);
    oi[d] = acc / total;
  }
}

}  // namespace

void launch_attention(const AttentionArgs& a, cudaStream_t stream) {
  if (a.batch == 0 || a.heads == 0 || a.q_len == 0) return;
  const std::size_t shared = sizeof(float) * (static_cast<std::size_t>(a.kv_len) + a.head_dim);
  if (shared > 48 * 1024) {
    check_cuda(cudaFuncSetAttribute(attention_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                    static_cast<int>(shared)),
               "attention: shared memory for a long sequence");
  }
  const dim3 grid(a.q_len, a.heads, a.batch);
  attention_kernel<<<grid, kAttentionBlock, shared, stream>>>(a);
  check_cuda(cudaGetLastError(), "attention");
}

}  // namespace cxr::kernels::cuda
