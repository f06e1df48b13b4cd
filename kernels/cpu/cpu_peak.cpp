#include "cxr/kernels/cpu_peak.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

namespace cxr::kernels {
namespace {

// 12 independent accumulator chains cover FMA latency (4 cycles) x 2 units with room to spare. The
// inner loops must be fully unrolled so the accumulators live in registers (an indexed array in
// memory would measure store forwarding instead, ~3x slower).
constexpr int kChains = 12;

__attribute__((target("avx512f"))) float fma_chains_avx512(long iterations) {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(0.001f * i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  __m512 sum = acc[0];
  for (int i = 1; i < kChains; ++i) sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) float fma_chains_avx2(long iterations) {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(0.001f * i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iterations; ++it)
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  float lanes[8], total = 0;
  for (int i = 0; i < kChains; ++i) {
    _mm256_storeu_ps(lanes, acc[i]);
    for (float v : lanes) total += v;
  }
  return total;
}

float fma_chains_scalar(long iterations) {
  float acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = 0.001f * i;
  for (long it = 0; it < iterations; ++it)
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i) acc[i] = acc[i] * 0.999999f + 1e-7f;
  float total = 0;
  for (float v : acc) total += v;
  return total;
}

}  // namespace

Fp32Peak measure_fp32_peak(int threads, double seconds) {
  Fp32Peak peak;
  peak.threads = std::max(threads, 1);
  float (*kernel)(long) = fma_chains_scalar;
  if (__builtin_cpu_supports("avx512f")) {
    kernel = fma_chains_avx512, peak.vector_isa = "avx512f", peak.lanes = 16;
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    kernel = fma_chains_avx2, peak.vector_isa = "avx2+fma", peak.lanes = 8;
  } else {
    peak.vector_isa = "scalar";
  }
  // Calibrate the iteration count on one thread so the timed run lasts about `seconds`.
  long iterations = 1 << 20;
  for (;;) {
    const auto start = std::chrono::steady_clock::now();
    volatile float sink = kernel(iterations);
    (void)sink;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (s > 0.05 || iterations > (1L << 40)) {
      iterations = static_cast<long>(iterations * std::max(1.0, seconds / std::max(s, 1e-6)));
      break;
    }
    iterations *= 4;
  }
  std::vector<std::thread> workers;
  std::vector<float> sinks(peak.threads);
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < peak.threads; ++t) workers.emplace_back([&, t] { sinks[t] = kernel(iterations); });
  for (auto& w : workers) w.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double flops = 2.0 * kChains * peak.lanes * static_cast<double>(iterations) * peak.threads;
  peak.gflops = flops / s / 1e9;
  peak.gflops_per_thread = peak.gflops / peak.threads;
  return peak;
}

}  // namespace cxr::kernels
