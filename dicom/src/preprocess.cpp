// Model-input preprocessing: resize (letterbox or stretch) and normalisation to a (C, S, S) tensor.
#include "cxr/dicom/preprocess.h"
#include "internal.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cxr::dicom {
namespace {

int interpolation_flag(const std::string& filter) {
  if (filter == "bilinear") return cv::INTER_LINEAR;
  if (filter == "bicubic") return cv::INTER_CUBIC;
  return cv::INTER_AREA;
}

PreprocessSpec parse_or_throw(const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text);  // throws on syntax errors
  if (!json.is_object()) throw Exception(ErrorCode::kCorruptData, "the spec must be a JSON object");
  PreprocessSpec spec;
  auto bad = [](const std::string& key, const std::string& why) {
    throw Exception(ErrorCode::kInvalidArgument, "key \"" + key + "\": " + why);
  };
  if (json.contains("image_size")) {
    if (!json["image_size"].is_number_integer()) bad("image_size", "must be an integer");
    spec.image_size = json["image_size"].get<int>();
    if (spec.image_size < 8 || spec.image_size > 4096) bad("image_size", "must be in 8..4096");
  }
  if (json.contains("resize")) {
    spec.resize = json["resize"].get<std::string>();
    if (spec.resize != "letterbox" && spec.resize != "stretch") bad("resize", "must be \"letterbox\" or \"stretch\"");
  }
  if (json.contains("filter")) {
    spec.filter = json["filter"].get<std::string>();
    if (spec.filter != "area" && spec.filter != "bilinear" && spec.filter != "bicubic")
      bad("filter", "must be \"area\", \"bilinear\" or \"bicubic\"");
  }
  if (json.contains("pad_value")) {
    spec.pad_value = json["pad_value"].get<int>();
    if (spec.pad_value < 0 || spec.pad_value > 255) bad("pad_value", "must be in 0..255");
  }
  if (json.contains("channels")) {
    spec.channels = json["channels"].get<int>();
    if (spec.channels != 1 && spec.channels != 3) bad("channels", "must be 1 or 3");
  }
  for (const char* key : {"mean", "std"}) {
    if (!json.contains(key)) continue;
    const auto& values = json[key];
    auto& target = std::string(key) == "mean" ? spec.mean : spec.std;
    if (values.is_number()) {
      target.fill(values.get<float>());
    } else if (values.is_array() && (values.size() == 3 || values.size() == 1)) {
      for (size_t c = 0; c < 3; ++c) target[c] = values[values.size() == 1 ? 0 : c].get<float>();
    } else {
      bad(key, "must be a number or an array of 1 or 3 numbers");
    }
  }
  for (float s : spec.std)
    if (!(s > 0)) bad("std", "every value must be > 0");
  return spec;
}

}  // namespace

Result<PreprocessSpec> parse_preprocess_spec(const std::string& json_text) {
  return capture([&] {
    try {
      return parse_or_throw(json_text);
    } catch (const nlohmann::json::exception& e) {
      throw Exception(ErrorCode::kCorruptData, std::string("invalid preprocess spec JSON: ") + e.what());
    }
  });
}

Result<PreprocessSpec> load_preprocess_spec(const std::string& json_path) {
  return capture([&] {
    const auto bytes = internal::read_file_bytes(json_path);
    auto spec = parse_preprocess_spec(std::string(bytes.begin(), bytes.end()));
    if (!spec) internal::fail(json_path, spec.error().code, spec.error().message);
    return *spec;
  });
}

Image8 resize_for_model(const Image8& image, const PreprocessSpec& spec) {
  const int size = spec.image_size;
  Image8 out;
  out.width = out.height = size;
  out.pixels.assign(static_cast<size_t>(size) * size, static_cast<uint8_t>(spec.pad_value));
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height)
    return out;
  const cv::Mat src(image.height, image.width, CV_8UC1, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat dst(size, size, CV_8UC1, out.pixels.data());  // writes straight into out.pixels
  const int flag = interpolation_flag(spec.filter);
  if (spec.resize == "stretch") {
    cv::resize(src, dst, dst.size(), 0, 0, flag);
    return out;
  }
  const int longest = std::max(image.width, image.height);
  const int new_w = std::max(1, static_cast<int>(std::lround(double(image.width) * size / longest)));
  const int new_h = std::max(1, static_cast<int>(std::lround(double(image.height) * size / longest)));
  cv::Mat roi = dst(cv::Rect((size - new_w) / 2, (size - new_h) / 2, new_w, new_h));
  cv::Mat scaled;
  cv::resize(src, scaled, roi.size(), 0, 0, flag);
  scaled.copyTo(roi);
  return out;
}

std::vector<float> to_model_tensor(const Image8& resized, const PreprocessSpec& spec) {
  const size_t plane = static_cast<size_t>(resized.width) * resized.height;
  std::vector<float> tensor(plane * spec.channels);
  for (int c = 0; c < spec.channels; ++c) {
    float lut[256];  // exactly (p / 255 - mean) / std in float32, as the Python tools compute it
    for (int p = 0; p < 256; ++p) lut[p] = (static_cast<float>(p) / 255.0f - spec.mean[c]) / spec.std[c];
    float* out = tensor.data() + plane * c;
    for (size_t i = 0; i < plane; ++i) out[i] = lut[resized.pixels[i]];
  }
  return tensor;
}

}  // namespace cxr::dicom
