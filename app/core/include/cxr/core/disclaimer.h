// The decision-support statement every output of CXR Assist carries (CLI, SR, reports, studio).
#pragma once

namespace cxr::core {

// English text, one sentence; stable (tests and SR readers may match it).
inline constexpr const char* kDisclaimer =
    "Decision support only: these suggestions are not a diagnosis and must be reviewed by a qualified physician.";

}  // namespace cxr::core
