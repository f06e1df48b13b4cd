// CUDA op patchify (patchify.cuh): one thread per output element (coalesced writes).
#include "patchify.cuh"

#include "cuda_check.cuh"

namespace cxr::kernels::cuda {
namespace {

__global__ void patchify_kernel(const float* images, float* patches, std::size_t n, int channels, int size, int patch) {
  const int grid = size / patch;
  const int width = channels * patch * patch;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const std::size_t row = i / width;
    const int col = static_cast<int>(i % width);
    const std::size_t b = row / (grid * grid);
    const int cell = static_cast<int>(row % (grid * grid));
    const int py = cell / grid, px = cell % grid;
    const int c = col / (patch * patch), ky = (col / patch) % patch, kx = col % patch;
    patches[i] = images[((b * channels + c) * size + py * patch + ky) * size + px * patch + kx];
  }
}

}  // namespace

void launch_patchify(const float* images, float* patches, int batch, int channels, int size, int patch,
                     cudaStream_t stream) {
  const int grid = size / patch;
  const std::size_t n = static_cast<std::size_t>(batch) * grid * grid * channels * patch * patch;
  if (n == 0) return;
  patchify_kernel<<<grid_for(n), kBlock, 0, stream>>>(images, patches, n, channels, size, patch);
  check_cuda(cudaGetLastError(), "patchify");
}

}  // namespace cxr::kernels::cuda
