// CUDA op add_rows (add_rows.cuh): one thread per element, grid-stride loop.
#include "add_rows.cuh"

#include "cuda_check.cuh"

namespace cxr::kernels::cuda {
namespace {

__global__ void add_rows_kernel(const float* x, const float* table, float* y, std::size_t n, int period, int cols) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const std::size_t row = i / cols, col = i % cols;
    y[i] = x[i] + table[(row % period) * cols + col];
  }
}

}  // namespace

void launch_add_rows(const float* x, const float* table, float* y, int rows, int period, int cols,
                     cudaStream_t stream) {
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  if (n == 0) return;
  add_rows_kernel<<<grid_for(n), kBlock, 0, stream>>>(x, table, y, n, period, cols);
  check_cuda(cudaGetLastError(), "add_rows");
}

}  // namespace cxr::kernels::cuda
