// Few-shot adapters (prompt prior + examples) and the site library file.
#include "cxr/model/findings.h"
#include "cxr/model/findings_site.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

using namespace cxr::model;

namespace {

// Unit vectors in `dim` dims whose class is carried by axis 1, plus noise.
void make_data(int n_per_class, int dim, uint32_t seed, std::vector<float>* x, std::vector<int>* y) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0, 0.35f);
  for (int i = 0; i < 2 * n_per_class; ++i) {
    const int label = i % 2;
    std::vector<float> v(dim);
    for (auto& e : v) e = noise(rng);
    v[1] += label ? 1.0f : -1.0f;
    normalize(v);
    x->insert(x->end(), v.begin(), v.end());
    y->push_back(label);
  }
}

std::vector<double> scores(const LogisticAdapter& a, const std::vector<float>& x, int dim) {
  std::vector<double> s;
  for (std::size_t i = 0; i * dim < x.size(); ++i) s.push_back(a.logit(&x[i * dim]));
  return s;
}

}  // namespace

TEST(Adapter, ExamplesCorrectAWrongPriorAndBeatItOnHeldOutData) {
  const int dim = 16;
  std::vector<float> train, test;
  std::vector<int> ytrain, ytest;
  make_data(16, dim, 1, &train, &ytrain);
  make_data(200, dim, 2, &test, &ytest);
  // The "prompt" prior points mostly along axis 0 (uninformative) and only weakly along axis 1.
  std::vector<float> prior(dim, 0.0f);
  prior[0] = 10.0f;
  prior[1] = 1.0f;
  LogisticAdapter zero;
  zero.weights = prior;
  const double auc_prior = roc_auc(scores(zero, test, dim), ytest);
  const LogisticAdapter fitted = fit_logistic_adapter(train, dim, ytrain, prior);
  const double auc_adapter = roc_auc(scores(fitted, test, dim), ytest);
  EXPECT_GT(auc_adapter, auc_prior + 0.05) << "prior " << auc_prior << " adapter " << auc_adapter;
  EXPECT_GT(auc_adapter, 0.95);
  EXPECT_GT(fitted.lambda, 0);
  // Leave-one-out scores are honest: each comes from a fit without that example.
  const auto loo = leave_one_out_logits(train, dim, ytrain, prior, fitted.lambda);
  EXPECT_EQ(loo.size(), ytrain.size());
  EXPECT_GT(roc_auc(loo, ytrain), 0.8);
}

TEST(Adapter, OneExamplePerClassStaysCloseToThePrior) {
  const int dim = 8;
  std::vector<float> x;
  std::vector<int> y;
  make_data(1, dim, 3, &x, &y);
  std::vector<float> prior(dim, 0.0f);
  prior[1] = 5.0f;
  const LogisticAdapter a = fit_logistic_adapter(x, dim, y, prior, 1.0);
  double cos = 0, na = 0;
  for (int j = 0; j < dim; ++j) cos += a.weights[j] * prior[j], na += a.weights[j] * a.weights[j];
  EXPECT_GT(cos / (std::sqrt(na) * 5.0), 0.9);
}

TEST(SiteLibrary, RoundTripsAndRejectsForeignFiles) {
  SiteLibrary lib;
  SiteAdapter a;
  a.adapter.weights = {0.5f, -1.25f};
  a.adapter.bias = 0.75;
  a.model_hash = "abc";
  a.created_by = "tester";
  a.examples.push_back({1, "img.dcm", "1.2.3", "1.2"});
  lib.findings["pneumonia"].adapter = a;
  SiteCalibration c;
  c.calibration.scale = 0.5;
  c.calibration.offset = -0.2;
  c.calibration.threshold_high_sensitivity = 0.2;
  c.model_hash = "abc";
  lib.findings["effusion"].calibration = c;
  const auto path = (std::filesystem::temp_directory_path() / "cxr_site_library_test.json").string();
  ASSERT_TRUE(lib.save(path).ok());
  auto back = SiteLibrary::load(path, false);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_TRUE(back->findings.at("pneumonia").adapter.has_value());
  EXPECT_EQ(back->findings.at("pneumonia").adapter->adapter.weights, a.adapter.weights);
  EXPECT_DOUBLE_EQ(back->findings.at("pneumonia").adapter->adapter.bias, 0.75);
  EXPECT_EQ(back->findings.at("pneumonia").adapter->examples.at(0).sop_instance_uid, "1.2.3");
  EXPECT_DOUBLE_EQ(back->findings.at("effusion").calibration->calibration.threshold_high_sensitivity, 0.2);
  EXPECT_EQ(back->sha256.size(), 64u);
  std::filesystem::remove(path);

  EXPECT_TRUE(SiteLibrary::load("/nonexistent/lib.json", true).ok());
  EXPECT_FALSE(SiteLibrary::load("/nonexistent/lib.json", false).ok());
  auto bad = SiteLibrary::parse(R"({"schema":"cxr-prompt-set/1"})", "lib.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("lib.json"), std::string::npos);
  auto bad_scale = SiteLibrary::parse(
      R"({"schema":"cxr-site-library/1","findings":{"x":{"calibration":{"scale":-1,"offset":0}}}})", "lib.json");
  ASSERT_FALSE(bad_scale.ok());
  EXPECT_NE(bad_scale.error().message.find("scale"), std::string::npos);
}
