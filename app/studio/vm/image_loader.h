// vm/image_loader.h — loads one image for the viewer off the UI thread (QtCore only).
#pragma once

#include "cxr/dicom/image.h"
#include "cxr/dicom/metadata.h"
#include "vm/window_level.h"

#include <QString>

#include <memory>
#include <vector>

namespace cxr::studio {

// Everything the viewer needs for one frame. Immutable once built: share it between threads freely.
struct ViewerImage {
  QString path;
  cxr::dicom::Metadata meta;                       // patient identifiers: UI only, never logged
  cxr::dicom::ModalityImage pixels;                // (height, width) modality values
  ImageValueStats stats;
  std::vector<WindowPreset> file_windows;          // the file's own VOI windows, named
};

struct ViewerImageResult {
  std::shared_ptr<const ViewerImage> image;  // null on error
  QString error;                             // user-facing: names the file and the cause
};

// Blocking; reentrant (call from a worker thread). Reads the header and the first frame.
ViewerImageResult load_viewer_image(const QString& path);

}  // namespace cxr::studio
