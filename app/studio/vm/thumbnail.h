// vm/thumbnail.h — series thumbnails for the browser (QtCore only; reentrant, call off the UI thread).
#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>

namespace cxr::studio {

struct Thumbnail {
  QByteArray gray;  // 8-bit gray, row-major, size.width() * size.height() bytes, as displayed
  QSize size;
  QString error;    // non-empty on failure (names the file)
};

// Loads the file's default presentation (file VOI window, MONOCHROME1 inverted) and box-filters it so
// the longer side is max_side pixels (aspect ratio kept; never upscaled).
Thumbnail make_thumbnail(const QString& path, int max_side = 96);

}  // namespace cxr::studio
