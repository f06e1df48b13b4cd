// Bicubic resampling of a square grid of position embeddings, matching transformers'
// SiglipVisionEmbeddings.interpolate_pos_encoding: torch.nn.functional.interpolate(mode="bicubic",
// align_corners=False, antialias=False) — Keys cubic with A = -0.75, source x = (dst + 0.5) * in/out - 0.5
// (not clamped), neighbour indices clamped to the border.
#pragma once

#include <vector>

namespace cxr::model::siglip {

// positions: (in_grid * in_grid, dim) row-major -> (out_grid * out_grid, dim).
std::vector<float> interpolate_positions(const std::vector<float>& positions, int in_grid, int out_grid, int dim);

}  // namespace cxr::model::siglip
