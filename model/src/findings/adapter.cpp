// Few-shot logistic adapter with the prompt direction as prior (cxr/model/findings_site.h).
#include "cxr/model/findings.h"
#include "cxr/model/findings_site.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cxr::model {
namespace {

constexpr double kBiasPrecision = 1e-2;  // weak ridge on the bias
constexpr int kIterations = 500;

double log_loss(double z, int y) {
  // log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0, computed stably.
  const double s = y == 1 ? -z : z;
  return s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s));
}

// Minimises sum_i logloss + lambda/2 |w - prior|^2 + kBiasPrecision/2 (b - prior_bias)^2 by Nesterov-accelerated
// gradient descent. rows: indices of the training rows in x (n, D).
LogisticAdapter fit_rows(const std::vector<float>& x, int dim, const std::vector<int>& y,
                         const std::vector<std::size_t>& rows, const std::vector<float>& prior, double prior_bias,
                         double lambda) {
  const std::size_t n = rows.size();
  std::vector<double> w(prior.begin(), prior.end()), w_prev = w, v = w, grad(dim);
  double b = prior_bias, b_prev = prior_bias, vb = prior_bias;
  double sq_norm_sum = 0;
  for (std::size_t r : rows) sq_norm_sum += dot(&x[r * dim], &x[r * dim], dim) + 1.0;
  const double lipschitz = 0.25 * sq_norm_sum + std::max(lambda, kBiasPrecision);
  const double step = 1.0 / lipschitz;
  for (int it = 0; it < kIterations; ++it) {
    for (int j = 0; j < dim; ++j) grad[j] = lambda * (v[j] - prior[j]);
    double grad_b = kBiasPrecision * (vb - prior_bias);
    for (std::size_t k = 0; k < n; ++k) {
      const float* xi = &x[rows[k] * dim];
      double z = vb;
      for (int j = 0; j < dim; ++j) z += v[j] * xi[j];
      const double r = sigmoid(z) - y[rows[k]];
      for (int j = 0; j < dim; ++j) grad[j] += r * xi[j];
      grad_b += r;
    }
    w_prev.swap(w);
    b_prev = b;
    for (int j = 0; j < dim; ++j) w[j] = v[j] - step * grad[j];
    b = vb - step * grad_b;
    const double momentum = static_cast<double>(it) / (it + 3);
    for (int j = 0; j < dim; ++j) v[j] = w[j] + momentum * (w[j] - w_prev[j]);
    vb = b + momentum * (b - b_prev);
  }
  LogisticAdapter a;
  a.weights.assign(w.begin(), w.end());
  a.bias = b;
  a.lambda = lambda;
  return a;
}

std::vector<std::size_t> all_rows(std::size_t n) {
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = i;
  return rows;
}

// The optimisation runs on standardised features z = (x - mu) / sd (mu, sd over the examples), where
// the prompt prior becomes v0 = w0 * sd, b0 = <w0, mu>: image embeddings of one model crowd into a
// narrow cone, so in raw coordinates the discriminative directions have tiny variance, the problem is
// badly conditioned and the prior swamps the examples. The result is mapped back to raw
// coordinates (w = v / sd, b = b_z - <w, mu>), so the stored adapter is a plain linear score.
struct Standardised {
  std::vector<float> z;
  std::vector<float> prior;
  std::vector<double> mu, sd;
  double prior_bias = 0;
};

Standardised standardise(const std::vector<float>& x, int dim, std::size_t n, const std::vector<float>& prior) {
  Standardised s;
  s.mu.assign(dim, 0.0);
  s.sd.assign(dim, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 0; j < dim; ++j) s.mu[j] += x[i * dim + j];
  }
  for (int j = 0; j < dim; ++j) s.mu[j] /= static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 0; j < dim; ++j) {
      const double d = x[i * dim + j] - s.mu[j];
      s.sd[j] += d * d;
    }
  }
  double mean_sd = 0;
  for (int j = 0; j < dim; ++j) mean_sd += s.sd[j] = std::sqrt(s.sd[j] / static_cast<double>(n));
  mean_sd /= dim;
  for (int j = 0; j < dim; ++j) s.sd[j] = std::max(s.sd[j], std::max(1e-6, 0.05 * mean_sd));  // floor: k = 1
  s.z.resize(x.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 0; j < dim; ++j) s.z[i * dim + j] = static_cast<float>((x[i * dim + j] - s.mu[j]) / s.sd[j]);
  }
  s.prior.resize(dim);
  for (int j = 0; j < dim; ++j) {
    s.prior[j] = static_cast<float>(prior[j] * s.sd[j]);
    s.prior_bias += prior[j] * s.mu[j];
  }
  return s;
}

LogisticAdapter to_raw(const LogisticAdapter& a, const Standardised& s) {
  LogisticAdapter raw;
  raw.lambda = a.lambda;
  raw.weights.resize(a.weights.size());
  raw.bias = a.bias;
  for (std::size_t j = 0; j < a.weights.size(); ++j) {
    raw.weights[j] = static_cast<float>(a.weights[j] / s.sd[j]);
    raw.bias -= raw.weights[j] * s.mu[j];
  }
  return raw;
}

double log_loss_sum(const std::vector<double>& logits, const std::vector<int>& y) {
  double loss = 0;
  for (std::size_t i = 0; i < y.size(); ++i) loss += log_loss(logits[i], y[i]);
  return loss;
}

}  // namespace

double LogisticAdapter::logit(const float* unit_x) const {
  return bias + dot(weights.data(), unit_x, static_cast<int>(weights.size()));
}

std::vector<double> leave_one_out_logits(const std::vector<float>& x, int dim, const std::vector<int>& y,
                                         const std::vector<float>& prior, double lambda) {
  const std::size_t n = y.size();
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<float> rest;
    std::vector<int> y_rest;
    for (std::size_t k = 0; k < n; ++k) {
      if (k == i) continue;
      rest.insert(rest.end(), x.begin() + k * dim, x.begin() + (k + 1) * dim);
      y_rest.push_back(y[k]);
    }
    out[i] = fit_logistic_adapter(rest, dim, y_rest, prior, lambda).logit(&x[i * dim]);
  }
  return out;
}

LogisticAdapter fit_logistic_adapter(const std::vector<float>& x, int dim, const std::vector<int>& y,
                                     const std::vector<float>& prior, double lambda) {
  const std::size_t n = y.size();
  if (lambda <= 0) {
    int pos = 0;
    for (int v : y) pos += v;
    const int neg = static_cast<int>(n) - pos;
    lambda = 3.0;
    if (std::min(pos, neg) >= 3) {
      double best = std::numeric_limits<double>::infinity();
      for (double candidate : {0.3, 1.0, 3.0, 10.0, 30.0, 100.0}) {
        const double loss = log_loss_sum(leave_one_out_logits(x, dim, y, prior, candidate), y);
        if (loss < best) best = loss, lambda = candidate;
      }
    }
  }
  const Standardised s = standardise(x, dim, n, prior);
  LogisticAdapter a = fit_rows(s.z, dim, y, all_rows(n), s.prior, s.prior_bias, lambda);
  return to_raw(a, s);
}

}  // namespace cxr::model
