// load_siglip_config on the parity fixtures' config.json (written by transformers' save_pretrained) and on
// hand-written configs: HF defaults for absent keys, bare tower configs, errors naming file + key + type.
#include "cxr/model/siglip_config.h"

#include "unit/model_io/fixture_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cxr::model {
namespace {

using testing::case_dir;
using testing::parity_cases;
using testing::read_json;
using testing::ScratchDir;
using testing::write_bytes;
using ::testing::HasSubstr;

TEST(SiglipConfigFixtures, EveryCaseMatchesItsJson) {
  for (const std::string& name : parity_cases()) {
    SCOPED_TRACE(name);
    auto config = load_siglip_config(case_dir(name).string());
    ASSERT_TRUE(config.ok()) << config.error().message;
    const auto j = read_json(case_dir(name) / "config.json");
    const auto& v = j["vision_config"];
    const auto& t = j["text_config"];
    EXPECT_EQ(config->model_type, "siglip");
    EXPECT_EQ(config->vision.hidden_size, v["hidden_size"].get<int>());
    EXPECT_EQ(config->vision.intermediate_size, v["intermediate_size"].get<int>());
    EXPECT_EQ(config->vision.num_hidden_layers, v["num_hidden_layers"].get<int>());
    EXPECT_EQ(config->vision.num_attention_heads, v["num_attention_heads"].get<int>());
    EXPECT_EQ(config->vision.image_size, v["image_size"].get<int>());
    EXPECT_EQ(config->vision.patch_size, v["patch_size"].get<int>());
    EXPECT_EQ(config->text.vocab_size, t["vocab_size"].get<int>());
    EXPECT_EQ(config->text.hidden_size, t["hidden_size"].get<int>());
    EXPECT_EQ(config->text.max_position_embeddings, t["max_position_embeddings"].get<int>());
    EXPECT_EQ(config->text.projection_size, t["projection_size"].get<int>());
    EXPECT_EQ(config->text.pad_token_id, 1);
    EXPECT_EQ(config->text.eos_token_id, 1);
    EXPECT_FLOAT_EQ(config->vision.layer_norm_eps, 1e-6f);
    EXPECT_EQ(config->vision.hidden_act, "gelu_pytorch_tanh");
    EXPECT_TRUE(config->vision.vision_use_head);
  }
  // The odd case projects a 36-wide text tower to the 52-wide joint space.
  auto odd = load_siglip_config((case_dir("odd") / "config.json").string());
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->text.hidden_size, 36);
  EXPECT_EQ(odd->text.projection_size, 52);
  EXPECT_EQ(odd->vision.hidden_size, 52);
}

class ConfigFile : public ::testing::Test {
 protected:
  Result<SiglipConfig> load(const std::string& text) {
    write_bytes(dir_ / "config.json", text);
    return load_siglip_config((dir_ / "config.json").string());
  }
  std::string path() const { return (dir_ / "config.json").string(); }
  ScratchDir dir_;
};

TEST_F(ConfigFile, AbsentKeysTakeHuggingFaceDefaults) {
  auto c = load(R"({"model_type": "siglip", "text_config": {"hidden_size": 512, "num_attention_heads": 8}})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->vision.hidden_size, 768);
  EXPECT_EQ(c->vision.image_size, 224);
  EXPECT_EQ(c->vision.patch_size, 16);
  EXPECT_EQ(c->text.hidden_size, 512);
  EXPECT_EQ(c->text.projection_size, 512);  // HF: projection_size None -> hidden_size
  EXPECT_EQ(c->text.vocab_size, 32000);
  EXPECT_EQ(c->text.max_position_embeddings, 64);
}

TEST_F(ConfigFile, BareTowerConfigsAndPairSizes) {
  auto v = load(R"({"model_type": "siglip_vision_model", "hidden_size": 1152, "num_attention_heads": 16,
                    "image_size": [448, 448], "patch_size": 14, "intermediate_size": 4304, "num_hidden_layers": 27})");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->model_type, "siglip_vision_model");
  EXPECT_EQ(v->vision.hidden_size, 1152);
  EXPECT_EQ(v->vision.image_size, 448);
  EXPECT_EQ(v->vision.patch_size, 14);
  auto t = load(R"({"model_type": "siglip_text_model", "vocab_size": 1000, "projection_size": null})");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->text.vocab_size, 1000);
  EXPECT_EQ(t->text.projection_size, 768);
}

TEST_F(ConfigFile, WrongTypesNameFileKeyAndExpectedType) {
  auto c = load(R"({"model_type": "siglip", "vision_config": {"hidden_size": "768"}})");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, path() + ": vision_config.hidden_size must be an integer, got \"768\"");
  auto eps = load(R"({"model_type": "siglip", "text_config": {"layer_norm_eps": "tiny"}})");
  ASSERT_FALSE(eps.ok());
  EXPECT_THAT(eps.error().message, HasSubstr("text_config.layer_norm_eps must be a number"));
  auto head = load(R"({"model_type": "siglip", "vision_config": {"vision_use_head": 1}})");
  ASSERT_FALSE(head.ok());
  EXPECT_THAT(head.error().message, HasSubstr("vision_config.vision_use_head must be true or false, got 1"));
  auto negative = load(R"({"model_type": "siglip", "text_config": {"num_attention_heads": -2}})");
  ASSERT_FALSE(negative.ok());
  EXPECT_THAT(negative.error().message, HasSubstr("text_config.num_attention_heads must be an integer >= 1"));
  auto sub = load(R"({"model_type": "siglip", "vision_config": [1]})");
  ASSERT_FALSE(sub.ok());
  EXPECT_THAT(sub.error().message, HasSubstr("vision_config must be an object"));
}

TEST_F(ConfigFile, InconsistentOrForeignConfigsAreRefused) {
  auto heads = load(R"({"model_type": "siglip", "vision_config": {"hidden_size": 52, "num_attention_heads": 5}})");
  ASSERT_FALSE(heads.ok());
  EXPECT_THAT(heads.error().message, HasSubstr("vision_config.hidden_size 52 is not divisible by num_attention_heads 5"));
  auto clip = load(R"({"model_type": "clip", "vision_config": {}})");
  ASSERT_FALSE(clip.ok());
  EXPECT_EQ(clip.error().code, ErrorCode::kUnsupported);
  EXPECT_THAT(clip.error().message, HasSubstr("model_type 'clip' is not supported"));
  auto bad = load("{\"model_type\": \"siglip\", ");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kCorruptData);
  EXPECT_THAT(bad.error().message, HasSubstr(path() + ": bad JSON"));
  auto missing = load_siglip_config((dir_ / "absent" / "config.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace cxr::model
