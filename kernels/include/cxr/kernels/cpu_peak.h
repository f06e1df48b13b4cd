// The machine's fp32 FLOP limit, measured rather than computed from a nominal clock (virtual
// machines report the base clock; cores boost above it): every thread runs independent chains of
// fused multiply-adds on the widest vectors the CPU has (AVX-512, else AVX2+FMA, else scalar) for
// about `seconds`, and the total rate is reported. That is cores x FMA units x lanes x 2 x clock as
// the silicon actually runs it: the ceiling any fp32 GEMM on this machine can approach.
#pragma once

#include <string>

namespace cxr::kernels {

struct Fp32Peak {
  double gflops = 0;           // all threads together
  double gflops_per_thread = 0;
  int threads = 0;
  std::string vector_isa;      // "avx512f" | "avx2+fma" | "scalar"
  int lanes = 1;               // fp32 lanes per FMA instruction (how many run per cycle is the core's business)
};

// threads >= 1. Blocks for about `seconds` of wall time. Thread-safe (run it on a quiet machine).
Fp32Peak measure_fp32_peak(int threads, double seconds = 0.5);

}  // namespace cxr::kernels
