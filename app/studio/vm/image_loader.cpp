#include "vm/image_loader.h"

#include <QCoreApplication>

namespace cxr::studio {

ViewerImageResult load_viewer_image(const QString& path) {
  const std::string p = path.toStdString();
  auto meta = cxr::dicom::read_metadata(p);
  if (!meta) return {nullptr, QString::fromStdString(meta.error().message)};
  auto pixels = cxr::dicom::load_modality_image(p, 0);
  if (!pixels) return {nullptr, QString::fromStdString(pixels.error().message)};
  if (pixels->width <= 0 || pixels->height <= 0)
    return {nullptr, QCoreApplication::translate("cxr::studio::ImageLoader", "%1: the image has no pixels.").arg(path)};
  auto image = std::make_shared<ViewerImage>();
  image->path = path;
  image->meta = std::move(*meta);
  image->pixels = std::move(*pixels);
  const bool hounsfield = image->meta.modality == "CT";
  image->stats = compute_value_stats(image->pixels.values, image->pixels.monochrome1, hounsfield);
  int n = 0;
  for (const auto& w : image->meta.windows) {
    ++n;
    const QString name = w.explanation.empty()
                             ? QCoreApplication::translate("cxr::studio::ImageLoader", "File window %1").arg(n)
                             : QString::fromStdString(w.explanation);
    image->file_windows.push_back({name, w.center, std::max(1.0, w.width)});
  }
  return {std::move(image), {}};
}

}  // namespace cxr::studio
