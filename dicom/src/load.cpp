// Public entry points: read_metadata, load_image, load_modality_image, apply_window.
#include "cxr/dicom/image.h"
#include "cxr/dicom/inputs.h"
#include "cxr/dicom/metadata.h"
#include "dcmtk_support.h"
#include "internal.h"
#include "pixel_decode.h"
#include "pixel_pipeline.h"

#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>

namespace cxr::dicom {
namespace {

bool is_plain_image(const std::string& path) {
  const FileKind kind = sniff_file(path);
  return kind == FileKind::kPng || kind == FileKind::kJpeg;
}

Metadata plain_image_metadata(const Image8& image) {
  Metadata meta;
  meta.is_dicom = false;
  meta.rows = image.height;
  meta.columns = image.width;
  meta.photometric = "MONOCHROME2";
  meta.bits_allocated = meta.bits_stored = 8;
  return meta;
}

Image8 read_plain_or_throw(const std::string& path) {
  auto image = read_png_or_jpeg(path);
  if (!image) throw Exception(image.error().code, image.error().message);
  return std::move(*image);
}

ModalityImage plain_to_modality(const Image8& image) {
  ModalityImage out;
  out.width = image.width;
  out.height = image.height;
  out.values.assign(image.pixels.begin(), image.pixels.end());
  out.min = 0;
  out.max = 255;
  if (!image.pixels.empty()) {
    const auto [lo, hi] = std::minmax_element(image.pixels.begin(), image.pixels.end());
    out.min = *lo;
    out.max = *hi;
  }
  return out;
}

// Loaded DICOM frame: metadata, modality values and the presentation state of that frame.
struct DicomFrame {
  Metadata meta;
  ModalityImage modality;
  internal::Presentation presentation;
};

DicomFrame load_dicom_frame(const std::string& path, int frame, int threads) {
  auto file = internal::load_dicom_file(path, /*header_only=*/false);
  DicomFrame out;
  out.meta = internal::extract_metadata(*file, path);
  const internal::RawFrame raw = internal::decode_frame(*file, path, frame, threads);
  out.modality = internal::to_modality_image(raw, *file->getDataset(), frame, path);
  out.presentation = internal::read_presentation(*file->getDataset(), frame);
  return out;
}

// Default VOI (no explicit window): the file's first window, else its first VOI LUT, else
// the full range of the values (8-bit colour: 0..255 unchanged; monochrome: min..max).
Image8 render_default(const DicomFrame& frame, bool colour) {
  const auto& p = frame.presentation;
  if (!colour && !p.windows.empty()) return internal::window_to_8bit(frame.modality, p.windows.front(), p.function);
  if (!colour && !p.voi_luts.empty()) return internal::voi_lut_to_8bit(frame.modality, p.voi_luts.front());
  double lo = frame.modality.min, hi = frame.modality.max;
  if (colour && hi <= 255 && lo >= 0) lo = 0, hi = 255;
  if (hi <= lo) hi = lo + 1;
  return internal::window_to_8bit(frame.modality, Window{(lo + hi) / 2, hi - lo, "min-max"},
                                  internal::VoiFunction::kLinearExact);
}

}  // namespace

Result<Metadata> read_metadata(const std::string& path) {
  return capture([&] { return internal::guard(path, [&] {
    if (is_plain_image(path)) return plain_image_metadata(read_plain_or_throw(path));
    auto file = internal::load_dicom_file(path, /*header_only=*/true);
    return internal::extract_metadata(*file, path);
  }); });
}

Result<LoadedImage> load_image(const std::string& path, const LoadOptions& options) {
  return capture([&] { return internal::guard(path, [&] {
    LoadedImage loaded;
    loaded.path = path;
    if (is_plain_image(path)) {
      if (options.frame != 0) internal::fail(path, ErrorCode::kInvalidArgument, "a PNG/JPEG has a single frame (0)");
      loaded.image = read_plain_or_throw(path);
      loaded.meta = plain_image_metadata(loaded.image);
      if (options.window) loaded.image = apply_window(plain_to_modality(loaded.image), *options.window);
      return loaded;
    }
    DicomFrame frame = load_dicom_frame(path, options.frame, options.decoder_threads);
    const bool colour = frame.meta.samples_per_pixel == 3 || frame.meta.photometric == "PALETTE COLOR";
    loaded.image = options.window ? apply_window(frame.modality, *options.window) : render_default(frame, colour);
    loaded.meta = std::move(frame.meta);
    return loaded;
  }); });
}

Result<ModalityImage> load_modality_image(const std::string& path, int frame) {
  return capture([&] { return internal::guard(path, [&] {
    if (is_plain_image(path)) {
      if (frame != 0) internal::fail(path, ErrorCode::kInvalidArgument, "a PNG/JPEG has a single frame (0)");
      return plain_to_modality(read_plain_or_throw(path));
    }
    return load_dicom_frame(path, frame, /*threads=*/0).modality;
  }); });
}

Image8 apply_window(const ModalityImage& image, const Window& window) {
  return internal::window_to_8bit(image, window, internal::VoiFunction::kLinear);
}

}  // namespace cxr::dicom
