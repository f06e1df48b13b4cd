// AUC, bootstrap intervals, ECE, Platt calibration and operating points (cxr/model/findings_site.h).
#include "cxr/model/findings.h"
#include "cxr/model/findings_site.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>

namespace cxr::model {

double roc_auc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const std::size_t n = std::min(scores.size(), labels.size());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Mann-Whitney: sum of positive ranks (average ranks over ties).
  double rank_sum = 0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) ++j;
    const double avg_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) {
      if (labels[order[k]] == 1) rank_sum += avg_rank, ++positives;
    }
    i = j + 1;
  }
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  const double u = rank_sum - static_cast<double>(positives) * (positives + 1) / 2.0;
  return u / (static_cast<double>(positives) * negatives);
}

AucInterval bootstrap_auc(const std::vector<double>& scores, const std::vector<int>& labels,
                          const std::vector<std::string>& groups, int rounds, uint64_t seed) {
  AucInterval r;
  r.auc = roc_auc(scores, labels);
  r.rounds = rounds;
  // Resampling units: groups (patients) or single samples.
  std::map<std::string, std::vector<std::size_t>> by_group;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    by_group[groups.empty() ? std::to_string(i) : groups[i]].push_back(i);
  }
  std::vector<std::vector<std::size_t>> units;
  for (auto& [key, idx] : by_group) units.push_back(std::move(idx));
  r.groups = static_cast<int>(units.size());
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, units.empty() ? 0 : units.size() - 1);
  std::vector<double> aucs;
  aucs.reserve(rounds);
  std::vector<double> s;
  std::vector<int> l;
  for (int b = 0; b < rounds && !units.empty(); ++b) {
    s.clear();
    l.clear();
    for (std::size_t u = 0; u < units.size(); ++u) {
      for (std::size_t i : units[pick(rng)]) s.push_back(scores[i]), l.push_back(labels[i]);
    }
    const double a = roc_auc(s, l);
    if (!std::isnan(a)) aucs.push_back(a);
  }
  if (aucs.empty()) {
    r.low = r.high = r.auc;
    return r;
  }
  std::sort(aucs.begin(), aucs.end());
  auto quantile = [&](double q) {
    const double pos = q * (aucs.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, aucs.size() - 1);
    return aucs[lo] + (pos - lo) * (aucs[hi] - aucs[lo]);
  };
  r.low = quantile(0.025);
  r.high = quantile(0.975);
  return r;
}

double expected_calibration_error(const std::vector<double>& probs, const std::vector<int>& labels, int bins) {
  if (probs.empty() || bins <= 0) return 0;
  std::vector<double> sum_p(bins, 0), sum_y(bins, 0);
  std::vector<int> count(bins, 0);
  for (std::size_t i = 0; i < probs.size(); ++i) {
    const int b = std::clamp(static_cast<int>(probs[i] * bins), 0, bins - 1);
    sum_p[b] += probs[i];
    sum_y[b] += labels[i];
    ++count[b];
  }
  double ece = 0;
  for (int b = 0; b < bins; ++b) {
    if (count[b] > 0) ece += std::abs(sum_p[b] - sum_y[b]) / static_cast<double>(probs.size());
  }
  return ece;
}

namespace {

struct Rates {
  double sensitivity, specificity;
};

Rates rates_at(const std::vector<double>& probs, const std::vector<int>& labels, double threshold) {
  double tp = 0, fn = 0, tn = 0, fp = 0;
  for (std::size_t i = 0; i < probs.size(); ++i) {
    const bool pos = probs[i] >= threshold;
    if (labels[i] == 1) (pos ? tp : fn) += 1;
    else (pos ? fp : tn) += 1;
  }
  return {tp + fn > 0 ? tp / (tp + fn) : 0, tn + fp > 0 ? tn / (tn + fp) : 0};
}

}  // namespace

Calibration fit_calibration(const std::vector<double>& logits, const std::vector<int>& labels) {
  Calibration cal;
  const std::size_t n = std::min(logits.size(), labels.size());
  cal.n = static_cast<int>(n);
  for (std::size_t i = 0; i < n; ++i) cal.positives += labels[i];
  // Platt scaling by Newton's method on (a, c) with a Gaussian prior (precision 1e-2) towards (1, 0):
  // minimise sum logloss(y, sigmoid(a z + c)) + 0.005 ((a - 1)^2 + c^2).
  const double prior = 1e-2;
  auto objective = [&](double a_, double c_) {
    double j = 0.5 * prior * ((a_ - 1) * (a_ - 1) + c_ * c_);
    for (std::size_t i = 0; i < n; ++i) {
      const double z = a_ * logits[i] + c_;
      const double s = labels[i] == 1 ? -z : z;  // loss = log(1 + exp(s))
      j += s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s));
    }
    return j;
  };
  double a = 1, c = 0;
  double current = objective(a, c);
  for (int iter = 0; iter < 100; ++iter) {
    double ga = prior * (a - 1), gc = prior * c, haa = prior, hac = 0, hcc = prior;
    for (std::size_t i = 0; i < n; ++i) {
      const double p = sigmoid(a * logits[i] + c);
      const double r = p - labels[i];
      const double w = std::max(p * (1 - p), 1e-12);
      ga += r * logits[i];
      gc += r;
      haa += w * logits[i] * logits[i];
      hac += w * logits[i];
      hcc += w;
    }
    const double det = haa * hcc - hac * hac;
    if (std::abs(det) < 1e-18) break;
    const double da = (hcc * ga - hac * gc) / det;
    const double dc = (haa * gc - hac * ga) / det;
    // Damped Newton: halve the step until the objective decreases (plain Newton overshoots when the
    // raw logits are far from calibrated).
    double step = 1.0, next = current;
    for (int k = 0; k < 40; ++k, step *= 0.5) {
      next = objective(a - step * da, c - step * dc);
      if (next <= current) break;
    }
    if (next > current) break;
    a -= step * da;
    c -= step * dc;
    const bool converged = current - next < 1e-12 * (1 + std::abs(current));
    current = next;
    if (converged) break;
  }
  if (!(a > 1e-3)) a = 1e-3;  // a non-positive slope would invert the score; keep it ranking-preserving
  cal.scale = a;
  cal.offset = c;
  std::vector<double> before(n), after(n);
  for (std::size_t i = 0; i < n; ++i) {
    before[i] = sigmoid(logits[i]);
    after[i] = sigmoid(a * logits[i] + c);
  }
  std::vector<int> y(labels.begin(), labels.begin() + n);
  cal.ece_before = expected_calibration_error(before, y);
  cal.ece_after = expected_calibration_error(after, y);
  // Operating points over the calibrated probabilities (candidate thresholds = observed values).
  std::vector<double> candidates = after;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  double best_j = -1;
  bool have_sens = false, have_spec = false;
  for (double t : candidates) {
    const Rates r = rates_at(after, y, t);
    if (r.sensitivity + r.specificity - 1 > best_j) best_j = r.sensitivity + r.specificity - 1, cal.threshold_default = t;
    if (r.sensitivity >= 0.95) {  // ascending t: keep the highest such threshold
      cal.threshold_high_sensitivity = t, have_sens = true;
      cal.sensitivity_at_high_sens = r.sensitivity, cal.specificity_at_high_sens = r.specificity;
    }
    if (!have_spec && r.specificity >= 0.95) {  // the lowest such threshold
      cal.threshold_high_specificity = t, have_spec = true;
      cal.sensitivity_at_high_spec = r.sensitivity, cal.specificity_at_high_spec = r.specificity;
    }
  }
  if (!have_sens) cal.threshold_high_sensitivity = candidates.empty() ? 0.5 : candidates.front();
  if (!have_spec) cal.threshold_high_specificity = candidates.empty() ? 0.5 : candidates.back();
  return cal;
}

}  // namespace cxr::model
