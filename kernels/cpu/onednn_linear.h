// nn.Linear on oneDNN's matmul (brgemm kernels): y = act(x W^T + b) (+ y), with the weights reordered
// once, at pack time, into the blocked layout the kernels read, stored as fp32 or bf16.
//
// bf16 (Precision::kBf16): weights and activations are rounded to bfloat16 (8-bit mantissa) right
// before the product; accumulation, bias, GELU and the residual stay fp32. Needs AVX512-BF16 (or
// AMX) to be faster than fp32: see onednn_bf16_supported().
//
// Threading: oneDNN parallelises each call itself with OpenMP over omp_get_max_threads() of the
// calling thread; the caller sets that (the fast backend does, to its own thread count).
// Thread-safety: run() may be called concurrently (primitives are created once per row count under
// a mutex and executed without it); the fast backend serialises calls anyway to share the cores.
#pragma once

#include "cxr/kernels/backend.h"

#include <memory>

namespace cxr::kernels {

// True when this CPU has native bf16 dot products (AVX512-BF16 or AMX-BF16). Thread-safe.
bool onednn_bf16_supported();
// The instruction set oneDNN dispatches to on this CPU, e.g. "avx512_core_bf16". Thread-safe.
std::string onednn_cpu_isa();

class OnednnLinear final : public PackedLinear {
 public:
  // w: (out, in) row-major as nn.Linear stores it; bias: (out) or nullptr. Host memory; copied.
  // Throws Exception(kUnsupported) when oneDNN has no matmul for this precision on this CPU.
  OnednnLinear(const float* w, const float* bias, int out, int in, Precision precision);
  ~OnednnLinear() override;

  // x: (rows, in); y: (rows, out). accumulate: y holds the residual on entry and the result is added
  // to it (y += act(x W^T + b)); otherwise y is overwritten. x and y must not overlap.
  void run(const float* x, float* y, int rows, bool gelu, bool accumulate) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxr::kernels
