// Glue between image files and the SigLIP engine: a model directory's preprocessing spec and the
// (C, S, S) float tensor of one image (DICOM, PNG or JPEG) as the model expects it.
// Thread-safety: pure functions (the dicom loader is reentrant).
#pragma once

#include "cxr/dicom/preprocess.h"
#include "cxr/model/siglip.h"
#include "cxr/result.h"

#include <string>
#include <vector>

namespace cxr::core {

// <model_dir>/preprocess.json when present, else the default spec; image_size defaults to the
// model's vision image size. Errors: bad JSON, or a spec the model cannot take (channel count).
Result<dicom::PreprocessSpec> preprocess_spec_for_model(const std::string& model_dir, const model::SiglipConfig& config);

// Loads, windows, resizes and normalises one image: (C, S, S) floats, C = spec.channels.
// Errors name the file and the cause.
Result<std::vector<float>> image_to_model_tensor(const std::string& path, const dicom::PreprocessSpec& spec);

}  // namespace cxr::core
