// CUDA op layer_norm (layer_norm.cuh): one block of kBlock threads per row. Two passes over the row
// (mean, then the variance of x - mean) accumulated in double, as the CPU reference does, so a row
// with a large mean does not lose the variance to cancellation.
#include "layer_norm.cuh"

#include "cuda_check.cuh"

namespace cxr::kernels::cuda {
namespace {

__global__ void layer_norm_kernel(const float* x, const float* gamma, const float* beta, float* y, int cols,
                                  float eps) {
  __shared__ double shared[kBlock / 32];
  const std::size_t row = blockIdx.x;
  const float* xr = x + row * cols;
  float* yr = y + row * cols;
  auto sum = [](double a, double b) { return a + b; };
  double partial = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) partial += xr[c];
  const double mean = block_reduce(partial, shared, sum, 0.0) / cols;
  partial = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) partial += (xr[c] - mean) * (xr[c] - mean);
  const double var = block_reduce(partial, shared, sum, 0.0) / cols;
  const double inv_std = 1.0 / sqrt(var + eps);
  for (int c = threadIdx.x; c < cols; c += blockDim.x)
    yr[c] = static_cast<float>((xr[c] - mean) * inv_std * gamma[c] + beta[c]);
}

}  // namespace

void launch_layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps,
                       cudaStream_t stream) {
  if (rows == 0 || cols == 0) return;
  layer_norm_kernel<<<rows, kBlock, 0, stream>>>(x, gamma, beta, y, cols, eps);
  check_cuda(cudaGetLastError(), "layer_norm");
}

}  // namespace cxr::kernels::cuda
