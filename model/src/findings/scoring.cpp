// Zero-shot prompt-ensemble scoring and patch heatmaps (see cxr/model/findings.h for the method).
#include "cxr/model/findings.h"
#include "cxr/model/siglip.h"

#include <algorithm>
#include <cmath>

namespace cxr::model {

double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

double logit(double p) {
  p = std::clamp(p, 1e-9, 1.0 - 1e-9);
  return std::log(p / (1.0 - p));
}

double dot(const float* a, const float* b, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

void normalize(std::vector<float>& v) {
  const double n = std::sqrt(dot(v.data(), v.data(), static_cast<int>(v.size())));
  if (n <= 0) return;
  for (auto& x : v) x = static_cast<float>(x / n);
}

namespace {

// Mean of the normalised rows [begin, end) of embeds (K, D), renormalised.
std::vector<float> ensemble(const std::vector<std::vector<float>>& unit_rows, std::size_t begin, std::size_t end) {
  std::vector<float> mean(unit_rows[begin].size(), 0.0f);
  for (std::size_t k = begin; k < end; ++k) {
    for (std::size_t j = 0; j < mean.size(); ++j) mean[j] += unit_rows[k][j];
  }
  normalize(mean);
  return mean;
}

std::vector<std::string> all_phrasings(const PromptSet& prompts) {
  std::vector<std::string> texts;
  for (const auto& f : prompts.findings) {
    texts.insert(texts.end(), f.positive.begin(), f.positive.end());
    texts.insert(texts.end(), f.negative.begin(), f.negative.end());
  }
  return texts;
}

}  // namespace

Result<PromptDirections> directions_from_embeddings(const PromptSet& prompts, const std::vector<float>& embeds,
                                                    int dim, float logit_scale) {
  std::size_t expected = 0;
  for (const auto& f : prompts.findings) expected += f.positive.size() + f.negative.size();
  if (dim <= 0 || embeds.size() != expected * static_cast<std::size_t>(dim)) {
    return make_error(ErrorCode::kInternal, "prompt embeddings: got " + std::to_string(embeds.size()) +
                                                " floats, expected " + std::to_string(expected) + " x " +
                                                std::to_string(dim));
  }
  PromptDirections d;
  d.dim = dim;
  d.logit_scale = logit_scale;
  for (std::size_t k = 0; k < expected; ++k) {
    std::vector<float> row(embeds.begin() + k * dim, embeds.begin() + (k + 1) * dim);
    normalize(row);
    d.phrasing_embeds.push_back(std::move(row));
  }
  std::size_t k = 0;
  for (std::size_t fi = 0; fi < prompts.findings.size(); ++fi) {
    const auto& f = prompts.findings[fi];
    d.ids.push_back(f.id);
    d.positive.push_back(ensemble(d.phrasing_embeds, k, k + f.positive.size()));
    for (std::size_t j = 0; j < f.positive.size(); ++j) {
      d.phrasing_finding.push_back(static_cast<int>(fi));
      d.phrasing_positive.push_back(1);
    }
    k += f.positive.size();
    d.negative.push_back(ensemble(d.phrasing_embeds, k, k + f.negative.size()));
    for (std::size_t j = 0; j < f.negative.size(); ++j) {
      d.phrasing_finding.push_back(static_cast<int>(fi));
      d.phrasing_positive.push_back(0);
    }
    k += f.negative.size();
  }
  return d;
}

Result<PromptDirections> encode_prompt_set(const SiglipModel& model, const PromptSet& prompts) {
  const std::vector<std::string> texts = all_phrasings(prompts);
  if (model.tokenizer() != nullptr) {
    for (const auto& t : texts) {
      if (model.tokenizer()->encode(t).truncated()) {
        return make_error(ErrorCode::kInvalidArgument, prompts.source + ": phrasing \"" + t +
                                                           "\" is longer than the model's text length (" +
                                                           std::to_string(model.tokenizer()->max_length()) +
                                                           " tokens); shorten it");
      }
    }
  }
  auto embeds = model.encode_texts(texts);
  if (!embeds) return embeds.error();
  return directions_from_embeddings(prompts, embeds->data, embeds->cols, model.logit_scale());
}

double prompt_logit(const PromptDirections& d, int finding, const float* unit_x) {
  const auto& p = d.positive[finding];
  const auto& n = d.negative[finding];
  return d.logit_scale * (dot(unit_x, p.data(), d.dim) - dot(unit_x, n.data(), d.dim));
}

std::vector<float> prompt_weight(const PromptDirections& d, int finding) {
  std::vector<float> w(d.dim);
  for (int j = 0; j < d.dim; ++j) w[j] = d.logit_scale * (d.positive[finding][j] - d.negative[finding][j]);
  return w;
}

std::vector<float> patch_heatmap(const PromptDirections& d, int finding, const float* patches, int num_patches,
                                 int dim) {
  std::vector<float> z(num_patches, 0.0f);
  if (num_patches <= 0 || dim != d.dim) return z;
  std::vector<float> dir(dim);
  for (int j = 0; j < dim; ++j) dir[j] = d.positive[finding][j] - d.negative[finding][j];
  for (int k = 0; k < num_patches; ++k) {
    const float* p = patches + static_cast<std::size_t>(k) * dim;
    const double norm = std::sqrt(dot(p, p, dim));
    z[k] = norm > 0 ? static_cast<float>(dot(p, dir.data(), dim) / norm) : 0.0f;
  }
  std::vector<float> sorted = z;
  std::nth_element(sorted.begin(), sorted.begin() + num_patches / 2, sorted.end());
  const float median = sorted[num_patches / 2];
  const float max = *std::max_element(z.begin(), z.end());
  const float range = max - median;
  for (auto& v : z) v = range > 1e-12f ? std::clamp((v - median) / range, 0.0f, 1.0f) : 0.0f;
  return z;
}

}  // namespace cxr::model
