// SigLIP weights on a compute backend, in the layout the encoders run on (fused QKV, the attention
// head's probe query precomputed). Built once at load; immutable afterwards (thread-safe to read).
#pragma once

#include "cxr/kernels/backend.h"
#include "cxr/model/siglip_config.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxr::model::siglip {

// What a tensor is, so a random source can initialise it sensibly (the store ignores it).
enum class TensorKind { kMatrix, kBias, kNormScale, kNormShift, kEmbedding, kScalar };

// Returns the fp32 contents of the named tensor, which must have exactly `shape`.
// Throws cxr::Exception naming the tensor (missing, wrong shape).
using TensorSource = std::function<std::vector<float>(const std::string& name, const std::vector<int64_t>& shape, TensorKind kind)>;

struct LayerNormWeights {
  kernels::Buffer gamma, beta;  // (D)
};

struct EncoderLayerWeights {
  LayerNormWeights norm1, norm2;
  std::unique_ptr<kernels::PackedLinear> qkv;       // (3D, D): q_proj, k_proj, v_proj stacked
  std::unique_ptr<kernels::PackedLinear> out_proj;  // (D, D)
  std::unique_ptr<kernels::PackedLinear> fc1;       // (I, D)
  std::unique_ptr<kernels::PackedLinear> fc2;       // (D, I)
};

struct VisionWeights {
  std::unique_ptr<kernels::PackedLinear> patch_embed;  // (D, C*p*p): Conv2d weight flattened (c, ky, kx)
  std::vector<float> positions_host;                   // (N, D), kept for interpolation to other sizes
  kernels::Buffer positions;                           // (N, D)
  std::vector<EncoderLayerWeights> layers;
  LayerNormWeights post_norm;
  // Multihead attention pooling head (MAP).
  kernels::Buffer probe_query;                        // (1, D) = q_proj(probe), the same for every image
  std::unique_ptr<kernels::PackedLinear> head_kv;     // (2D, D): in_proj rows [D, 3D) = k, v
  std::unique_ptr<kernels::PackedLinear> head_out;    // (D, D): attention.out_proj
  std::unique_ptr<kernels::PackedLinear> head_value_out;  // (D, D): out_proj(v_proj(x)) fused, for patch embeddings
  LayerNormWeights head_norm;
  std::unique_ptr<kernels::PackedLinear> head_fc1, head_fc2;
};

struct TextWeights {
  kernels::Buffer token_embedding;  // (V, D)
  kernels::Buffer positions;        // (L, D)
  std::vector<EncoderLayerWeights> layers;
  LayerNormWeights final_norm;
  std::unique_ptr<kernels::PackedLinear> head;  // (P, D)
};

struct SiglipWeights {
  VisionWeights vision;
  TextWeights text;
  float logit_scale_log = 0.0f;  // as stored; exp() applied by users
  float logit_bias = 0.0f;
};

// Reads every tensor of a SigLIP checkpoint (transformers SiglipModel names) through source and
// places it on backend. Throws cxr::Exception naming the first bad tensor.
SiglipWeights load_weights(const SiglipConfig& config, const TensorSource& source, const kernels::Backend& backend);

// A TensorSource of deterministic random weights (uniform, std 0.02; norms 1/0; biases 0).
TensorSource random_source(uint64_t seed);

}  // namespace cxr::model::siglip
