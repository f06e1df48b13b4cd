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

std::vector<std::string> available_backends() { return {"fast", "reference"}; }

Result<std::shared_ptr<const Backend>> create_backend(const std::string& name, int threads) {
  if (threads < 0) return make_error(ErrorCode::kInvalidArgument, "threads must be >= 0 (0 = all cores), got " + std::to_string(threads));
  if (name == "fast" || name == "auto") return make_fast_backend(threads);
  if (name == "reference") return make_reference_backend();
  if (name == "cuda")
    return make_error(ErrorCode::kUnsupported,
                      "backend 'cuda' is not available in this build (no CUDA backend compiled); use 'fast' or 'auto'");
  return make_error(ErrorCode::kInvalidArgument, "unknown backend '" + name + "'; choose fast, reference, cuda or auto");
}

}  // namespace cxr::kernels
