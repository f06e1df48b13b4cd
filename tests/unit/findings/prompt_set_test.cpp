// Prompt sets: the shipped default is complete and valid; broken files give errors naming the problem.
#include "cxr/model/findings.h"

#include <gtest/gtest.h>

#include <set>

using namespace cxr::model;

namespace {

const std::string kDefault = std::string(CXR_SOURCE_DIR) + "/resources/prompts/default.json";

std::string one_finding(const std::string& body) {
  return R"({"schema":"cxr-prompt-set/1","findings":[)" + body + "]}";
}

const char* kGood = R"({"id":"pneumonia","name":{"en":"Pneumonia","ko":"폐렴"},
  "code":{"scheme":"SCT","value":"233604007","meaning":"Pneumonia"},
  "positive":["pneumonia"],"negative":["no pneumonia"],"terms":["Pneumonia"]})";

}  // namespace

TEST(PromptSet, DefaultHasTheRequiredFindingsWithCodesAndBothSides) {
  auto set = load_prompt_set(kDefault);
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::set<std::string> ids;
  for (const auto& f : set->findings) {
    ids.insert(f.id);
    EXPECT_FALSE(f.positive.empty()) << f.id;
    EXPECT_FALSE(f.negative.empty()) << f.id;
    EXPECT_FALSE(f.name_ko.empty()) << f.id;
    EXPECT_FALSE(f.code.value.empty()) << f.id;
    EXPECT_TRUE(f.code.scheme == "SCT" || f.code.scheme == "RADLEX" || f.code.scheme == "99CXRA") << f.id;
  }
  for (const char* id : {"no_finding", "pneumonia", "bacterial_pneumonia", "viral_pneumonia", "covid19", "atelectasis",
                         "cardiomegaly", "effusion", "infiltration", "mass", "nodule", "pneumothorax", "consolidation",
                         "edema", "emphysema", "fibrosis", "pleural_thickening", "hernia"}) {
    EXPECT_TRUE(ids.count(id)) << "missing finding " << id;
  }
  const auto& pneumonia = set->findings[set->index_of("pneumonia")];
  EXPECT_EQ(pneumonia.code.value, "233604007");
  EXPECT_EQ(set->sha256.size(), 64u);
}

TEST(PromptSet, TermsAreLowerCasedAndHashIsOfTheBytes) {
  auto set = parse_prompt_set(one_finding(kGood), "x.json");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->findings[0].terms[0], "pneumonia");
  EXPECT_EQ(set->sha256, sha256_hex(one_finding(kGood)));
}

TEST(PromptSet, ErrorsNameTheFileFindingAndKey) {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {"{not json", "not valid JSON"},
      {R"({"findings":[]})", "\"findings\" must be a non-empty array"},
      {one_finding(R"({"id":"Bad Id","name":{"en":"x"},"code":{"scheme":"S","value":"1","meaning":"m"},"positive":["a"],"negative":["b"]})"),
       "[a-z0-9_]+"},
      {one_finding(R"({"id":"x","name":{"en":"x"},"code":{"scheme":"S","value":"1","meaning":"m"},"positive":[],"negative":["b"]})"),
       "finding #1 (\"x\"): \"positive\" must be a non-empty array"},
      {one_finding(R"({"id":"x","name":{"en":"x"},"positive":["a"],"negative":["b"]})"), "missing \"code\""},
      {one_finding(std::string(kGood) + "," + kGood), "appears twice"},
      {one_finding(R"({"id":"x","name":{"en":"x"},"code":{"scheme":"S","value":"1","meaning":"m"},"positive":["a"],"negative":["b"],"parents":["nope"]})"),
       "parent \"nope\""},
      {R"({"schema":"other/2","findings":[1]})", "unsupported schema"},
  };
  for (const auto& c : cases) {
    auto r = parse_prompt_set(c.text, "prompts.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().message.find("prompts.json"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(load_prompt_set("/nonexistent/prompts.json").ok());
}

TEST(Sha256, KnownAnswerVectors) {
  // FIPS 180-4 examples (one and two blocks) and the empty string.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Scoring, PromptLogitIsScaledCosineDifferenceAndHeatmapPeaksAtTheMatchingPatch) {
  auto set = parse_prompt_set(one_finding(kGood), "x.json");
  ASSERT_TRUE(set.ok());
  // dim 3: positive phrasing along x, negative along y.
  auto d = directions_from_embeddings(set.value(), {2, 0, 0, 0, 3, 0}, 3, 10.0f);
  ASSERT_TRUE(d.ok()) << d.error().message;
  const float x[3] = {1, 0, 0}, y[3] = {0, 1, 0};
  EXPECT_NEAR(prompt_logit(d.value(), 0, x), 10.0, 1e-6);
  EXPECT_NEAR(prompt_logit(d.value(), 0, y), -10.0, 1e-6);
  // 2x2 patches: patch 3 looks like the positive prompt.
  const std::vector<float> patches = {0, 1, 0, 0, 0, 1, 0.5f, 0.5f, 0, 3, 0, 0};
  const auto h = patch_heatmap(d.value(), 0, patches.data(), 4, 3);
  ASSERT_EQ(h.size(), 4u);
  EXPECT_FLOAT_EQ(h[3], 1.0f);
  EXPECT_FLOAT_EQ(h[0], 0.0f);
  EXPECT_FALSE(directions_from_embeddings(set.value(), {1, 2}, 3, 1.0f).ok());
}
