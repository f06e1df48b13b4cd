#include "siglip/weights.h"

#include "cxr/result.h"

#include <cmath>

namespace cxr::model::siglip {
namespace {

using kernels::Backend;
using Shape = std::vector<int64_t>;

class Loader {
 public:
  Loader(const TensorSource& source, const Backend& backend) : source_(source), backend_(backend) {}

  std::vector<float> host(const std::string& name, const Shape& shape, TensorKind kind) const {
    return source_(name, shape, kind);
  }
  kernels::Buffer buffer(const std::string& name, const Shape& shape, TensorKind kind) const {
    return backend_.upload_new(host(name, shape, kind));
  }
  LayerNormWeights norm(const std::string& prefix, int64_t dim) const {
    return {buffer(prefix + ".weight", {dim}, TensorKind::kNormScale), buffer(prefix + ".bias", {dim}, TensorKind::kNormShift)};
  }
  // nn.Linear: prefix.weight (out, in), prefix.bias (out)
  std::unique_ptr<kernels::PackedLinear> linear(const std::string& prefix, int64_t out, int64_t in) const {
    const auto w = host(prefix + ".weight", {out, in}, TensorKind::kMatrix);
    const auto b = host(prefix + ".bias", {out}, TensorKind::kBias);
    return backend_.pack_linear(w.data(), b.data(), static_cast<int>(out), static_cast<int>(in));
  }
  // q_proj, k_proj, v_proj stacked into one (3D, D) linear: one GEMM instead of three.
  std::unique_ptr<kernels::PackedLinear> fused_qkv(const std::string& prefix, int64_t dim) const {
    std::vector<float> w, b;
    for (const char* part : {"q_proj", "k_proj", "v_proj"}) {
      const auto pw = host(prefix + "." + part + ".weight", {dim, dim}, TensorKind::kMatrix);
      const auto pb = host(prefix + "." + part + ".bias", {dim}, TensorKind::kBias);
      w.insert(w.end(), pw.begin(), pw.end());
      b.insert(b.end(), pb.begin(), pb.end());
    }
    return backend_.pack_linear(w.data(), b.data(), static_cast<int>(3 * dim), static_cast<int>(dim));
  }
  const Backend& backend() const { return backend_; }

 private:
  const TensorSource& source_;
  const Backend& backend_;
};

std::vector<EncoderLayerWeights> load_layers(const Loader& loader, const std::string& prefix, int count, int64_t dim,
                                             int64_t intermediate) {
  std::vector<EncoderLayerWeights> layers(count);
  for (int i = 0; i < count; ++i) {
    const std::string p = prefix + ".encoder.layers." + std::to_string(i);
    layers[i].norm1 = loader.norm(p + ".layer_norm1", dim);
    layers[i].qkv = loader.fused_qkv(p + ".self_attn", dim);
    layers[i].out_proj = loader.linear(p + ".self_attn.out_proj", dim, dim);
    layers[i].norm2 = loader.norm(p + ".layer_norm2", dim);
    layers[i].fc1 = loader.linear(p + ".mlp.fc1", intermediate, dim);
    layers[i].fc2 = loader.linear(p + ".mlp.fc2", dim, intermediate);
  }
  return layers;
}

void load_vision_head(const Loader& loader, int64_t dim, int64_t intermediate, VisionWeights& v) {
  const std::string p = "vision_model.head";
  const auto probe = loader.host(p + ".probe", {1, 1, dim}, TensorKind::kEmbedding);
  const auto in_w = loader.host(p + ".attention.in_proj_weight", {3 * dim, dim}, TensorKind::kMatrix);  // q; k; v
  const auto in_b = loader.host(p + ".attention.in_proj_bias", {3 * dim}, TensorKind::kBias);
  const auto out_w = loader.host(p + ".attention.out_proj.weight", {dim, dim}, TensorKind::kMatrix);
  const auto out_b = loader.host(p + ".attention.out_proj.bias", {dim}, TensorKind::kBias);
  const auto& backend = loader.backend();

  // The probe is a constant, so its query projection is too: q = probe Wq^T + bq, (1, D).
  std::vector<float> query(dim);
  for (int64_t o = 0; o < dim; ++o) {
    double acc = in_b[o];
    for (int64_t i = 0; i < dim; ++i) acc += static_cast<double>(probe[i]) * in_w[o * dim + i];
    query[o] = static_cast<float>(acc);
  }
  v.probe_query = backend.upload_new(query);
  v.head_kv = backend.pack_linear(in_w.data() + dim * dim, in_b.data() + dim, static_cast<int>(2 * dim), static_cast<int>(dim));
  v.head_out = backend.pack_linear(out_w.data(), out_b.data(), static_cast<int>(dim), static_cast<int>(dim));

  // Patch embeddings (MaskCLIP): out_proj(v_proj(x)) = x (Wo Wv)^T + (Wo bv + bo), fused in double.
  const float* wv = in_w.data() + 2 * dim * dim;
  const float* bv = in_b.data() + 2 * dim;
  std::vector<float> wvo(dim * dim), bvo(dim);
  std::vector<double> row(dim);
  for (int64_t o = 0; o < dim; ++o) {
    std::fill(row.begin(), row.end(), 0.0);
    double bias = out_b[o];
    for (int64_t m = 0; m < dim; ++m) {
      const double wom = out_w[o * dim + m];
      bias += wom * bv[m];
      for (int64_t i = 0; i < dim; ++i) row[i] += wom * wv[m * dim + i];
    }
    for (int64_t i = 0; i < dim; ++i) wvo[o * dim + i] = static_cast<float>(row[i]);
    bvo[o] = static_cast<float>(bias);
  }
  v.head_value_out = backend.pack_linear(wvo.data(), bvo.data(), static_cast<int>(dim), static_cast<int>(dim));
  v.head_norm = loader.norm(p + ".layernorm", dim);
  v.head_fc1 = loader.linear(p + ".mlp.fc1", intermediate, dim);
  v.head_fc2 = loader.linear(p + ".mlp.fc2", dim, intermediate);
}

VisionWeights load_vision(const Loader& loader, const SiglipVisionConfig& c) {
  const int64_t dim = c.hidden_size, patch = c.patch_size, channels = c.num_channels;
  const int64_t grid = c.image_size / c.patch_size;
  VisionWeights v;
  const auto conv_w = loader.host("vision_model.embeddings.patch_embedding.weight", {dim, channels, patch, patch}, TensorKind::kMatrix);
  const auto conv_b = loader.host("vision_model.embeddings.patch_embedding.bias", {dim}, TensorKind::kBias);
  v.patch_embed = loader.backend().pack_linear(conv_w.data(), conv_b.data(), static_cast<int>(dim),
                                               static_cast<int>(channels * patch * patch));
  v.positions_host = loader.host("vision_model.embeddings.position_embedding.weight", {grid * grid, dim}, TensorKind::kEmbedding);
  v.positions = loader.backend().upload_new(v.positions_host);
  v.layers = load_layers(loader, "vision_model", c.num_hidden_layers, dim, c.intermediate_size);
  v.post_norm = loader.norm("vision_model.post_layernorm", dim);
  load_vision_head(loader, dim, c.intermediate_size, v);
  return v;
}

TextWeights load_text(const Loader& loader, const SiglipTextConfig& c) {
  const int64_t dim = c.hidden_size;
  TextWeights t;
  t.token_embedding = loader.buffer("text_model.embeddings.token_embedding.weight", {c.vocab_size, dim}, TensorKind::kEmbedding);
  t.positions = loader.buffer("text_model.embeddings.position_embedding.weight", {c.max_position_embeddings, dim}, TensorKind::kEmbedding);
  t.layers = load_layers(loader, "text_model", c.num_hidden_layers, dim, c.intermediate_size);
  t.final_norm = loader.norm("text_model.final_layer_norm", dim);
  t.head = loader.linear("text_model.head", c.projection_size, dim);
  return t;
}

void check_config(const SiglipConfig& config) {
  const auto& v = config.vision;
  const auto& t = config.text;
  auto fail = [](const std::string& what) {
    throw Exception(ErrorCode::kUnsupported, "config.json: " + what);
  };
  if (v.hidden_act != "gelu_pytorch_tanh" || t.hidden_act != "gelu_pytorch_tanh")
    fail("hidden_act '" + v.hidden_act + "'/'" + t.hidden_act + "' is not supported (only gelu_pytorch_tanh)");
  if (!v.vision_use_head) fail("vision_use_head=false is not supported (image embeddings need the attention-pool head)");
  if (v.hidden_size <= 0 || v.num_attention_heads <= 0 || v.hidden_size % v.num_attention_heads != 0)
    fail("vision hidden_size " + std::to_string(v.hidden_size) + " is not divisible by num_attention_heads " +
         std::to_string(v.num_attention_heads));
  if (t.hidden_size <= 0 || t.num_attention_heads <= 0 || t.hidden_size % t.num_attention_heads != 0)
    fail("text hidden_size " + std::to_string(t.hidden_size) + " is not divisible by num_attention_heads " +
         std::to_string(t.num_attention_heads));
  if (v.patch_size <= 0 || v.image_size < v.patch_size || v.image_size % v.patch_size != 0)
    fail("vision image_size " + std::to_string(v.image_size) + " is not a multiple of patch_size " + std::to_string(v.patch_size));
  if (v.num_channels <= 0 || v.intermediate_size <= 0 || t.intermediate_size <= 0 || v.num_hidden_layers < 0 ||
      t.num_hidden_layers < 0 || t.vocab_size <= 0 || t.max_position_embeddings <= 0 || t.projection_size <= 0)
    fail("non-positive sizes");
}

}  // namespace

SiglipWeights load_weights(const SiglipConfig& config, const TensorSource& source, const kernels::Backend& backend) {
  check_config(config);
  const Loader loader(source, backend);
  SiglipWeights w;
  w.vision = load_vision(loader, config.vision);
  w.text = load_text(loader, config.text);
  w.logit_scale_log = loader.host("logit_scale", {1}, TensorKind::kScalar)[0];
  w.logit_bias = loader.host("logit_bias", {1}, TensorKind::kScalar)[0];
  return w;
}

TensorSource random_source(uint64_t seed) {
  return [seed](const std::string& name, const std::vector<int64_t>& shape, TensorKind kind) {
    int64_t count = 1;
    for (int64_t d : shape) count *= d;
    std::vector<float> values(count, 0.0f);
    switch (kind) {
      case TensorKind::kNormScale: std::fill(values.begin(), values.end(), 1.0f); break;
      case TensorKind::kNormShift:
      case TensorKind::kBias: break;
      case TensorKind::kScalar: values[0] = name == "logit_scale" ? std::log(10.0f) : -10.0f; break;
      case TensorKind::kMatrix:
      case TensorKind::kEmbedding: {
        // xorshift64* per tensor (seeded by name), uniform in [-a, a] with std a / sqrt(3) = 0.02.
        uint64_t state = seed ^ std::hash<std::string>{}(name) ^ 0x9E3779B97F4A7C15ull;
        if (state == 0) state = 1;
        const float a = 0.02f * std::sqrt(3.0f);
        for (auto& v : values) {
          state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
          const uint64_t r = state * 0x2545F4914F6CDD1Dull;
          v = a * (static_cast<float>(r >> 40) * (2.0f / 16777216.0f) - 1.0f);
        }
        break;
      }
    }
    return values;
  };
}

}  // namespace cxr::model::siglip
