// CUDA op gather_rows (gather_rows.cuh): one thread per output element.
#include "gather_rows.cuh"

#include "cuda_check.cuh"

namespace cxr::kernels::cuda {
namespace {

__global__ void gather_rows_kernel(const float* table, const int* ids, float* out, std::size_t n, int cols) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    out[i] = table[static_cast<std::size_t>(ids[i / cols]) * cols + i % cols];
}

}  // namespace

void launch_gather_rows(const float* table, const int* host_ids, float* out, int n, int cols, cudaStream_t stream) {
  const std::size_t total = static_cast<std::size_t>(n) * cols;
  if (total == 0) return;
  int* ids = nullptr;
  check_cuda(cudaMallocAsync(reinterpret_cast<void**>(&ids), sizeof(int) * n, stream), "gather_rows: cudaMallocAsync");
  // Pageable host memory: the copy is staged before cudaMemcpyAsync returns, so the caller may free
  // host_ids right after this call.
  check_cuda(cudaMemcpyAsync(ids, host_ids, sizeof(int) * n, cudaMemcpyHostToDevice, stream), "gather_rows: ids");
  gather_rows_kernel<<<grid_for(total), kBlock, 0, stream>>>(table, ids, out, total, cols);
  check_cuda(cudaGetLastError(), "gather_rows");
  check_cuda(cudaFreeAsync(ids, stream), "gather_rows: cudaFreeAsync");
}

}  // namespace cxr::kernels::cuda
