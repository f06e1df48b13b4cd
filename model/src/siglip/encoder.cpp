#include "siglip/encoder.h"

#include <cmath>

namespace cxr::model::siglip {
namespace {

using kernels::Activation;
using kernels::Backend;
using kernels::Buffer;

// Activations of one encoder stack over R = sequences * tokens rows.
struct Workspace {
  Workspace(const Backend& backend, int rows, int dim, int intermediate)
      : x(backend.alloc(static_cast<std::size_t>(rows) * dim)),
        normed(backend.alloc(static_cast<std::size_t>(rows) * dim)),
        qkv(backend.alloc(static_cast<std::size_t>(rows) * 3 * dim)),
        attn(backend.alloc(static_cast<std::size_t>(rows) * dim)),
        hidden(backend.alloc(static_cast<std::size_t>(rows) * intermediate)) {}
  Buffer x;       // (R, D) residual stream
  Buffer normed;  // (R, D) layer-norm output
  Buffer qkv;     // (R, 3D)
  Buffer attn;    // (R, D) attention output before out_proj
  Buffer hidden;  // (R, I) MLP hidden
};

kernels::AttentionArgs self_attention_args(Workspace& ws, int sequences, int tokens, int dim, int heads) {
  kernels::AttentionArgs args;
  args.q = ws.qkv.data();
  args.k = ws.qkv.data() + dim;
  args.v = ws.qkv.data() + 2 * dim;
  args.out = ws.attn.data();
  args.batch = sequences;
  args.heads = heads;
  args.q_len = args.kv_len = tokens;
  args.head_dim = dim / heads;
  args.q_row_stride = args.kv_row_stride = 3 * dim;
  args.q_batch_stride = args.kv_batch_stride = static_cast<int64_t>(tokens) * 3 * dim;
  args.scale = 1.0f / std::sqrt(static_cast<float>(dim / heads));
  return args;
}

// x: (sequences * tokens, D), updated in place through layers [0, count).
void run_layers(const Backend& backend, const std::vector<EncoderLayerWeights>& layers, std::size_t count, Workspace& ws,
                int sequences, int tokens, int dim, int heads, float eps) {
  const int rows = sequences * tokens;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& layer = layers[i];
    backend.layer_norm(ws.x.data(), layer.norm1.gamma.data(), layer.norm1.beta.data(), ws.normed.data(), rows, dim, eps);
    backend.linear(*layer.qkv, ws.normed.data(), ws.qkv.data(), rows, Activation::kNone);
    backend.attention(self_attention_args(ws, sequences, tokens, dim, heads));
    backend.linear(*layer.out_proj, ws.attn.data(), ws.x.data(), rows, Activation::kNone, ws.x.data());
    backend.layer_norm(ws.x.data(), layer.norm2.gamma.data(), layer.norm2.beta.data(), ws.normed.data(), rows, dim, eps);
    backend.linear(*layer.fc1, ws.normed.data(), ws.hidden.data(), rows, Activation::kGeluTanh);
    backend.linear(*layer.fc2, ws.hidden.data(), ws.x.data(), rows, Activation::kNone, ws.x.data());
  }
}

// The text tower's last layer, computed only for the last token of each sequence (the only row
// the pooled output reads): attention of that token over all tokens, then out_proj and MLP on one
// row per sequence. Same arithmetic as run_layers for those rows. Returns (sequences, D).
Buffer run_last_layer_last_token(const Backend& backend, const EncoderLayerWeights& layer, Workspace& ws, int sequences,
                                 int tokens, int dim, int heads, float eps) {
  const int rows = sequences * tokens;
  backend.layer_norm(ws.x.data(), layer.norm1.gamma.data(), layer.norm1.beta.data(), ws.normed.data(), rows, dim, eps);
  backend.linear(*layer.qkv, ws.normed.data(), ws.qkv.data(), rows, Activation::kNone);
  auto args = self_attention_args(ws, sequences, tokens, dim, heads);
  args.q = ws.qkv.data() + static_cast<int64_t>(tokens - 1) * 3 * dim;  // last token's query
  args.q_len = 1;
  backend.attention(args);  // ws.attn: (sequences, D)
  std::vector<int> last_rows(sequences);
  for (int s = 0; s < sequences; ++s) last_rows[s] = s * tokens + tokens - 1;
  Buffer x = backend.alloc(static_cast<std::size_t>(sequences) * dim);  // residual stream of the last tokens
  backend.gather_rows(ws.x.data(), last_rows.data(), x.data(), sequences, dim);
  backend.linear(*layer.out_proj, ws.attn.data(), x.data(), sequences, Activation::kNone, x.data());
  backend.layer_norm(x.data(), layer.norm2.gamma.data(), layer.norm2.beta.data(), ws.normed.data(), sequences, dim, eps);
  backend.linear(*layer.fc1, ws.normed.data(), ws.hidden.data(), sequences, Activation::kGeluTanh);
  backend.linear(*layer.fc2, ws.hidden.data(), x.data(), sequences, Activation::kNone, x.data());
  return x;
}

// MAP head tail shared by pooled and patch outputs: h (rows, D) becomes h + fc2(gelu(fc1(LN(h)))).
void head_mlp(const Backend& backend, const VisionWeights& w, Buffer& h, int rows, int dim, int intermediate, float eps) {
  Buffer normed = backend.alloc(static_cast<std::size_t>(rows) * dim);
  Buffer hidden = backend.alloc(static_cast<std::size_t>(rows) * intermediate);
  backend.layer_norm(h.data(), w.head_norm.gamma.data(), w.head_norm.beta.data(), normed.data(), rows, dim, eps);
  backend.linear(*w.head_fc1, normed.data(), hidden.data(), rows, Activation::kGeluTanh);
  backend.linear(*w.head_fc2, hidden.data(), h.data(), rows, Activation::kNone, h.data());
}

std::vector<float> download(const Backend& backend, const Buffer& buffer, std::size_t floats) {
  std::vector<float> host(floats);
  backend.download(buffer, host.data(), floats);
  return host;
}

}  // namespace

VisionOutput run_vision(const Backend& backend, const SiglipVisionConfig& c, const VisionWeights& w, const float* pixels,
                        int batch, int image_size, const Buffer& positions, bool with_patches) {
  const int dim = c.hidden_size, channels = c.num_channels, patch = c.patch_size;
  const int grid = image_size / patch, tokens = grid * grid, rows = batch * tokens;
  const float eps = c.layer_norm_eps;

  // Patch embedding: Conv2d(kernel = stride = p) as im2col + GEMM, then learned positions.
  const std::size_t pixel_count = static_cast<std::size_t>(batch) * channels * image_size * image_size;
  Workspace ws(backend, rows, dim, c.intermediate_size);
  {
    Buffer images = backend.upload_new(pixels, pixel_count);                              // (B, C, S, S)
    Buffer patches = backend.alloc(static_cast<std::size_t>(rows) * channels * patch * patch);  // (R, C*p*p)
    backend.patchify(images.data(), patches.data(), batch, channels, image_size, patch);
    backend.linear(*w.patch_embed, patches.data(), ws.x.data(), rows, Activation::kNone);
  }
  backend.add_rows(ws.x.data(), positions.data(), ws.x.data(), rows, tokens, dim);

  run_layers(backend, w.layers, w.layers.size(), ws, batch, tokens, dim, c.num_attention_heads, eps);
  backend.layer_norm(ws.x.data(), w.post_norm.gamma.data(), w.post_norm.beta.data(), ws.normed.data(), rows, dim, eps);
  // ws.normed: (B, N, D) last_hidden_state

  // MAP head: one probe query attends over the N tokens of each image (nn.MultiheadAttention).
  const int heads = c.num_attention_heads, head_dim = dim / heads;
  backend.linear(*w.head_kv, ws.normed.data(), ws.qkv.data(), rows, Activation::kNone);  // (R, 2D): k | v
  kernels::AttentionArgs args;
  args.q = w.probe_query.data();
  args.k = ws.qkv.data();
  args.v = ws.qkv.data() + dim;
  args.out = ws.attn.data();  // (B, 1, D)
  args.batch = batch;
  args.heads = heads;
  args.q_len = 1;
  args.kv_len = tokens;
  args.head_dim = head_dim;
  args.q_row_stride = dim;
  args.q_batch_stride = 0;
  args.kv_row_stride = 2 * dim;
  args.kv_batch_stride = static_cast<int64_t>(tokens) * 2 * dim;
  args.scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  backend.attention(args);
  Buffer pooled = backend.alloc(static_cast<std::size_t>(batch) * dim);
  backend.linear(*w.head_out, ws.attn.data(), pooled.data(), batch, Activation::kNone);
  head_mlp(backend, w, pooled, batch, dim, c.intermediate_size, eps);

  VisionOutput out;
  out.grid = grid;
  out.pooled = download(backend, pooled, static_cast<std::size_t>(batch) * dim);
  if (with_patches) {
    // MaskCLIP: each patch token through out_proj(v_proj(.)) and the head's LN + MLP residual.
    backend.linear(*w.head_value_out, ws.normed.data(), ws.x.data(), rows, Activation::kNone);
    head_mlp(backend, w, ws.x, rows, dim, c.intermediate_size, eps);
    out.patch_embeds = download(backend, ws.x, static_cast<std::size_t>(rows) * dim);
  }
  return out;
}

std::vector<float> run_text(const Backend& backend, const SiglipTextConfig& c, const TextWeights& w,
                            const std::vector<int>& ids, int texts, int length) {
  const int dim = c.hidden_size, rows = texts * length;
  const float eps = c.layer_norm_eps;
  Workspace ws(backend, rows, dim, c.intermediate_size);
  backend.gather_rows(w.token_embedding.data(), ids.data(), ws.x.data(), rows, dim);
  backend.add_rows(ws.x.data(), w.positions.data(), ws.x.data(), rows, length, dim);  // positions 0..L-1
  // Pooled output = final_layer_norm(last_hidden_state)[:, -1, :] (the last position, even padding),
  // so the last layer only needs the last token's row.
  Buffer last;
  if (w.layers.empty()) {
    std::vector<int> last_rows(texts);
    for (int t = 0; t < texts; ++t) last_rows[t] = t * length + length - 1;
    last = backend.alloc(static_cast<std::size_t>(texts) * dim);
    backend.gather_rows(ws.x.data(), last_rows.data(), last.data(), texts, dim);
  } else {
    run_layers(backend, w.layers, w.layers.size() - 1, ws, texts, length, dim, c.num_attention_heads, eps);
    last = run_last_layer_last_token(backend, w.layers.back(), ws, texts, length, dim, c.num_attention_heads, eps);
  }
  backend.layer_norm(last.data(), w.final_norm.gamma.data(), w.final_norm.beta.data(), last.data(), texts, dim, eps);
  Buffer projected = backend.alloc(static_cast<std::size_t>(texts) * c.projection_size);
  backend.linear(*w.head, last.data(), projected.data(), texts, Activation::kNone);
  return download(backend, projected, static_cast<std::size_t>(texts) * c.projection_size);
}

}  // namespace cxr::model::siglip
