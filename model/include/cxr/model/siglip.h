// SigLIP image and text encoders (Hugging Face transformers' modeling_siglip, fp32), running on a
// compute backend from kernels/ chosen at load time ("fast" CPU, "reference" CPU, later "cuda").
//
// Contract:
//  - Outputs match transformers' SiglipModel.get_image_features / get_text_features (pooled, NOT
//    normalised) to a relative error <= 1e-4 in fp32 (tests/parity/).
//  - A SiglipModel is immutable after load; every const method is thread-safe, so encode_* may be
//    called concurrently from several threads (each call owns its activations; the backend's
//    thread pool serialises its parallel sections).
//  - No exception escapes: failures come back as cxr::Result with a message naming the cause.
#pragma once

#include "cxr/model/siglip_config.h"
#include "cxr/model/tokenizer.h"
#include "cxr/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cxr::model {

struct EngineOptions {
  std::string backend = "fast";  // "fast" | "reference" | "cuda" | "auto" (cuda when compiled and a GPU exists, else fast)
  int threads = 0;               // worker threads of the fast backend; 0 = all cores
  std::string precision = "fp32";  // "fp32" | "bf16" (fast backend, CPUs with AVX512-BF16/AMX; see kernels::Precision)
};

// Would SiglipModel::load accept these options' precision on this machine with this backend? Creates
// nothing; the error says why not ("precision bf16: this CPU has no native bf16 dot products ...").
// For UIs that offer the choice. Thread-safe.
Status check_engine_precision(const EngineOptions& options);

// A (rows, cols) row-major float matrix: one embedding per row.
struct Embeddings {
  int rows = 0, cols = 0;
  std::vector<float> data;  // rows * cols floats
  const float* row(int i) const { return data.data() + static_cast<std::size_t>(i) * cols; }
  float* row(int i) { return data.data() + static_cast<std::size_t>(i) * cols; }
};

struct ImageEncoding {
  Embeddings pooled;        // (B, D) image embeddings (attention-pool head output), not normalised
  // (B*N, D) per-patch embeddings in the joint image-text space, row b*N + y*grid + x, for heatmaps.
  // MaskCLIP-style: each final (post-layernorm) patch token goes through the pooling head's value
  // projection and output projection (attention with one key = identity weights), then the head's
  // layernorm + MLP residual — i.e. what the head would output if the probe attended only to that patch.
  Embeddings patch_embeds;
  int grid = 0;             // patches per side (N = grid * grid)
};

class SiglipModel {
 public:
  // model_dir: a Hugging Face save_pretrained directory (config.json, model.safetensors or
  // model.safetensors.index.json + shards; F32/F16/BF16 weights; spiece.model for text).
  // Errors name the file/tensor: missing file, wrong shape, unknown backend.
  static Result<std::shared_ptr<SiglipModel>> load(const std::string& model_dir, const EngineOptions& options = {});
  // A model with random weights (normal, std 0.02; fixed seed) and no tokenizer, for benchmarks and
  // tests that need no download. random_base_config() is SigLIP-base (ViT-B/16 at 224, base text).
  static Result<std::shared_ptr<SiglipModel>> create_random(const SiglipConfig& config, uint64_t seed,
                                                            const EngineOptions& options = {});
  static SiglipConfig random_base_config();

  const SiglipConfig& config() const;
  // The SentencePiece tokenizer of the model dir; nullptr for create_random models.
  const Tokenizer* tokenizer() const;
  // sha256 (hex) of model.safetensors, or of the index's shards concatenated in file-name order;
  // "random-<seed>" for random models. Computed on first call (reads the files once), then cached.
  std::string model_hash() const;
  std::string backend_name() const;  // the backend actually used ("fast", "reference", ...)
  int threads() const;               // compute threads the backend runs on
  std::string precision() const;     // "fp32" | "bf16": the linear layers' arithmetic

  // pixels: (B, 3, S, S) normalised floats, S = image_size. S == config().vision.image_size uses the
  // learned positions; another S (multiple of patch_size) uses positions bicubic-interpolated as
  // transformers' interpolate_pos_encoding=True does.
  Result<Embeddings> encode_images(const float* pixels, int batch, int image_size) const;  // (B, D)
  Result<ImageEncoding> encode_images_with_patches(const float* pixels, int batch, int image_size) const;
  // ids: each exactly config().text.max_position_embeddings long (Tokenizer output: tokens, EOS, padding).
  Result<Embeddings> encode_texts(const std::vector<std::vector<int>>& ids) const;  // (T, P)
  // Tokenises then encodes; truncation is not an error here (see Tokenizer::encode's num_dropped).
  // Error when the model has no tokenizer.
  Result<Embeddings> encode_texts(const std::vector<std::string>& texts) const;

  float logit_scale() const;  // exp(logit_scale) as transformers applies it
  float logit_bias() const;

  ~SiglipModel();
  struct Impl;

 private:
  explicit SiglipModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// L2-normalise each row in place (rows with zero norm are left as zeros).
void l2_normalize_rows(Embeddings& embeddings);

// logits (I, T): logit_scale * <image_i, text_j> / (|image_i| |text_j|) + logit_bias, i.e.
// transformers' logits_per_image. Inputs are not modified.
Embeddings siglip_logits(const Embeddings& image_embeds, const Embeddings& text_embeds, float logit_scale,
                         float logit_bias);

}  // namespace cxr::model
