// SigLIP model configuration, parsed from a Hugging Face config.json (model_type "siglip").
// Missing keys take Hugging Face's SiglipVisionConfig / SiglipTextConfig defaults.
#pragma once

#include "cxr/result.h"

#include <string>

namespace cxr::model {

struct SiglipVisionConfig {
  int hidden_size = 768;
  int intermediate_size = 3072;
  int num_hidden_layers = 12;
  int num_attention_heads = 12;
  int num_channels = 3;
  int image_size = 224;
  int patch_size = 16;
  float layer_norm_eps = 1e-6f;
  std::string hidden_act = "gelu_pytorch_tanh";
  bool vision_use_head = true;
};

struct SiglipTextConfig {
  int vocab_size = 32000;
  int hidden_size = 768;
  int intermediate_size = 3072;
  int num_hidden_layers = 12;
  int num_attention_heads = 12;
  int max_position_embeddings = 64;
  float layer_norm_eps = 1e-6f;
  std::string hidden_act = "gelu_pytorch_tanh";
  int pad_token_id = 1;
  int eos_token_id = 1;
  int projection_size = 768;  // text head output; HF default = hidden_size
};

struct SiglipConfig {
  SiglipVisionConfig vision;
  SiglipTextConfig text;
  std::string model_type = "siglip";
};

// path: config.json or the directory holding it. Errors name the file and the key.
Result<SiglipConfig> load_siglip_config(const std::string& path);

}  // namespace cxr::model
