// kernels/cuda/cuda_check.cuh — CUDA / cuBLASLt status checks for the CUDA backend (device code and
// host launchers). A failed call throws cxr::Exception with the call, the library's own words and
// what to do; the model converts it to an Error at its boundary like any other backend failure.
#pragma once

#include "cxr/result.h"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <string>

namespace cxr::kernels::cuda {

inline void check_cuda(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  throw Exception(ErrorCode::kInternal, std::string("CUDA backend: ") + what + " failed: " + cudaGetErrorName(status) +
                                            " (" + cudaGetErrorString(status) +
                                            "); check the driver (nvidia-smi) or run with --backend fast");
}

inline void check_cublas(cublasStatus_t status, const char* what) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  throw Exception(ErrorCode::kInternal, std::string("CUDA backend: ") + what + " failed: cuBLASLt status " +
                                            std::to_string(static_cast<int>(status)) + "; run with --backend fast");
}

// Threads per block for the row and elementwise kernels; a multiple of the warp size.
constexpr int kBlock = 256;

inline unsigned blocks_for(std::size_t n, int per_block = kBlock) {
  return static_cast<unsigned>((n + per_block - 1) / per_block);
}

// Grid of an elementwise kernel with a grid-stride loop: enough blocks to fill the GPU, capped so
// each thread loops a little over very large n.
inline unsigned grid_for(std::size_t n) {
  const unsigned blocks = blocks_for(n);
  return blocks < 65535u ? blocks : 65535u;
}

// Sum / max over a block of at most kBlock threads, blockDim.x a multiple of 32 (warp shuffles, then
// one warp over the warp results). Every thread gets the result. `shared` must hold kBlock / 32
// values; `identity` is the combine's neutral value (0 for a sum, -INFINITY for a max).
template <typename T, typename Combine>
__device__ T block_reduce(T value, T* shared, Combine combine, T identity) {
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  for (int offset = 16; offset > 0; offset /= 2) value = combine(value, __shfl_xor_sync(0xffffffffu, value, offset));
  if (lane == 0) shared[warp] = value;
  __syncthreads();
  const int warps = blockDim.x / 32;
  T total = threadIdx.x < warps ? shared[threadIdx.x] : identity;
  if (warp == 0) {
    for (int offset = 16; offset > 0; offset /= 2) total = combine(total, __shfl_xor_sync(0xffffffffu, total, offset));
    if (lane == 0) shared[0] = total;
  }
  __syncthreads();
  total = shared[0];
  __syncthreads();  // shared may be reused by the caller's next reduction
  return total;
}

}  // namespace cxr::kernels::cuda
