// Hugging Face SiglipConfig / SiglipVisionConfig / SiglipTextConfig (transformers
// models/siglip/configuration_siglip.py). Accepts a full config (model_type "siglip", with text_config and
// vision_config objects) or a bare tower config (model_type "siglip_vision_model" / "siglip_text_model").
// A missing key keeps HF's default (the struct initialisers); a key of the wrong type is an error naming
// the file, the key and the type expected.
// Deviation: HF's SiglipTextConfig defaults eos_token_id to 49407 (a CLIP leftover no SigLIP checkpoint uses);
// we default it to 1, the id of "</s>" in every SigLIP spiece.model.
#include "cxr/model/siglip_config.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cxr::model {
namespace {

using json = nlohmann::json;

// Reads typed values from one JSON object; `prefix` is the key path used in errors ("vision_config.").
class Reader {
 public:
  Reader(const std::string& file, const json& obj, std::string prefix)
      : file_(file), obj_(obj), prefix_(std::move(prefix)) {}

  void get_int(const char* key, int* out, int min_value = 1) const {
    const json* v = find(key);
    if (v == nullptr) return;
    // HF allows image_size / patch_size as [h, w]: accept a square pair.
    if (v->is_array() && v->size() == 2 && (*v)[0].is_number_integer() && (*v)[0] == (*v)[1]) v = &(*v)[0];
    if (!v->is_number_integer()) type_error(key, "an integer", *v);
    const int64_t x = v->get<int64_t>();
    if (x < min_value || x > (int64_t{1} << 30))
      fail(key, "must be an integer >= " + std::to_string(min_value) + ", got " + v->dump());
    *out = static_cast<int>(x);
  }
  // Ids may be null in HF configs ("not set"): null keeps the default.
  void get_optional_int(const char* key, int* out) const {
    const json* v = find(key);
    if (v == nullptr || v->is_null()) return;
    get_int(key, out, 0);
  }
  void get_float(const char* key, float* out) const {
    const json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_number()) type_error(key, "a number", *v);
    *out = v->get<float>();
    if (!(*out > 0.0f)) fail(key, "must be > 0, got " + v->dump());
  }
  void get_string(const char* key, std::string* out) const {
    const json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_string()) type_error(key, "a string", *v);
    *out = v->get<std::string>();
  }
  void get_bool(const char* key, bool* out) const {
    const json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_boolean()) type_error(key, "true or false", *v);
    *out = v->get<bool>();
  }
  [[noreturn]] void fail(const char* key, const std::string& what) const {
    throw Exception(ErrorCode::kCorruptData, file_ + ": " + prefix_ + key + " " + what);
  }

 private:
  const json* find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  [[noreturn]] void type_error(const char* key, const char* expected, const json& got) const {
    fail(key, std::string("must be ") + expected + ", got " + got.dump());
  }
  const std::string& file_;
  const json& obj_;
  std::string prefix_;
};

// Prefix for messages that are not about one key ("vision_config." or "").
std::string r_prefix(const std::string& prefix) { return prefix.empty() ? "" : prefix + "."; }

void check_heads(const std::string& file, const std::string& prefix, int hidden, int heads) {
  if (hidden % heads != 0)
    throw Exception(ErrorCode::kCorruptData, file + ": " + prefix + "hidden_size " + std::to_string(hidden) +
                                                 " is not divisible by num_attention_heads " + std::to_string(heads));
}

SiglipVisionConfig parse_vision(const std::string& file, const json& obj, const std::string& prefix) {
  if (!obj.is_object()) throw Exception(ErrorCode::kCorruptData, file + ": " + prefix + " must be an object");
  SiglipVisionConfig c;
  Reader r(file, obj, prefix.empty() ? "" : prefix + ".");
  r.get_int("hidden_size", &c.hidden_size);
  r.get_int("intermediate_size", &c.intermediate_size);
  r.get_int("num_hidden_layers", &c.num_hidden_layers, 0);
  r.get_int("num_attention_heads", &c.num_attention_heads);
  r.get_int("num_channels", &c.num_channels);
  r.get_int("image_size", &c.image_size);
  r.get_int("patch_size", &c.patch_size);
  r.get_float("layer_norm_eps", &c.layer_norm_eps);
  r.get_string("hidden_act", &c.hidden_act);
  r.get_bool("vision_use_head", &c.vision_use_head);
  check_heads(file, r_prefix(prefix), c.hidden_size, c.num_attention_heads);
  if (c.patch_size > c.image_size)
    r.fail("patch_size", std::to_string(c.patch_size) + " exceeds image_size " + std::to_string(c.image_size));
  return c;
}

SiglipTextConfig parse_text(const std::string& file, const json& obj, const std::string& prefix) {
  if (!obj.is_object()) throw Exception(ErrorCode::kCorruptData, file + ": " + prefix + " must be an object");
  SiglipTextConfig c;
  Reader r(file, obj, prefix.empty() ? "" : prefix + ".");
  r.get_int("vocab_size", &c.vocab_size);
  r.get_int("hidden_size", &c.hidden_size);
  r.get_int("intermediate_size", &c.intermediate_size);
  r.get_int("num_hidden_layers", &c.num_hidden_layers, 0);
  r.get_int("num_attention_heads", &c.num_attention_heads);
  r.get_int("max_position_embeddings", &c.max_position_embeddings);
  r.get_float("layer_norm_eps", &c.layer_norm_eps);
  r.get_string("hidden_act", &c.hidden_act);
  r.get_optional_int("pad_token_id", &c.pad_token_id);
  r.get_optional_int("eos_token_id", &c.eos_token_id);
  c.projection_size = c.hidden_size;  // HF: projection_size None -> hidden_size
  r.get_optional_int("projection_size", &c.projection_size);
  if (c.projection_size < 1) r.fail("projection_size", "must be >= 1");
  check_heads(file, r_prefix(prefix), c.hidden_size, c.num_attention_heads);
  return c;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    throw Exception(std::filesystem::exists(path, ec) ? ErrorCode::kIo : ErrorCode::kNotFound,
                    path + ": cannot open; expected a Hugging Face config.json");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SiglipConfig parse_config(const std::string& file, const json& root) {
  if (!root.is_object()) throw Exception(ErrorCode::kCorruptData, file + ": must hold a JSON object");
  std::string model_type;
  Reader(file, root, "").get_string("model_type", &model_type);
  SiglipConfig config;
  if (model_type == "siglip_vision_model") {
    config.vision = parse_vision(file, root, "");
  } else if (model_type == "siglip_text_model") {
    config.text = parse_text(file, root, "");
  } else if (model_type == "siglip" || (model_type.empty() && (root.contains("vision_config") || root.contains("text_config")))) {
    if (root.contains("vision_config") && !root["vision_config"].is_null())
      config.vision = parse_vision(file, root["vision_config"], "vision_config");
    if (root.contains("text_config") && !root["text_config"].is_null())
      config.text = parse_text(file, root["text_config"], "text_config");
  } else {
    throw Exception(ErrorCode::kUnsupported,
                    file + ": model_type '" + model_type + "' is not supported; expected 'siglip' (or a bare "
                    "'siglip_vision_model' / 'siglip_text_model' config)");
  }
  config.model_type = model_type.empty() ? "siglip" : model_type;
  return config;
}

}  // namespace

Result<SiglipConfig> load_siglip_config(const std::string& path) {
  return capture([&]() -> SiglipConfig {
    std::error_code ec;
    const std::string file =
        std::filesystem::is_directory(path, ec) ? (std::filesystem::path(path) / "config.json").string() : path;
    const std::string text = read_text(file);
    json root;
    try {
      root = json::parse(text);
    } catch (const json::exception& e) {
      throw Exception(ErrorCode::kCorruptData, file + ": bad JSON (" + e.what() + ")");
    }
    return parse_config(file, root);
  });
}

}  // namespace cxr::model
