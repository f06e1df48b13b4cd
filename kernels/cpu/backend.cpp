// Backend registry: names -> factories. The CUDA backend registers here once it exists
// (kernels/cuda/, compiled when nvcc is found); until then "auto" means "fast".
#include "cxr/kernels/backend.h"

#include "fast_backend.h"
#include "reference_backend.h"

namespace cxr::kernels {

const char* op_name(Op op) noexcept {
  switch (op) {
    case Op::kLinear: return "linear";
    case Op::kLayerNorm: return "layer_norm";
    case Op::kAttention: return "attention";
    case Op::kAdd: return "add";
    case Op::kAddRows: return "add_rows";
    case Op::kGelu: return "gelu";
    case Op::kSoftmax: return "softmax";
    case Op::kPatchify: return "patchify";
    case Op::kGatherRows: return "gather_rows";
    case Op::kCount: break;
  }
  return "unknown";
}

Buffer Backend::upload_new(const float* host, std::size_t floats) const {
  Buffer buffer = alloc(floats);
  if (floats) upload(buffer, host, floats);
  return buffer;
}

const char* precision_name(Precision precision) noexcept {
  return precision == Precision::kBf16 ? "bf16" : "fp32";
}

Result<Precision> parse_precision(const std::string& name) {
  if (name == "fp32") return Precision::kFp32;
  if (name == "bf16") return Precision::kBf16;
  return make_error(ErrorCode::kInvalidArgument, "unknown precision '" + name + "'; choose fp32 or bf16");
}

std::vector<std::string> available_backends() { return {"fast", "reference"}; }

Status check_precision(const std::string& name, Precision precision) {
  if (precision == Precision::kFp32) return Status::Ok();
  if (name == "fast" || name == "auto") {
    std::string why;
    if (!fast_backend_supports_bf16(&why)) return make_error(ErrorCode::kUnsupported, "precision bf16: " + why + "; use fp32");
    return Status::Ok();
  }
  if (name == "reference")
    return make_error(ErrorCode::kUnsupported, "the reference backend computes in fp32 only; use --backend fast for bf16");
  return make_error(ErrorCode::kUnsupported, "precision bf16 is not available with backend '" + name + "'; use fp32");
}

Result<std::shared_ptr<const Backend>> create_backend(const std::string& name, int threads, Precision precision) {
  if (threads < 0) return make_error(ErrorCode::kInvalidArgument, "threads must be >= 0 (0 = all cores), got " + std::to_string(threads));
  const bool known = name == "fast" || name == "auto" || name == "reference";
  if (known) {
    if (Status s = check_precision(name, precision); !s) return s.error();
  }
  if (name == "fast" || name == "auto") return make_fast_backend(threads, precision);
  if (name == "reference") return make_reference_backend();
  if (name == "cuda")
    return make_error(ErrorCode::kUnsupported,
                      "backend 'cuda' is not available in this build (no CUDA backend compiled); use 'fast' or 'auto'");
  return make_error(ErrorCode::kInvalidArgument, "unknown backend '" + name + "'; choose fast, reference, cuda or auto");
}

}  // namespace cxr::kernels
