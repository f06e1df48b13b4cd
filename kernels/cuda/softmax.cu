// CUDA op softmax (softmax.cuh): one block per row; max (fmaxf, which like std::max skips a NaN),
// then sum of exp(x - max) in double, then the normalised values.
#include "softmax.cuh"

#include "cuda_check.cuh"

#include <cmath>

namespace cxr::kernels::cuda {
namespace {

__global__ void softmax_kernel(const float* x, float* y, int cols) {
  __shared__ float shared_max[kBlock / 32];
  __shared__ double shared_sum[kBlock / 32];
  const std::size_t row = blockIdx.x;
  const float* xr = x + row * cols;
  float* yr = y + row * cols;
  float partial_max = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) partial_max = fmaxf(partial_max, xr[c]);
  const float max_value = block_reduce(partial_max, shared_max, [](float a, float b) { return fmaxf(a, b); }, -INFINITY);
  double partial_sum = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) partial_sum += exp(static_cast<double>(xr[c]) - max_value);
  const double total = block_reduce(partial_sum, shared_sum, [](double a, double b) { return a + b; }, 0.0);
  for (int c = threadIdx.x; c < cols; c += blockDim.x)
    yr[c] = static_cast<float>(exp(static_cast<double>(xr[c]) - max_value) / total);
}

}  // namespace

void launch_softmax(const float* x, float* y, int rows, int cols, cudaStream_t stream) {
  if (rows == 0 || cols == 0) return;
  softmax_kernel<<<rows, kBlock, 0, stream>>>(x, y, cols);
  check_cuda(cudaGetLastError(), "softmax");
}

}  // namespace cxr::kernels::cuda
