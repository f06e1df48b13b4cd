// dicom/src/pixel_pipeline.h — stored values -> modality values -> VOI -> 8-bit display (internal).
#pragma once

#include "cxr/dicom/image.h"
#include "pixel_decode.h"

#include <string>
#include <vector>

class DcmItem;

namespace cxr::dicom::internal {

// VOI LUT Function (0028,1056), PS3.3 C.11.2.1.2/3.
enum class VoiFunction { kLinear, kLinearExact, kSigmoid };

// A VOI LUT from (0028,3010) VOI LUT Sequence: y = data[clamp(x - first_mapped)], y in 0..2^bits-1.
struct VoiLut {
  int first_mapped = 0;
  int bits = 16;
  std::vector<uint16_t> data;
};

// How one frame is presented: the pipeline state read from the dataset (top level, or the
// Shared / Per-frame Functional Groups of enhanced multi-frame objects).
struct Presentation {
  std::vector<Window> windows;  // file windows
  VoiFunction function = VoiFunction::kLinear;
  std::vector<VoiLut> voi_luts;
};

// Colour models to one gray value per pixel (luma, BT.601), Modality LUT applied (PS3.3 C.11.1)
// for monochrome images. Palette colour uses the Palette Colour LUTs (C.7.6.3.1.5).
ModalityImage to_modality_image(const RawFrame& frame, DcmItem& dataset, int frame_index, const std::string& path);

Presentation read_presentation(DcmItem& dataset, int frame_index);

// Windowed to 8 bits with the given VOI function; inverts when image.monochrome1.
Image8 window_to_8bit(const ModalityImage& image, const Window& window, VoiFunction function);
Image8 voi_lut_to_8bit(const ModalityImage& image, const VoiLut& lut);

}  // namespace cxr::dicom::internal
