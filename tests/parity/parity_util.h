// Shared by the parity tests: how "matches Hugging Face" is measured.
#pragma once

#include "cxr/model/siglip.h"
#include "cxr/npy.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace cxr::test {

// Worst per-row relative L2 error, ||ours_r - expected_r|| / ||expected_r||, of ours (rows, cols)
// against expected (rows, cols, row-major). A NaN anywhere in ours gives +inf, so it can never pass.
inline double worst_row_error(const cxr::model::Embeddings& ours, const cxr::NpyArray& expected) {
  const auto ref = expected.as_f32();
  double worst = 0;
  for (int r = 0; r < ours.rows; ++r) {
    double diff = 0, norm = 0;
    for (int c = 0; c < ours.cols; ++c) {
      const double e = ref[static_cast<std::size_t>(r) * ours.cols + c], o = ours.row(r)[c];
      if (std::isnan(o)) return INFINITY;
      diff += (o - e) * (o - e);
      norm += e * e;
    }
    worst = std::max(worst, std::sqrt(diff / std::max(norm, 1e-30)));
  }
  return worst;
}

// Smallest per-row cosine similarity of a (rows, cols) against b (rows, cols); a NaN gives -inf.
inline double worst_row_cosine(const cxr::model::Embeddings& a, const cxr::model::Embeddings& b) {
  double worst = 1;
  for (int r = 0; r < a.rows; ++r) {
    double dot = 0, na = 0, nb = 0;
    for (int c = 0; c < a.cols; ++c) {
      const double x = a.row(r)[c], y = b.row(r)[c];
      if (std::isnan(x) || std::isnan(y)) return -INFINITY;
      dot += x * y, na += x * x, nb += y * y;
    }
    worst = std::min(worst, dot / std::max(std::sqrt(na * nb), 1e-30));
  }
  return worst;
}

}  // namespace cxr::test
