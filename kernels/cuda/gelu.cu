// CUDA op gelu (gelu.cuh): one thread per element, grid-stride loop.
#include "gelu.cuh"

#include "cuda_check.cuh"

namespace cxr::kernels::cuda {
namespace {

__global__ void gelu_kernel(const float* x, float* y, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    y[i] = gelu_tanh(x[i]);
}

}  // namespace

void launch_gelu(const float* x, float* y, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  gelu_kernel<<<grid_for(n), kBlock, 0, stream>>>(x, y, n);
  check_cuda(cudaGetLastError(), "gelu");
}

}  // namespace cxr::kernels::cuda
