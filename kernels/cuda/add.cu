// CUDA op add (add.cuh): one thread per element, grid-stride loop.
#include "add.cuh"

#include "cuda_check.cuh"

namespace cxr::kernels::cuda {
namespace {

__global__ void add_kernel(const float* a, const float* b, float* y, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    y[i] = a[i] + b[i];
}

}  // namespace

void launch_add(const float* a, const float* b, float* y, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  add_kernel<<<grid_for(n), kBlock, 0, stream>>>(a, b, y, n);
  check_cuda(cudaGetLastError(), "add");
}

}  // namespace cxr::kernels::cuda
