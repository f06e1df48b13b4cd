#include "onednn_linear.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

namespace cxr::kernels {
namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

}  // namespace

bool onednn_bf16_supported() {
  const auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

std::string onednn_cpu_isa() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

struct OnednnLinear::Impl {
  dt compute_type = dt::f32;
  dnnl::memory::desc weights_desc;  // blocked layout chosen by oneDNN for (in, out)
  dnnl::memory weights;             // owned by oneDNN, in weights_desc
  dnnl::memory bias;                // (1, out) fp32, or empty
  int out = 0, in = 0;

  mutable std::mutex mutex;  // guards primitives and to_bf16
  mutable std::map<int64_t, dnnl::matmul> primitives;  // key: rows * 4 + gelu * 2 + accumulate
  // bf16 only: (rows, in) f32 -> bf16 conversion of the input, round to nearest even, by oneDNN's
  // reorder (vectorised and threaded like the matmul; a scalar loop here cost ~10% of a bf16 forward).
  mutable std::map<int, dnnl::reorder> to_bf16;

  dnnl::matmul::primitive_desc describe(int rows, bool gelu, bool accumulate, const dnnl::memory::desc& wdesc) const {
    const dnnl::memory::desc src({rows, in}, compute_type, tag::ab);
    const dnnl::memory::desc dst({rows, out}, dt::f32, tag::ab);
    dnnl::post_ops ops;
    if (gelu) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_tanh, 0.0f, 0.0f);
    if (accumulate) ops.append_sum(1.0f);  // after the activation: y = act(x W^T + b) + y
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::matmul::desc desc = bias ? dnnl::matmul::desc(src, wdesc, bias.get_desc(), dst)
                                         : dnnl::matmul::desc(src, wdesc, dst);
    return dnnl::matmul::primitive_desc(desc, attr, cpu_engine());
  }

  const dnnl::matmul& primitive(int rows, bool gelu, bool accumulate) const {
    const int64_t key = static_cast<int64_t>(rows) * 4 + (gelu ? 2 : 0) + (accumulate ? 1 : 0);
    std::lock_guard<std::mutex> lock(mutex);
    auto it = primitives.find(key);
    if (it == primitives.end()) it = primitives.emplace(key, dnnl::matmul(describe(rows, gelu, accumulate, weights_desc))).first;
    return it->second;
  }

  const dnnl::reorder& input_reorder(int rows) const {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = to_bf16.find(rows);
    if (it == to_bf16.end()) {
      const dnnl::memory::desc f32({rows, in}, dt::f32, tag::ab), bf16({rows, in}, dt::bf16, tag::ab);
      it = to_bf16.emplace(rows, dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), f32, cpu_engine(), bf16))).first;
    }
    return it->second;
  }
};

OnednnLinear::OnednnLinear(const float* w, const float* b, int out, int in, Precision precision)
    : PackedLinear(out, in), impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.out = out;
  m.in = in;
  m.compute_type = precision == Precision::kBf16 ? dt::bf16 : dt::f32;
  try {
    if (b) {
      m.bias = dnnl::memory({{1, out}, dt::f32, tag::ab}, cpu_engine());
      std::memcpy(m.bias.get_data_handle(), b, static_cast<std::size_t>(out) * sizeof(float));
    }
    // Let oneDNN pick the weights layout for a mid-sized row count; its brgemm layouts depend on
    // (in, out) and the ISA only, so the same packed weights serve every row count (checked when each
    // row count's primitive is created: creation fails loudly if they did not).
    const dnnl::memory::desc any({in, out}, m.compute_type, tag::any);
    m.weights_desc = m.describe(256, false, false, any).weights_desc();
    // nn.Linear's (out, in) row-major is (in, out) with tag ba; reorder (and round, for bf16) once.
    dnnl::stream stream(cpu_engine());
    dnnl::memory user({{in, out}, dt::f32, tag::ba}, cpu_engine(), const_cast<float*>(w));
    m.weights = dnnl::memory(m.weights_desc, cpu_engine());
    dnnl::reorder(user, m.weights).execute(stream, user, m.weights);
    stream.wait();
  } catch (const dnnl::error& e) {
    throw Exception(ErrorCode::kUnsupported, std::string("oneDNN has no ") + precision_name(precision) +
                                                 " matmul for a " + std::to_string(out) + "x" + std::to_string(in) +
                                                 " linear on this CPU (" + onednn_cpu_isa() + "): " + e.what());
  }
}

OnednnLinear::~OnednnLinear() = default;

void OnednnLinear::run(const float* x, float* y, int rows, bool gelu, bool accumulate) const {
  const Impl& m = *impl_;
  const dnnl::matmul& matmul = m.primitive(rows, gelu, accumulate);
  dnnl::stream stream(cpu_engine());
  dnnl::memory src({{rows, m.in}, dt::f32, tag::ab}, cpu_engine(), const_cast<float*>(x));
  thread_local std::vector<uint16_t> x_bf16;
  if (m.compute_type == dt::bf16) {
    x_bf16.resize(static_cast<std::size_t>(rows) * m.in);
    dnnl::memory rounded({{rows, m.in}, dt::bf16, tag::ab}, cpu_engine(), x_bf16.data());
    m.input_reorder(rows).execute(stream, src, rounded);
    src = rounded;
  }
  dnnl::memory dst({{rows, m.out}, dt::f32, tag::ab}, cpu_engine(), y);
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, m.weights}, {DNNL_ARG_DST, dst}};
  if (m.bias) args.emplace(DNNL_ARG_BIAS, m.bias);
  matmul.execute(stream, args);
  stream.wait();
}

}  // namespace cxr::kernels
