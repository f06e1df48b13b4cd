#include "cxr/core/engine_io.h"

#include "cxr/dicom/image.h"

#include <filesystem>

namespace cxr::core {

Result<dicom::PreprocessSpec> preprocess_spec_for_model(const std::string& model_dir, const model::SiglipConfig& config) {
  const auto path = std::filesystem::path(model_dir) / "preprocess.json";
  dicom::PreprocessSpec spec;
  if (std::filesystem::exists(path)) {
    auto loaded = dicom::load_preprocess_spec(path.string());
    if (!loaded) return loaded.error();
    spec = *loaded;
  } else {
    spec.image_size = config.vision.image_size;
  }
  if (spec.channels != config.vision.num_channels)
    return make_error(ErrorCode::kInvalidArgument, path.string() + ": \"channels\" is " + std::to_string(spec.channels) +
                                                       " but the model takes " + std::to_string(config.vision.num_channels) +
                                                       "; fix the spec");
  if (spec.image_size % config.vision.patch_size != 0)
    return make_error(ErrorCode::kInvalidArgument, path.string() + ": \"image_size\" " + std::to_string(spec.image_size) +
                                                       " is not a multiple of the model's patch size " +
                                                       std::to_string(config.vision.patch_size));
  return spec;
}

Result<std::vector<float>> image_to_model_tensor(const std::string& path, const dicom::PreprocessSpec& spec) {
  auto loaded = dicom::load_image(path);
  if (!loaded) return loaded.error();
  if (loaded->image.width <= 0 || loaded->image.height <= 0)
    return make_error(ErrorCode::kCorruptData, path + ": the image has no pixels");
  return dicom::to_model_tensor(dicom::resize_for_model(loaded->image, spec), spec);
}

}  // namespace cxr::core
