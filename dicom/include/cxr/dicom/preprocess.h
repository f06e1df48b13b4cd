// cxr/dicom/preprocess.h — the model input, driven by a spec (resources/models/<model>/preprocess.json).
//
// JSON (all keys optional, defaults shown):
//   {"image_size": 224, "resize": "letterbox" | "stretch", "filter": "area" | "bilinear" | "bicubic",
//    "pad_value": 0, "channels": 3, "mean": [0.5,0.5,0.5], "std": [0.5,0.5,0.5]}
// letterbox: scale so the longer side is image_size (aspect kept; new side = round(side * S / max)),
// centre with the top/left margin floor((S - side) / 2), fill the rest with pad_value.
// stretch: scale each axis to image_size. Thread-safety: pure functions.
#pragma once

#include "cxr/dicom/image.h"
#include "cxr/result.h"

#include <array>
#include <string>
#include <vector>

namespace cxr::dicom {

struct PreprocessSpec {
  int image_size = 224;
  std::string resize = "letterbox";  // or "stretch"
  std::string filter = "area";       // area | bilinear | bicubic (OpenCV semantics)
  int pad_value = 0;                 // 0..255, gray level of letterbox padding
  int channels = 3;                  // 1 or 3 (gray replicated)
  std::array<float, 3> mean{0.5f, 0.5f, 0.5f}, std{0.5f, 0.5f, 0.5f};
};

// Parses and validates a spec file; errors name the file and the bad key.
Result<PreprocessSpec> load_preprocess_spec(const std::string& json_path);
Result<PreprocessSpec> parse_preprocess_spec(const std::string& json_text);

// Returns (S, S) gray uint8, S = spec.image_size. An empty input gives an all-pad_value image.
Image8 resize_for_model(const Image8& image, const PreprocessSpec& spec);

// resized: (S, S) gray. Returns (C, S, S) float32: (p / 255 - mean[c]) / std[c].
std::vector<float> to_model_tensor(const Image8& resized, const PreprocessSpec& spec);

}  // namespace cxr::dicom
