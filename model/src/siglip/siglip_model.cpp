// SiglipModel: loading (config, safetensors, tokenizer), input validation, batching, and the public
// Result-returning boundary over the forward passes in encoder.cpp.
#include "cxr/model/siglip.h"

#include "cxr/kernels/backend.h"
#include "cxr/model/safetensors.h"
#include "siglip/encoder.h"
#include "siglip/position_interpolation.h"
#include "siglip/sha256.h"
#include "siglip/weights.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

namespace cxr::model {
namespace fs = std::filesystem;

namespace {
// Inputs are encoded in chunks so activation memory stays bounded (vision: ~20 MB per image at base size).
constexpr int kImageChunk = 16;
constexpr int kTextChunk = 64;

std::shared_ptr<const kernels::Backend> make_backend(const EngineOptions& options) {
  auto precision = kernels::parse_precision(options.precision);
  if (!precision) throw Exception(precision.error().code, precision.error().message);
  auto backend = kernels::create_backend(options.backend, options.threads, *precision);
  if (!backend) throw Exception(backend.error().code, backend.error().message);
  return *backend;
}

}  // namespace

Status check_engine_precision(const EngineOptions& options) {
  auto precision = kernels::parse_precision(options.precision);
  if (!precision) return precision.error();
  return kernels::check_precision(options.backend, *precision);
}

namespace {

// The weight files whose bytes identify the model, in a fixed order.
std::vector<std::string> weight_files(const fs::path& dir) {
  if (fs::exists(dir / "model.safetensors")) return {(dir / "model.safetensors").string()};
  const fs::path index = dir / "model.safetensors.index.json";
  std::ifstream in(index);
  if (!in) throw Exception(ErrorCode::kNotFound, dir.string() + ": no model.safetensors or model.safetensors.index.json");
  nlohmann::json json;
  try {
    in >> json;
  } catch (const std::exception& e) {
    throw Exception(ErrorCode::kCorruptData, index.string() + ": invalid JSON (" + e.what() + ")");
  }
  std::set<std::string> shards;
  if (json.contains("weight_map") && json["weight_map"].is_object())
    for (const auto& [name, file] : json["weight_map"].items())
      if (file.is_string()) shards.insert(file.get<std::string>());
  std::vector<std::string> paths;
  for (const auto& shard : shards) paths.push_back((dir / shard).string());
  return paths;
}

siglip::TensorSource store_source(std::shared_ptr<const WeightStore> store) {
  return [store](const std::string& name, const std::vector<int64_t>& shape, siglip::TensorKind) {
    auto info = store->get(name, shape);
    if (!info) throw Exception(info.error().code, info.error().message);
    return info->to_f32();
  };
}

}  // namespace

struct SiglipModel::Impl {
  SiglipConfig config;
  std::shared_ptr<const kernels::Backend> backend;
  std::shared_ptr<const Tokenizer> tokenizer;  // null for random models
  siglip::SiglipWeights weights;
  std::vector<std::string> hash_files;  // empty for random models
  std::string fixed_hash;               // set for random models

  mutable std::once_flag hash_once;
  mutable std::string hash;

  // Interpolated position tables per input grid, built on first use.
  mutable std::mutex positions_mutex;
  mutable std::map<int, std::shared_ptr<const kernels::Buffer>> positions_by_grid;

  ImageEncoding encode_vision(const float* pixels, int batch, int image_size, bool with_patches) const;

  std::shared_ptr<const kernels::Buffer> positions_for(int grid) const {
    const int native = config.vision.image_size / config.vision.patch_size;
    std::lock_guard<std::mutex> lock(positions_mutex);
    auto& slot = positions_by_grid[grid];
    if (!slot) {
      const auto table = siglip::interpolate_positions(weights.vision.positions_host, native, grid, config.vision.hidden_size);
      slot = std::make_shared<const kernels::Buffer>(backend->upload_new(table));
    }
    return slot;
  }
};

SiglipModel::SiglipModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SiglipModel::~SiglipModel() = default;

Result<std::shared_ptr<SiglipModel>> SiglipModel::load(const std::string& model_dir, const EngineOptions& options) {
  return capture([&]() -> std::shared_ptr<SiglipModel> {
    const fs::path dir(model_dir);
    if (!fs::is_directory(dir))
      throw Exception(ErrorCode::kNotFound, model_dir + ": model directory not found (expected config.json, model.safetensors, spiece.model)");
    auto impl = std::make_unique<Impl>();
    auto config = load_siglip_config(model_dir);
    if (!config) throw Exception(config.error().code, config.error().message);
    impl->config = *config;
    impl->backend = make_backend(options);
    auto store = WeightStore::open(model_dir);
    if (!store) throw Exception(store.error().code, store.error().message);
    impl->weights = siglip::load_weights(impl->config, store_source(*store), *impl->backend);
    impl->hash_files = weight_files(dir);
    const fs::path spiece = dir / "spiece.model";
    if (fs::exists(spiece)) {
      const auto& t = impl->config.text;
      auto tokenizer = Tokenizer::open(spiece.string(), t.max_position_embeddings, t.pad_token_id, t.eos_token_id);
      if (!tokenizer) throw Exception(tokenizer.error().code, tokenizer.error().message);
      impl->tokenizer = *tokenizer;
    }
    return std::shared_ptr<SiglipModel>(new SiglipModel(std::move(impl)));
  });
}

Result<std::shared_ptr<SiglipModel>> SiglipModel::create_random(const SiglipConfig& config, uint64_t seed,
                                                                const EngineOptions& options) {
  return capture([&]() -> std::shared_ptr<SiglipModel> {
    auto impl = std::make_unique<Impl>();
    impl->config = config;
    impl->backend = make_backend(options);
    impl->weights = siglip::load_weights(config, siglip::random_source(seed), *impl->backend);
    impl->fixed_hash = "random-" + std::to_string(seed);
    return std::shared_ptr<SiglipModel>(new SiglipModel(std::move(impl)));
  });
}

SiglipConfig SiglipModel::random_base_config() {
  SiglipConfig config;  // the defaults are SigLIP-base: ViT-B/16 at 224, 12-layer text tower of width 768
  config.text.max_position_embeddings = 64;
  return config;
}

const SiglipConfig& SiglipModel::config() const { return impl_->config; }
const Tokenizer* SiglipModel::tokenizer() const { return impl_->tokenizer.get(); }
std::string SiglipModel::backend_name() const { return impl_->backend->name(); }
int SiglipModel::threads() const { return impl_->backend->threads(); }
std::string SiglipModel::precision() const { return kernels::precision_name(impl_->backend->precision()); }
float SiglipModel::logit_scale() const { return std::exp(impl_->weights.logit_scale_log); }
float SiglipModel::logit_bias() const { return impl_->weights.logit_bias; }

std::string SiglipModel::model_hash() const {
  if (!impl_->fixed_hash.empty()) return impl_->fixed_hash;
  std::call_once(impl_->hash_once, [&] {
    try {
      impl_->hash = siglip::sha256_files(impl_->hash_files);
    } catch (const Exception&) {
      impl_->hash = "unavailable";  // weights were readable at load; a later I/O failure must not crash callers
    }
  });
  return impl_->hash;
}

// Validates the pixels, then runs the vision tower chunk by chunk. Throws cxr::Exception.
ImageEncoding SiglipModel::Impl::encode_vision(const float* pixels, int batch, int image_size, bool with_patches) const {
  const auto& v = config.vision;
  if (batch < 1) throw Exception(ErrorCode::kInvalidArgument, "encode_images: batch must be >= 1, got " + std::to_string(batch));
  if (!pixels) throw Exception(ErrorCode::kInvalidArgument, "encode_images: no pixel data");
  if (image_size < v.patch_size || image_size % v.patch_size != 0)
    throw Exception(ErrorCode::kInvalidArgument, "encode_images: image size " + std::to_string(image_size) +
                                                     " is not a positive multiple of the patch size " +
                                                     std::to_string(v.patch_size));
  const std::size_t per_image = static_cast<std::size_t>(v.num_channels) * image_size * image_size;
  for (std::size_t i = 0; i < per_image * batch; ++i)
    if (!std::isfinite(pixels[i]))
      throw Exception(ErrorCode::kInvalidArgument, "encode_images: image " + std::to_string(i / per_image) +
                                                       " has a NaN or infinite pixel value; check the preprocessing");
  const int grid = image_size / v.patch_size;
  const auto positions = positions_for(grid);
  ImageEncoding out;
  out.grid = grid;
  out.pooled = {batch, v.hidden_size, {}};
  if (with_patches) out.patch_embeds = {batch * grid * grid, v.hidden_size, {}};
  for (int first = 0; first < batch; first += kImageChunk) {
    const int count = std::min(kImageChunk, batch - first);
    auto chunk = siglip::run_vision(*backend, v, weights.vision, pixels + per_image * first, count, image_size,
                                    *positions, with_patches);
    out.pooled.data.insert(out.pooled.data.end(), chunk.pooled.begin(), chunk.pooled.end());
    out.patch_embeds.data.insert(out.patch_embeds.data.end(), chunk.patch_embeds.begin(), chunk.patch_embeds.end());
  }
  return out;
}

Result<ImageEncoding> SiglipModel::encode_images_with_patches(const float* pixels, int batch, int image_size) const {
  return capture([&] { return impl_->encode_vision(pixels, batch, image_size, /*with_patches=*/true); });
}

Result<Embeddings> SiglipModel::encode_images(const float* pixels, int batch, int image_size) const {
  return capture([&] { return impl_->encode_vision(pixels, batch, image_size, /*with_patches=*/false).pooled; });
}

Result<Embeddings> SiglipModel::encode_texts(const std::vector<std::vector<int>>& ids) const {
  return capture([&]() -> Embeddings {
    const auto& t = impl_->config.text;
    if (ids.empty()) throw Exception(ErrorCode::kInvalidArgument, "encode_texts: no texts given");
    const int length = static_cast<int>(ids[0].size());
    if (length < 1 || length > t.max_position_embeddings)
      throw Exception(ErrorCode::kInvalidArgument, "encode_texts: token sequence length " + std::to_string(length) +
                                                       " must be in [1, " + std::to_string(t.max_position_embeddings) +
                                                       "]; tokenise with the model's tokenizer (pads to that length)");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (static_cast<int>(ids[i].size()) != length)
        throw Exception(ErrorCode::kInvalidArgument, "encode_texts: text " + std::to_string(i) + " has " +
                                                         std::to_string(ids[i].size()) + " tokens, text 0 has " +
                                                         std::to_string(length) + "; pad every text to the same length");
      for (int id : ids[i])
        if (id < 0 || id >= t.vocab_size)
          throw Exception(ErrorCode::kInvalidArgument, "encode_texts: text " + std::to_string(i) + " has token id " +
                                                           std::to_string(id) + " outside the vocabulary [0, " +
                                                           std::to_string(t.vocab_size) + ")");
    }
    const int texts = static_cast<int>(ids.size());
    Embeddings out{texts, t.projection_size, {}};
    out.data.reserve(static_cast<std::size_t>(texts) * t.projection_size);
    for (int first = 0; first < texts; first += kTextChunk) {
      const int count = std::min(kTextChunk, texts - first);
      std::vector<int> flat;
      flat.reserve(static_cast<std::size_t>(count) * length);
      for (int i = first; i < first + count; ++i) flat.insert(flat.end(), ids[i].begin(), ids[i].end());
      auto chunk = siglip::run_text(*impl_->backend, t, impl_->weights.text, flat, count, length);
      out.data.insert(out.data.end(), chunk.begin(), chunk.end());
    }
    return out;
  });
}

Result<Embeddings> SiglipModel::encode_texts(const std::vector<std::string>& texts) const {
  if (!impl_->tokenizer)
    return make_error(ErrorCode::kUnsupported, "this model has no tokenizer (spiece.model missing from the model directory); "
                                               "pass token ids instead");
  if (texts.empty()) return make_error(ErrorCode::kInvalidArgument, "encode_texts: no texts given");
  std::vector<std::vector<int>> ids;
  ids.reserve(texts.size());
  for (const auto& text : texts) ids.push_back(impl_->tokenizer->encode(text).ids);
  return encode_texts(ids);
}

void l2_normalize_rows(Embeddings& embeddings) {
  for (int r = 0; r < embeddings.rows; ++r) {
    float* row = embeddings.row(r);
    double squares = 0;
    for (int c = 0; c < embeddings.cols; ++c) squares += static_cast<double>(row[c]) * row[c];
    if (squares <= 0) continue;
    const float inv = static_cast<float>(1.0 / std::sqrt(squares));
    for (int c = 0; c < embeddings.cols; ++c) row[c] *= inv;
  }
}

Embeddings siglip_logits(const Embeddings& image_embeds, const Embeddings& text_embeds, float logit_scale, float logit_bias) {
  Embeddings images = image_embeds, texts = text_embeds;
  l2_normalize_rows(images);
  l2_normalize_rows(texts);
  Embeddings logits{images.rows, texts.rows, std::vector<float>(static_cast<std::size_t>(images.rows) * texts.rows)};
  const int dim = std::min(images.cols, texts.cols);
  for (int i = 0; i < images.rows; ++i)
    for (int j = 0; j < texts.rows; ++j) {
      double dot = 0;
      for (int c = 0; c < dim; ++c) dot += static_cast<double>(images.row(i)[c]) * texts.row(j)[c];
      logits.row(i)[j] = static_cast<float>(dot * logit_scale + logit_bias);
    }
  return logits;
}

}  // namespace cxr::model
