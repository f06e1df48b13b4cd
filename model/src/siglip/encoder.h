// The SigLIP forward passes on a backend (transformers modeling_siglip, fp32):
//   SiglipEncoderLayer (pre-norm): x += out_proj(attn(LN1(x)));  x += fc2(gelu_tanh(fc1(LN2(x))))
//   vision: patch conv -> + positions -> layers -> post_layernorm -> MAP head
//   text:   token + position embeddings -> layers -> final_layer_norm on the last token -> head
//           (the last layer runs its out_proj/MLP for the last token only: nothing else is read)
// Stateless functions over immutable weights: safe to call concurrently (each call allocates its
// own activations on the backend).
#pragma once

#include "siglip/weights.h"

#include <vector>

namespace cxr::model::siglip {

struct VisionOutput {
  std::vector<float> pooled;        // (B, D)
  std::vector<float> patch_embeds;  // (B*N, D) when requested, else empty
  int grid = 0;
};

// pixels: host (B, C, S, S); S a multiple of patch_size. positions: (g*g, D) host, for this S.
VisionOutput run_vision(const kernels::Backend& backend, const SiglipVisionConfig& config, const VisionWeights& weights,
                        const float* pixels, int batch, int image_size, const kernels::Buffer& positions,
                        bool with_patches);

// ids: host (T, L) row-major, every id in [0, vocab), L <= max_position_embeddings. Returns (T, P).
std::vector<float> run_text(const kernels::Backend& backend, const SiglipTextConfig& config, const TextWeights& weights,
                            const std::vector<int>& ids, int texts, int length);

}  // namespace cxr::model::siglip
