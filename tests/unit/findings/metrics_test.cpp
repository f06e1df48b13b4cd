// AUC, bootstrap intervals, ECE and Platt calibration against known answers and simulated data.
#include "cxr/model/findings.h"
#include "cxr/model/findings_site.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cxr::model;

TEST(Auc, KnownValuesAndTies) {
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}), 0.5);
  // 3 positives x 2 negatives; pairs won: (0.7>0.3,0.7>0.6),(0.4>0.3),(0.6 tie 0.6 = 0.5, 0.6>0.3) = 4.5 of 6
  EXPECT_DOUBLE_EQ(roc_auc({0.7, 0.4, 0.6, 0.3, 0.6}, {1, 1, 1, 0, 0}), 4.5 / 6.0);
  EXPECT_TRUE(std::isnan(roc_auc({0.1, 0.2}, {1, 1})));
}

TEST(Auc, BootstrapIntervalCoversTheEstimateAndWidensWithFewerGroups) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> s;
  std::vector<int> y;
  std::vector<std::string> patient;
  for (int i = 0; i < 400; ++i) {
    const int label = i % 2;
    y.push_back(label);
    s.push_back(label + noise(rng));
    patient.push_back("P" + std::to_string(i / 20));  // 20 patients with 20 images each
  }
  const AucInterval by_image = bootstrap_auc(s, y, {}, 500);
  const AucInterval by_patient = bootstrap_auc(s, y, patient, 500);
  EXPECT_NEAR(by_image.auc, 0.76, 0.05);  // Phi(1/sqrt(2)) = 0.760
  EXPECT_LT(by_image.low, by_image.auc);
  EXPECT_GT(by_image.high, by_image.auc);
  EXPECT_EQ(by_image.groups, 400);
  EXPECT_EQ(by_patient.groups, 20);
  EXPECT_GT(by_patient.high - by_patient.low, 0.0);
  // Deterministic for a seed.
  EXPECT_DOUBLE_EQ(bootstrap_auc(s, y, {}, 100, 3).low, bootstrap_auc(s, y, {}, 100, 3).low);
}

TEST(Calibration, EceIsZeroForMatchingFrequenciesAndPlattRecoversTheTruth) {
  EXPECT_NEAR(expected_calibration_error({0.25, 0.25, 0.25, 0.25}, {1, 0, 0, 0}), 0.0, 1e-12);
  EXPECT_NEAR(expected_calibration_error({0.95, 0.95}, {0, 0}), 0.95, 1e-12);
  // Labels drawn from p = sigmoid(0.4 z - 1): the raw sigmoid(z) is badly over-confident.
  std::mt19937 rng(11);
  std::normal_distribution<double> zdist(0, 4);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> z;
  std::vector<int> y;
  for (int i = 0; i < 4000; ++i) {
    z.push_back(zdist(rng));
    y.push_back(u(rng) < sigmoid(0.4 * z.back() - 1.0) ? 1 : 0);
  }
  const Calibration c = fit_calibration(z, y);
  EXPECT_NEAR(c.scale, 0.4, 0.05);
  EXPECT_NEAR(c.offset, -1.0, 0.15);
  EXPECT_LT(c.ece_after, c.ece_before);
  EXPECT_LT(c.ece_after, 0.03);
  // Operating points honour their constraints on this set.
  std::vector<double> p;
  for (double v : z) p.push_back(sigmoid(c.scale * v + c.offset));
  double tp = 0, fn = 0, tn = 0, fp = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (y[i]) (p[i] >= c.threshold_high_sensitivity ? tp : fn) += 1;
    if (!y[i]) (p[i] >= c.threshold_high_specificity ? fp : tn) += 1;
  }
  EXPECT_GE(tp / (tp + fn), 0.95);
  EXPECT_GE(tn / (tn + fp), 0.95);
  EXPECT_LE(c.threshold_high_sensitivity, c.threshold_high_specificity);
}

TEST(Calibration, TinySeparableSetStaysFinite) {
  const Calibration c = fit_calibration({-3, -2, 2, 3}, {0, 0, 1, 1});
  EXPECT_TRUE(std::isfinite(c.scale));
  EXPECT_GT(c.scale, 0);
  EXPECT_LT(c.scale, 100);
}
