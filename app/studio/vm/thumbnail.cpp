#include "vm/thumbnail.h"

#include "cxr/dicom/image.h"

#include <algorithm>
#include <cmath>

namespace cxr::studio {

Thumbnail make_thumbnail(const QString& path, int max_side) {
  auto loaded = cxr::dicom::load_image(path.toStdString());
  if (!loaded) return {{}, {}, QString::fromStdString(loaded.error().message)};
  const auto& img = loaded->image;
  if (img.width <= 0 || img.height <= 0) return {{}, {}, path + QStringLiteral(": empty image")};
  const double scale = std::min(1.0, static_cast<double>(max_side) / std::max(img.width, img.height));
  const int w = std::max(1, static_cast<int>(std::lround(img.width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(img.height * scale)));
  Thumbnail t;
  t.size = QSize(w, h);
  t.gray.resize(static_cast<qsizetype>(w) * h);
  // Box filter: each output pixel averages the source block it covers.
  for (int y = 0; y < h; ++y) {
    const int y0 = y * img.height / h, y1 = std::max(y0 + 1, (y + 1) * img.height / h);
    for (int x = 0; x < w; ++x) {
      const int x0 = x * img.width / w, x1 = std::max(x0 + 1, (x + 1) * img.width / w);
      uint64_t sum = 0;
      for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx) sum += img.pixels[static_cast<size_t>(yy) * img.width + xx];
      t.gray[static_cast<qsizetype>(y) * w + x] = static_cast<char>(sum / (static_cast<uint64_t>(y1 - y0) * (x1 - x0)));
    }
  }
  return t;
}

}  // namespace cxr::studio
