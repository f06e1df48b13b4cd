#include "siglip/position_interpolation.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace cxr::model::siglip {
namespace {

// PyTorch's cubic convolution weights for the 4 neighbours at offsets -1, 0, 1, 2 of fraction t.
std::array<float, 4> cubic_weights(float t) {
  constexpr float A = -0.75f;
  auto near = [&](float x) { return ((A + 2) * x - (A + 3)) * x * x + 1; };     // |x| <= 1
  auto far = [&](float x) { return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; };  // 1 < |x| < 2
  return {far(t + 1), near(t), near(1 - t), far(2 - t)};
}

struct Taps {
  std::array<int, 4> index;
  std::array<float, 4> weight;
};

// Source taps of every output coordinate along one axis.
std::vector<Taps> axis_taps(int in_size, int out_size) {
  const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
  std::vector<Taps> taps(out_size);
  for (int o = 0; o < out_size; ++o) {
    const float real = scale * (o + 0.5f) - 0.5f;
    const float base = std::floor(real);
    const int i0 = static_cast<int>(base);
    taps[o].weight = cubic_weights(real - base);
    for (int k = 0; k < 4; ++k) taps[o].index[k] = std::clamp(i0 - 1 + k, 0, in_size - 1);
  }
  return taps;
}

}  // namespace

std::vector<float> interpolate_positions(const std::vector<float>& positions, int in_grid, int out_grid, int dim) {
  if (in_grid == out_grid) return positions;
  const auto taps = axis_taps(in_grid, out_grid);
  std::vector<float> out(static_cast<std::size_t>(out_grid) * out_grid * dim);
  std::vector<float> rows(4 * static_cast<std::size_t>(dim));
  for (int oy = 0; oy < out_grid; ++oy) {
    for (int ox = 0; ox < out_grid; ++ox) {
      // As PyTorch: interpolate along x in each of the 4 source rows, then along y.
      for (int ky = 0; ky < 4; ++ky) {
        const int sy = taps[oy].index[ky];
        for (int d = 0; d < dim; ++d) {
          float acc = 0.0f;
          for (int kx = 0; kx < 4; ++kx)
            acc += positions[(static_cast<std::size_t>(sy) * in_grid + taps[ox].index[kx]) * dim + d] * taps[ox].weight[kx];
          rows[static_cast<std::size_t>(ky) * dim + d] = acc;
        }
      }
      float* dst = out.data() + (static_cast<std::size_t>(oy) * out_grid + ox) * dim;
      for (int d = 0; d < dim; ++d) {
        float acc = 0.0f;
        for (int ky = 0; ky < 4; ++ky) acc += rows[static_cast<std::size_t>(ky) * dim + d] * taps[oy].weight[ky];
        dst[d] = acc;
      }
    }
  }
  return out;
}

}  // namespace cxr::model::siglip
