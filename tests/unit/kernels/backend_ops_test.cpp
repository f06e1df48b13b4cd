// Every op of every backend against the reference backend, with random inputs (ggml's
// test-backend-ops idea): error measured as normalised mean squared error
//   nmse = sum((out - ref)^2) / sum(ref^2)
// plus the worst absolute error, NaN checked on its own (a NaN anywhere fails, unless the reference
// has a NaN at the same place). Tolerances per op, justified where they are set.
// The suite refuses to pass vacuously: a backend under test that runs zero cases fails.
#include "cxr/kernels/backend.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace cxr::kernels {
namespace {

std::vector<float> random_vector(std::size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

struct Comparison {
  double nmse = 0, max_abs = 0;
  std::size_t nan_mismatches = 0;
};

Comparison compare(const std::vector<float>& out, const std::vector<float>& ref) {
  Comparison c;
  double err = 0, norm = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    if (std::isnan(out[i]) || std::isnan(ref[i])) {
      if (std::isnan(out[i]) != std::isnan(ref[i])) ++c.nan_mismatches;
      continue;
    }
    const double d = static_cast<double>(out[i]) - ref[i];
    err += d * d;
    norm += static_cast<double>(ref[i]) * ref[i];
    c.max_abs = std::max(c.max_abs, std::abs(d));
  }
  c.nmse = norm > 0 ? err / norm : err;
  return c;
}

// One op case: runs `op` on a backend, given host inputs, returns host output.
using OpRunner = std::function<std::vector<float>(const Backend&)>;

struct OpCase {
  std::string name;
  Op op;
  OpRunner run;
  double max_nmse;  // tolerance
};

std::vector<float> download_all(const Backend& b, const Buffer& buf) {
  std::vector<float> host(buf.size());
  b.download(buf, host.data(), host.size());
  return host;
}

OpCase linear_case(int rows, int in, int out, Activation act, bool residual, bool alias_residual, uint32_t seed) {
  std::string name = "linear_" + std::to_string(rows) + "x" + std::to_string(in) + "->" + std::to_string(out) +
                     (act == Activation::kGeluTanh ? "_gelu" : "") + (residual ? (alias_residual ? "_res_inplace" : "_res") : "");
  auto run = [=](const Backend& b) {
    const auto w = random_vector(static_cast<std::size_t>(out) * in, seed, 1.0f / std::sqrt(float(in)));
    const auto bias = random_vector(out, seed + 1);
    const auto x = random_vector(static_cast<std::size_t>(rows) * in, seed + 2);
    const auto r = random_vector(static_cast<std::size_t>(rows) * out, seed + 3);
    auto packed = b.pack_linear(w.data(), bias.data(), out, in);
    Buffer xb = b.upload_new(x);
    Buffer yb = alias_residual ? b.upload_new(r) : b.alloc(static_cast<std::size_t>(rows) * out);
    Buffer rb = b.upload_new(r);
    const float* res = !residual ? nullptr : alias_residual ? yb.data() : rb.data();
    b.linear(*packed, xb.data(), yb.data(), rows, act, res);
    return download_all(b, yb);
  };
  // fp32 GEMM with different summation order (blocked, FMA) than the double reference: relative
  // errors ~1e-7 per element, nmse ~1e-13; 1e-10 leaves margin while catching any indexing bug (~1).
  return {name, Op::kLinear, run, 1e-10};
}

OpCase layer_norm_case(int rows, int cols, float offset, uint32_t seed) {
  auto run = [=](const Backend& b) {
    auto x = random_vector(static_cast<std::size_t>(rows) * cols, seed, 3.0f);
    for (auto& v : x) v += offset;  // a large mean tests the two-pass variance
    const auto g = random_vector(cols, seed + 1), beta = random_vector(cols, seed + 2);
    Buffer xb = b.upload_new(x), gb = b.upload_new(g), bb = b.upload_new(beta);
    Buffer yb = b.alloc(x.size());
    b.layer_norm(xb.data(), gb.data(), bb.data(), yb.data(), rows, cols, 1e-6f);
    return download_all(b, yb);
  };
  return {"layer_norm_" + std::to_string(rows) + "x" + std::to_string(cols) + "_mean" + std::to_string(int(offset)),
          Op::kLayerNorm, run, 1e-11};
}

OpCase attention_case(int batch, int heads, int q_len, int kv_len, int head_dim, bool shared_query, uint32_t seed) {
  auto run = [=](const Backend& b) {
    const int width = heads * head_dim;
    // Q, K, V interleaved in one (B*T, 3*width) matrix like the fused QKV projection.
    const auto qkv = random_vector(static_cast<std::size_t>(batch) * kv_len * 3 * width, seed, 2.0f);
    const auto probe = random_vector(static_cast<std::size_t>(q_len) * width, seed + 1, 2.0f);
    Buffer qkvb = b.upload_new(qkv), probeb = b.upload_new(probe);
    Buffer out = b.alloc(static_cast<std::size_t>(batch) * q_len * width);
    AttentionArgs a;
    a.k = qkvb.data() + width;
    a.v = qkvb.data() + 2 * width;
    a.kv_row_stride = 3 * width;
    a.kv_batch_stride = static_cast<int64_t>(kv_len) * 3 * width;
    if (shared_query) {
      a.q = probeb.data();
      a.q_row_stride = width;
      a.q_batch_stride = 0;
    } else {
      a.q = qkvb.data();
      a.q_row_stride = 3 * width;
      a.q_batch_stride = a.kv_batch_stride;
    }
    a.out = out.data();
    a.batch = batch; a.heads = heads; a.q_len = q_len; a.kv_len = kv_len; a.head_dim = head_dim;
    a.scale = 1.0f / std::sqrt(float(head_dim));
    b.attention(a);
    return download_all(b, out);
  };
  return {"attention_b" + std::to_string(batch) + "_h" + std::to_string(heads) + "_q" + std::to_string(q_len) + "_kv" +
              std::to_string(kv_len) + "_d" + std::to_string(head_dim) + (shared_query ? "_probe" : ""),
          Op::kAttention, run, 1e-10};
}

OpCase unary_case(const std::string& name, Op op, std::size_t n, float scale, bool inject_nan, uint32_t seed,
                  std::function<void(const Backend&, const float*, float*, std::size_t)> apply, double tol) {
  auto run = [=](const Backend& b) {
    auto x = random_vector(n, seed, scale);
    if (inject_nan) x[n / 3] = NAN;
    Buffer xb = b.upload_new(x), yb = b.upload_new(std::vector<float>(n, 0.0f));  // ops may write a prefix only
    apply(b, xb.data(), yb.data(), n);
    return download_all(b, yb);
  };
  return {name, op, run, tol};
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases;
  // Shapes: SigLIP-like (width 64..3072) and odd sizes that do not divide vector widths or blocks.
  cases.push_back(linear_case(7, 33, 65, Activation::kNone, false, false, 1));
  cases.push_back(linear_case(196, 96, 128, Activation::kGeluTanh, false, false, 2));
  cases.push_back(linear_case(3, 128, 300, Activation::kNone, true, false, 3));
  cases.push_back(linear_case(50, 64, 64, Activation::kNone, true, true, 4));
  cases.push_back(linear_case(1, 48, 17, Activation::kGeluTanh, true, false, 5));
  cases.push_back(layer_norm_case(5, 768, 0.0f, 6));
  cases.push_back(layer_norm_case(33, 37, 100.0f, 7));
  cases.push_back(attention_case(2, 3, 49, 49, 16, false, 8));
  cases.push_back(attention_case(3, 4, 1, 50, 8, true, 9));
  cases.push_back(attention_case(1, 2, 130, 130, 32, false, 10));  // several query blocks
  cases.push_back(attention_case(2, 1, 7, 7, 5, false, 11));
  // gelu: inputs over [-12, 12] cover both tails; fast tanh via exp is within ~2e-7 relative.
  cases.push_back(unary_case("gelu_70001", Op::kGelu, 70001, 4.0f, false, 12,
                             [](const Backend& b, const float* x, float* y, std::size_t n) { b.gelu(x, y, n); }, 1e-12));
  cases.push_back(unary_case("gelu_nan", Op::kGelu, 1001, 4.0f, true, 13,
                             [](const Backend& b, const float* x, float* y, std::size_t n) { b.gelu(x, y, n); }, 1e-12));
  cases.push_back(unary_case("softmax_64x197", Op::kSoftmax, 64 * 197, 5.0f, false, 14,
                             [](const Backend& b, const float* x, float* y, std::size_t) { b.softmax(x, y, 64, 197); }, 1e-12));
  cases.push_back(unary_case("softmax_nan_row", Op::kSoftmax, 4 * 33, 5.0f, true, 15,
                             [](const Backend& b, const float* x, float* y, std::size_t) { b.softmax(x, y, 4, 33); }, 1e-12));
  cases.push_back({"softmax_inplace_300x300", Op::kSoftmax,
                   [](const Backend& b) {
                     Buffer xb = b.upload_new(random_vector(300 * 300, 16, 30.0f));  // wide logits: max-subtraction matters
                     b.softmax(xb.data(), xb.data(), 300, 300);
                     return download_all(b, xb);
                   },
                   1e-12});
  cases.push_back(unary_case("add_100003", Op::kAdd, 100003, 1.0f, false, 17,
                             [](const Backend& b, const float* x, float* y, std::size_t n) { b.add(x, x + 1, y, n - 1); }, 0));
  cases.push_back(unary_case("add_rows_12x7_period4", Op::kAddRows, 12 * 7, 1.0f, false, 18,
                             [](const Backend& b, const float* x, float* y, std::size_t) { b.add_rows(x, x + 5, y, 12, 4, 7); }, 0));
  cases.push_back(unary_case("patchify_2x3x32_p8", Op::kPatchify, 2 * 3 * 32 * 32, 1.0f, false, 19,
                             [](const Backend& b, const float* x, float* y, std::size_t) { b.patchify(x, y, 2, 3, 32, 8); }, 0));
  cases.push_back(unary_case("gather_rows", Op::kGatherRows, 50 * 9, 1.0f, false, 20,
                             [](const Backend& b, const float* x, float* y, std::size_t) {
                               const int ids[] = {49, 0, 7, 7, 23};
                               b.gather_rows(x, ids, y, 5, 9);
                             },
                             0));
  return cases;
}

struct BackendParam {
  std::string backend;
  Precision precision = Precision::kFp32;
};
void PrintTo(const BackendParam& p, std::ostream* os) { *os << p.backend << "/" << precision_name(p.precision); }
std::string param_name(const ::testing::TestParamInfo<BackendParam>& info) {
  return info.param.backend + "_" + precision_name(info.param.precision);
}

// bf16 linears round both operands to 8 mantissa bits: relative error ~2^-9 / sqrt(3) per operand,
// so nmse ~2 * (1.1e-3)^2 ~ 2.5e-6 whatever the size; 2e-5 leaves margin and still fails on any
// layout or indexing bug (nmse ~1).
constexpr double kBf16LinearNmse = 2e-5;

class BackendOps : public ::testing::TestWithParam<BackendParam> {};

TEST_P(BackendOps, MatchesReference) {
  const auto& [name, precision] = GetParam();
  auto reference = create_backend("reference");
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  auto backend = create_backend(name, 2, precision);
  // bf16 on a CPU without it, or "cuda" on a machine without a device: skipped with the reason.
  if (!backend.ok() && (precision == Precision::kBf16 || name == "cuda") &&
      backend.error().code == ErrorCode::kUnsupported)
    GTEST_SKIP() << backend.error().message;
  ASSERT_TRUE(backend.ok()) << backend.error().message;
  EXPECT_EQ((*backend)->precision(), precision);
  int cases_run = 0;
  for (auto c : all_cases()) {
    if (!(*backend)->supports_op(c.op)) {
      std::printf("  %-40s skipped: %s does not support %s\n", c.name.c_str(), name.c_str(), op_name(c.op));
      continue;
    }
    if (precision == Precision::kBf16 && c.op == Op::kLinear) c.max_nmse = kBf16LinearNmse;
    const auto ref = c.run(**reference);
    const auto out = c.run(**backend);
    ASSERT_EQ(out.size(), ref.size()) << c.name;
    const auto cmp = compare(out, ref);
    std::printf("  %-40s nmse %.3g  max|err| %.3g\n", c.name.c_str(), cmp.nmse, cmp.max_abs);
    EXPECT_EQ(cmp.nan_mismatches, 0u) << c.name << ": NaN where the reference has none, or the reverse";
    EXPECT_LE(cmp.nmse, c.max_nmse) << c.name;
    ++cases_run;
  }
  EXPECT_GT(cases_run, 0) << "backend " << name << " ran no op cases: this would pass vacuously";
}

// Every backend except the yardstick itself. The CUDA backend's cases are a separate executable
// (kernels_cuda_ops_test, label gpu, built from this file with CXR_OPS_TEST_GPU) that skips without a
// device; same cases, same tolerances (bf16 linears: kBf16LinearNmse).
#ifdef CXR_OPS_TEST_GPU
INSTANTIATE_TEST_SUITE_P(Cuda, BackendOps,
                         ::testing::Values(BackendParam{"cuda"}, BackendParam{"cuda", Precision::kBf16}), param_name);
#else
INSTANTIATE_TEST_SUITE_P(Cpu, BackendOps,
                         ::testing::Values(BackendParam{"fast"}, BackendParam{"fast", Precision::kBf16}), param_name);
#endif

#ifndef CXR_OPS_TEST_GPU  // the rest runs once, in the CPU (unit) executable
// The reference itself against hand-computed values, so the yardstick is not only self-consistent.
TEST(ReferenceBackend, KnownValues) {
  auto b = *create_backend("reference");
  const float w[] = {1, 2, 3, 4, 5, 6};  // (2, 3)
  const float bias[] = {0.5f, -1};
  const float x[] = {1, 0, -1};
  auto packed = b->pack_linear(w, bias, 2, 3);
  Buffer xb = b->upload_new(x, 3), yb = b->alloc(2);
  b->linear(*packed, xb.data(), yb.data(), 1, Activation::kNone);
  float y[2];
  b->download(yb, y, 2);
  EXPECT_FLOAT_EQ(y[0], 1 - 3 + 0.5f);
  EXPECT_FLOAT_EQ(y[1], 4 - 6 - 1);

  const float g_in[] = {0.0f, 1.0f, -1.0f, 3.0f};
  Buffer gb = b->upload_new(g_in, 4), go = b->alloc(4);
  b->gelu(gb.data(), go.data(), 4);
  float g[4];
  b->download(go, g, 4);
  EXPECT_FLOAT_EQ(g[0], 0.0f);
  EXPECT_NEAR(g[1], 0.8411920f, 1e-6);  // torch.nn.functional.gelu(1.0, approximate="tanh")
  EXPECT_NEAR(g[2], -0.1588080f, 1e-6);
  EXPECT_NEAR(g[3], 2.9963627f, 1e-6);

  const float s_in[] = {1, 2, 3};
  Buffer sb = b->upload_new(s_in, 3);
  b->softmax(sb.data(), sb.data(), 1, 3);
  float s[3];
  b->download(sb, s, 3);
  EXPECT_NEAR(s[0], 0.09003057f, 1e-7);
  EXPECT_NEAR(s[2], 0.66524096f, 1e-7);
}

TEST(Backends, FactoryErrors) {
  auto unknown = create_backend("tpu");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown backend 'tpu'"), std::string::npos);
  EXPECT_FALSE(create_backend("fast", -1).ok());
  // "cuda" either works (a CUDA build on a machine with a device) or says why not, naming the backend.
  auto cuda = create_backend("cuda");
  if (!cuda.ok()) {
    EXPECT_EQ(cuda.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(cuda.error().message.find("cuda"), std::string::npos) << cuda.error().message;
  } else {
    EXPECT_EQ((*cuda)->name(), "cuda");
  }
  auto fast = create_backend("auto", 3);
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ((*fast)->threads(), 3);
}
#endif

}  // namespace
}  // namespace cxr::kernels
