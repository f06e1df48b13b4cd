// The fast CPU backend: OpenBLAS sgemm (single-threaded per call, driven by our own pool) on weights
// transposed once at load, fused bias + GELU + residual epilogues, vectorised layer norm / softmax,
// and attention blocked by (sequence, head, 64-query block) so each score block stays in cache.
#pragma once

#include "cxr/kernels/backend.h"

namespace cxr::kernels {

// threads: pool size including the calling thread; 0 = std::thread::hardware_concurrency().
std::shared_ptr<const Backend> make_fast_backend(int threads);

}  // namespace cxr::kernels
