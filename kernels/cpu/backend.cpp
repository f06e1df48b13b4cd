// Backend registry: names -> factories. The CUDA backend (kernels/cuda/) is compiled whenever nvcc is
// found and chosen with "cuda" when a device is present. "auto" still means "fast": the CUDA backend
// has not yet been run on a GPU (no device was available to its authors), so it is not picked
// implicitly until its parity tests (label gpu) have passed on one; see docs/engine.md.
#include "cxr/kernels/backend.h"

#include "fast_backend.h"
#include "reference_backend.h"

#ifdef CXR_HAVE_CUDA
#include "../cuda/cuda_backend.h"
#endif

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

std::vector<std::string> available_backends() {
#ifdef CXR_HAVE_CUDA
  if (cuda_device_available(nullptr)) return {"fast", "reference", "cuda"};
#endif
  return {"fast", "reference"};
}

namespace {

// Can "cuda" run here, and with this precision? The reason when not.
Status check_cuda(Precision precision) {
#ifdef CXR_HAVE_CUDA
  std::string why;
  if (!cuda_device_available(&why))
    return make_error(ErrorCode::kUnsupported, "backend 'cuda': " + why + "; use --backend fast (the CPU)");
  if (precision == Precision::kBf16 && !cuda_supports_bf16(&why))
    return make_error(ErrorCode::kUnsupported, "precision bf16 on backend 'cuda': " + why + "; use fp32");
  return Status::Ok();
#else
  (void)precision;
  return make_error(ErrorCode::kUnsupported,
                    "backend 'cuda' is not available in this build (no CUDA backend compiled); use 'fast' or 'auto'");
#endif
}

}  // namespace

Status check_precision(const std::string& name, Precision precision) {
  if (precision == Precision::kFp32) return Status::Ok();
  if (name == "fast" || name == "auto") {
    std::string why;
    if (!fast_backend_supports_bf16(&why)) return make_error(ErrorCode::kUnsupported, "precision bf16: " + why + "; use fp32");
    return Status::Ok();
  }
  if (name == "reference")
    return make_error(ErrorCode::kUnsupported, "the reference backend computes in fp32 only; use --backend fast for bf16");
  if (name == "cuda") return check_cuda(precision);
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
  if (name == "cuda") {
    if (Status s = check_cuda(precision); !s) return s.error();
#ifdef CXR_HAVE_CUDA
    try {
      return make_cuda_backend(precision);
    } catch (const Exception& e) {
      return e.error();
    }
#endif
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown backend '" + name + "'; choose fast, reference, cuda or auto");
}

}  // namespace cxr::kernels
