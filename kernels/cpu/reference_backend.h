// The reference CPU backend: plain loops, one thread, no intrinsics — written to be read and to be
// the yardstick the other backends are tested against (tests/unit/kernels).
#pragma once

#include "cxr/kernels/backend.h"

namespace cxr::kernels {

std::shared_ptr<const Backend> make_reference_backend();

}  // namespace cxr::kernels
