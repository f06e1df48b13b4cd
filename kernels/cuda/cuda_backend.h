// kernels/cuda/cuda_backend.h — the CUDA backend's factory, for create_backend() (kernels/cpu/backend.cpp).
// Plain C++: no CUDA type crosses this header.
#pragma once

#include "cxr/kernels/backend.h"

#include <memory>
#include <string>

namespace cxr::kernels {

// A CUDA device this process can use (driver loaded, at least one device). Otherwise false, and
// *why says what is missing ("no CUDA-capable device (cudaErrorNoDevice)", "driver too old ...").
bool cuda_device_available(std::string* why);
// bf16 tensor-core matmuls need compute capability 8.0 (Ampere) or newer.
bool cuda_supports_bf16(std::string* why);
// The backend on the current device (device 0 unless CUDA_VISIBLE_DEVICES says otherwise).
// Precondition: cuda_device_available().
std::shared_ptr<const Backend> make_cuda_backend(Precision precision);

}  // namespace cxr::kernels
