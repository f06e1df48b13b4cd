// CUDA op linear (linear.cuh). Row-major y(rows, out) = x(rows, in) W(out, in)^T is, read column-major,
// y^T(out, rows) = W^T-as-stored(in, out)^T x^T(in, rows): cuBLASLt with op(A) = T on the weights,
// op(B) = N on the activations, m = out, n = rows, k = in, all leading dimensions the row lengths.
#include "linear.cuh"

#include "cuda_check.cuh"
#include "gelu.cuh"

#include <cstdint>

namespace cxr::kernels::cuda {
namespace {

constexpr std::size_t kWorkspaceBytes = 32u << 20;  // cuBLASLt scratch, stream-ordered (pool-cached)

// One cuBLASLt handle per host thread: ops may be called from several threads at once (backend.h).
cublasLtHandle_t thread_handle() {
  struct Handle {
    cublasLtHandle_t handle = nullptr;
    Handle() { check_cublas(cublasLtCreate(&handle), "cublasLtCreate"); }
    ~Handle() { cublasLtDestroy(handle); }
  };
  thread_local Handle h;
  return h.handle;
}

// Owning wrappers so an exception between create and destroy leaks nothing.
struct MatmulDesc {
  cublasLtMatmulDesc_t desc = nullptr;
  ~MatmulDesc() { if (desc) cublasLtMatmulDescDestroy(desc); }
};
struct Preference {
  cublasLtMatmulPreference_t pref = nullptr;
  Preference() { check_cublas(cublasLtMatmulPreferenceCreate(&pref), "cublasLtMatmulPreferenceCreate"); }
  ~Preference() { if (pref) cublasLtMatmulPreferenceDestroy(pref); }
  void set(cublasLtMatmulPreferenceAttributes_t attribute, uint64_t value) {
    check_cublas(cublasLtMatmulPreferenceSetAttribute(pref, attribute, &value, sizeof(value)), "matmul preference");
  }
};

// Largest power of two (<= 256) dividing the address: activations are often row offsets into a larger
// buffer, and the heuristic must only offer kernels that accept their actual alignment.
uint64_t alignment_of(const void* p) {
  const auto address = reinterpret_cast<uintptr_t>(p);
  uint64_t a = 256;
  while (a > 4 && address % a != 0) a /= 2;
  return a;
}

struct Layout {
  cublasLtMatrixLayout_t layout = nullptr;
  Layout(cudaDataType_t type, uint64_t rows, uint64_t cols, int64_t ld) {
    check_cublas(cublasLtMatrixLayoutCreate(&layout, type, rows, cols, ld), "cublasLtMatrixLayoutCreate");
  }
  ~Layout() { if (layout) cublasLtMatrixLayoutDestroy(layout); }
};

// y[r, c] = act(t[r, c] + bias[c]) + residual[r, c]; bias and residual optional. y may alias t or
// residual (each element is read before it is written, by the same thread).
__global__ void epilogue_kernel(const float* t, const float* bias, const float* residual, float* y, std::size_t n,
                                int cols, bool gelu) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    float v = t[i] + (bias ? bias[i % cols] : 0.0f);
    if (gelu) v = gelu_tanh(v);
    y[i] = residual ? v + residual[i] : v;
  }
}

__global__ void to_bf16_kernel(const float* x, __nv_bfloat16* y, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    y[i] = __float2bfloat16_rn(x[i]);
}

// d(out, rows col-major) = W x^T (+ c when beta = 1).
void matmul(const DeviceLinear& w, const void* x, cudaDataType_t type, const float* c, float beta, float* d, int rows,
            cudaStream_t stream) {
  MatmulDesc desc;
  check_cublas(cublasLtMatmulDescCreate(&desc.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate");
  const cublasOperation_t trans = CUBLAS_OP_T, no_trans = CUBLAS_OP_N;
  check_cublas(cublasLtMatmulDescSetAttribute(desc.desc, CUBLASLT_MATMUL_DESC_TRANSA, &trans, sizeof(trans)), "TRANSA");
  check_cublas(cublasLtMatmulDescSetAttribute(desc.desc, CUBLASLT_MATMUL_DESC_TRANSB, &no_trans, sizeof(no_trans)), "TRANSB");
  const Layout a(type, w.in, w.out, w.in), b(type, w.in, rows, w.in), cd(CUDA_R_32F, w.out, rows, w.out);
  const void* weights = type == CUDA_R_16BF ? static_cast<const void*>(w.weight_bf16) : w.weight;
  const float alpha = 1.0f;
  const float* cin = c ? c : d;
  Preference preference;
  preference.set(CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, kWorkspaceBytes);
  preference.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, alignment_of(weights));
  preference.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, alignment_of(x));
  preference.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, alignment_of(cin));
  preference.set(CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, alignment_of(d));
  cublasLtMatmulHeuristicResult_t heuristic{};
  int found = 0;
  check_cublas(cublasLtMatmulAlgoGetHeuristic(thread_handle(), desc.desc, a.layout, b.layout, cd.layout, cd.layout,
                                              preference.pref, 1, &heuristic, &found),
               "cublasLtMatmulAlgoGetHeuristic");
  if (found == 0) check_cublas(CUBLAS_STATUS_NOT_SUPPORTED, "cublasLtMatmulAlgoGetHeuristic (no algorithm for this shape)");
  void* workspace = nullptr;
  check_cuda(cudaMallocAsync(&workspace, kWorkspaceBytes, stream), "linear: workspace");
  const cublasStatus_t status =
      cublasLtMatmul(thread_handle(), desc.desc, &alpha, weights, a.layout, x, b.layout, &beta, cin, cd.layout, d,
                     cd.layout, &heuristic.algo, workspace, kWorkspaceBytes, stream);
  check_cuda(cudaFreeAsync(workspace, stream), "linear: workspace");
  check_cublas(status, "cublasLtMatmul");
}

}  // namespace

void launch_to_bf16(const float* x, __nv_bfloat16* y, std::size_t n, cudaStream_t stream) {
  if (n == 0) return;
  to_bf16_kernel<<<grid_for(n), kBlock, 0, stream>>>(x, y, n);
  check_cuda(cudaGetLastError(), "to_bf16");
}

void launch_linear(const DeviceLinear& w, const float* x, float* y, int rows, Activation act, const float* residual,
                   Precision precision, cudaStream_t stream) {
  if (rows == 0) return;
  const std::size_t n = static_cast<std::size_t>(rows) * w.out;
  const bool gelu = act == Activation::kGeluTanh;
  // The activation comes before the residual, so the residual can ride in the GEMM's C only without one.
  const bool residual_in_gemm = residual != nullptr && !gelu;
  float* gemm_out = y;
  if (residual != nullptr && gelu) {
    check_cuda(cudaMallocAsync(reinterpret_cast<void**>(&gemm_out), n * sizeof(float), stream), "linear: scratch");
  }
  const void* operand = x;
  __nv_bfloat16* x_bf16 = nullptr;
  if (precision == Precision::kBf16) {
    const std::size_t xn = static_cast<std::size_t>(rows) * w.in;
    check_cuda(cudaMallocAsync(reinterpret_cast<void**>(&x_bf16), xn * sizeof(__nv_bfloat16), stream), "linear: bf16 input");
    launch_to_bf16(x, x_bf16, xn, stream);
    operand = x_bf16;
  }
  matmul(w, operand, precision == Precision::kBf16 ? CUDA_R_16BF : CUDA_R_32F, residual_in_gemm ? residual : nullptr,
         residual_in_gemm ? 1.0f : 0.0f, gemm_out, rows, stream);
  if (x_bf16) check_cuda(cudaFreeAsync(x_bf16, stream), "linear: bf16 input");
  if (w.bias != nullptr || gelu) {
    epilogue_kernel<<<grid_for(n), kBlock, 0, stream>>>(gemm_out, w.bias, residual_in_gemm ? nullptr : residual, y, n,
                                                        w.out, gelu);
    check_cuda(cudaGetLastError(), "linear epilogue");
  }
  if (gemm_out != y) check_cuda(cudaFreeAsync(gemm_out, stream), "linear: scratch");
}

}  // namespace cxr::kernels::cuda
