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

// Minimises sum_i logloss + lambda/2 |w - prior|^2 + kBiasPrecision/2 b^2 by Nesterov-accelerated
// gradient descent. rows: indices of the training rows in x (n, D).
LogisticAdapter fit_rows(const std::vector<float>& x, int dim, const std::vector<int>& y,
                         const std::vector<std::size_t>& rows, const std::vector<float>& prior, double lambda) {
  const std::size_t n = rows.size();
  std::vector<double> w(prior.begin(), prior.end()), w_prev = w, v = w, grad(dim);
  double b = 0, b_prev = 0, vb = 0;
  double sq_norm_sum = 0;
  for (std::size_t r : rows) sq_norm_sum += dot(&x[r * dim], &x[r * dim], dim) + 1.0;
  const double lipschitz = 0.25 * sq_norm_sum + std::max(lambda, kBiasPrecision);
  const double step = 1.0 / lipschitz;
  for (int it = 0; it < kIterations; ++it) {
    for (int j = 0; j < dim; ++j) grad[j] = lambda * (v[j] - prior[j]);
    double grad_b = kBiasPrecision * vb;
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

}  // namespace

double LogisticAdapter::logit(const float* unit_x) const {
  return bias + dot(weights.data(), unit_x, static_cast<int>(weights.size()));
}

std::vector<double> leave_one_out_logits(const std::vector<float>& x, int dim, const std::vector<int>& y,
                                         const std::vector<float>& prior, double lambda) {
  const std::size_t n = y.size();
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::size_t> rows;
    for (std::size_t k = 0; k < n; ++k) {
      if (k != i) rows.push_back(k);
    }
    out[i] = fit_rows(x, dim, y, rows, prior, lambda).logit(&x[i * dim]);
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
    lambda = 1.0;
    if (std::min(pos, neg) >= 3) {
      double best = std::numeric_limits<double>::infinity();
      for (double candidate : {0.3, 1.0, 3.0, 10.0}) {
        const std::vector<double> loo = leave_one_out_logits(x, dim, y, prior, candidate);
        double loss = 0;
        for (std::size_t i = 0; i < n; ++i) loss += log_loss(loo[i], y[i]);
        if (loss < best) best = loss, lambda = candidate;
      }
    }
  }
  return fit_rows(x, dim, y, all_rows(n), prior, lambda);
}

}  // namespace cxr::model
