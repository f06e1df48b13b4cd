// cxr/dicom/image.h — presentation-ready images from DICOM, PNG or JPEG files.
//
// Pipeline for DICOM (PS3.3 C.7.6.3, C.11, PS3.4 N.2): decode the stored pixel values of one frame
// (any supported transfer syntax) -> mask to Bits Stored, sign-extend if Pixel Representation = 1 ->
// colour models reduced to gray (luma, ITU-R BT.601) -> Modality LUT (Rescale Slope/Intercept or
// Modality LUT Sequence) -> VOI (window centre/width with VOI LUT Function LINEAR, LINEAR_EXACT or
// SIGMOID, or a VOI LUT Sequence) -> Presentation LUT Shape / MONOCHROME1 inversion -> 8-bit gray.
//
// Thread-safety: every function here is reentrant and may be called from many threads at once
// (codec registration is done once, internally). No DCMTK/OpenCV/OpenJPEG type appears here.
#pragma once

#include "cxr/dicom/metadata.h"
#include "cxr/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cxr::dicom {

// 8-bit gray image, row-major, pixels.size() == width * height, 0 = black (as displayed).
struct Image8 {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

struct LoadOptions {
  int frame = 0;                 // 0-based frame index; out of range is an error naming the count
  std::optional<Window> window;  // explicit window; else the file's first VOI window / VOI LUT,
                                 // else the min/max of the modality values of that frame
  int decoder_threads = 0;       // JPEG 2000 decoding threads: 0 = all cores (interactive use),
                                 // 1 = single-threaded (batch callers that parallelise over files)
};

// What a radiologist sees: the windowed, MONOCHROME1-inverted 8-bit image plus the metadata.
struct LoadedImage {
  std::string path;
  Metadata meta;
  Image8 image;
};

// Reads a DICOM file (any transfer syntax, with or without File Meta) or a PNG/JPEG
// (presentation-ready: converted to 8-bit gray, meta.is_dicom = false). Errors name the file and cause.
Result<LoadedImage> load_image(const std::string& path, const LoadOptions& options = {});

// Modality-LUT'd values of one frame for viewers that re-window (Qt W/L drag):
// values: (height, width) float, in modality units (e.g. HU for CT; raw for most CR/DX).
// monochrome1: true when the image is displayed inverted (MONOCHROME1 or Presentation LUT INVERSE).
// For PNG/JPEG the values are the 8-bit grays (0..255).
struct ModalityImage {
  int width = 0, height = 0;
  std::vector<float> values;
  double min = 0, max = 0;
  bool monochrome1 = false;
};
Result<ModalityImage> load_modality_image(const std::string& path, int frame = 0);

// Linear window (DICOM "LINEAR", PS3.3 C.11.2.1.2.1) of modality values to 8-bit, inverted when
// image.monochrome1. width < 1 is treated as 1. Pure function, no errors.
Image8 apply_window(const ModalityImage& image, const Window& window);

// Writes an 8-bit gray PNG (atomic: temp file + rename). Errors name the path.
Status write_png(const std::string& path, const Image8& image);

// Decodes PNG or JPEG bytes (any colour type) to 8-bit gray. 16-bit PNGs are scaled to 8 bits.
Result<Image8> decode_png_or_jpeg(const std::vector<uint8_t>& bytes);

// Reads a PNG/JPEG file to 8-bit gray; errors name the file.
Result<Image8> read_png_or_jpeg(const std::string& path);

}  // namespace cxr::dicom
