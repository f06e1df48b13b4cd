// The fast CPU backend. Linear layers: oneDNN matmul (brgemm) on weights reordered once at load into
// its blocked layout, fp32 or bf16, bias + GELU + residual fused as post-ops; without oneDNN at build
// time, OpenBLAS sgemm on transposed weights with our own epilogue. Vectorised layer norm / softmax,
// attention blocked by (sequence, head, 64-query block) so each score block stays in cache.
#pragma once

#include "cxr/kernels/backend.h"

namespace cxr::kernels {

// threads: pool size including the calling thread; 0 = std::thread::hardware_concurrency().
// precision: kBf16 only where fast_backend_supports_bf16().
std::shared_ptr<const Backend> make_fast_backend(int threads, Precision precision = Precision::kFp32);
// Whether bf16 linears run natively here; if not, *why says what is missing (build or CPU).
bool fast_backend_supports_bf16(std::string* why);

}  // namespace cxr::kernels
