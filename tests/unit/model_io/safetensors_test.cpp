// WeightStore on the Hugging Face parity fixtures (tests/fixtures/parity, made by
// tools/parity/make_fixtures.py) and on damaged copies of them built here: every damaged file must give an
// error naming the file and the cause, never a crash or a pointer outside the mapping.
#include "cxr/model/safetensors.h"
#include "cxr/npy.h"

#include "unit/model_io/fixture_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace cxr::model {
namespace {

using testing::case_dir;
using testing::parity_cases;
using testing::read_bytes;
using testing::read_json;
using testing::ScratchDir;
using testing::write_bytes;
using ::testing::HasSubstr;
using json = nlohmann::json;

std::string le64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

std::string make_file(const std::string& header, const std::string& data) { return le64(header.size()) + header + data; }

uint64_t header_length(const std::string& file) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(file[i]);
  return v;
}

// Opens bytes written to a scratch file; returns the error message ("" when it opened).
std::string open_error(const ScratchDir& dir, const std::string& bytes, const std::string& name = "model.safetensors") {
  const auto path = dir / name;
  write_bytes(path, bytes);
  auto store = WeightStore::open(path.string());
  return store.ok() ? std::string() : store.error().message;
}

TEST(SafetensorsFixtures, OpensEveryCaseWithShapesFromItsConfig) {
  for (const std::string& name : parity_cases()) {
    SCOPED_TRACE(name);
    auto store = WeightStore::open(case_dir(name).string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    const json config = read_json(case_dir(name) / "config.json");
    const json& v = config["vision_config"];
    const json& t = config["text_config"];
    const int64_t hv = v["hidden_size"], p = v["patch_size"], ht = t["hidden_size"];
    const int64_t positions = (int64_t{v["image_size"]} / p) * (int64_t{v["image_size"]} / p);
    auto patch = (*store)->get("vision_model.embeddings.patch_embedding.weight", {hv, 3, p, p});
    ASSERT_TRUE(patch.ok()) << patch.error().message;
    EXPECT_TRUE((*store)->get("vision_model.embeddings.position_embedding.weight", {positions, hv}).ok());
    EXPECT_TRUE((*store)->get("text_model.embeddings.token_embedding.weight", {int64_t{t["vocab_size"]}, ht}).ok());
    EXPECT_TRUE((*store)->get("text_model.head.weight", {int64_t{t["projection_size"]}, ht}).ok());
    EXPECT_TRUE((*store)->get("vision_model.head.probe", {1, 1, hv}).ok());
    EXPECT_TRUE((*store)->get("logit_scale", {1}).ok());
    const std::string dtype = read_json(case_dir(name) / "case.json")["stored_dtype"];
    const char* expected = dtype == "bfloat16" ? "BF16" : dtype == "float16" ? "F16" : "F32";
    EXPECT_STREQ(dtype_name(patch->dtype), expected);
    EXPECT_EQ(patch->nbytes, static_cast<std::size_t>(patch->numel()) * dtype_size(patch->dtype));
  }
}

TEST(SafetensorsFixtures, SingleFileHoldsExactlyTheTensorsOfItsHeader) {
  auto store = WeightStore::open((case_dir("small") / "model.safetensors").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  const int num_tensors = read_json(case_dir("small") / "case.json")["num_tensors"];
  EXPECT_EQ(static_cast<int>((*store)->names().size()), num_tensors);
  EXPECT_EQ((*store)->metadata().at("format"), "pt");  // written by transformers' save_pretrained
  EXPECT_TRUE((*store)->contains("vision_model.post_layernorm.weight"));
  EXPECT_FALSE((*store)->contains("vision_model.embeddings.position_ids"));  // a non-persistent buffer
}

TEST(SafetensorsFixtures, ShardedIndexResolvesEveryTensorOfTheWeightMap) {
  const json index = read_json(case_dir("sharded_fp16") / "model.safetensors.index.json");
  auto store = WeightStore::open((case_dir("sharded_fp16") / "model.safetensors.index.json").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->names().size(), index["weight_map"].size());
  uint64_t total = 0;
  for (const auto& [name, shard] : index["weight_map"].items()) {
    auto t = (*store)->get(name);
    ASSERT_TRUE(t.ok()) << t.error().message;
    total += t->nbytes;
  }
  EXPECT_EQ(total, index["metadata"]["total_size"].get<uint64_t>());
}

// The stored F32/F16/BF16 values converted by the loader equal numpy's (fp16) and torch's (bf16) conversion.
TEST(SafetensorsFixtures, ConvertedValuesEqualNumpyConversion) {
  for (const std::string& name : parity_cases()) {
    SCOPED_TRACE(name);
    auto store = WeightStore::open(case_dir(name).string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto ref = read_npy((case_dir(name) / "ref_tensor_f32.npy").string());
    ASSERT_TRUE(ref.ok()) << ref.error().message;
    auto t = (*store)->get("text_model.embeddings.position_embedding.weight", ref->shape);
    ASSERT_TRUE(t.ok()) << t.error().message;
    const std::vector<float> got = t->to_f32();
    const std::vector<float> want = ref->as_f32();
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << "element " << i;
  }
}

// Every one of the 65,536 half and bfloat16 bit patterns, against the compiler's _Float16 and the
// definition of bfloat16 (the top 16 bits of an fp32).
TEST(SafetensorsConversion, AllHalfAndBfloat16BitPatterns) {
  std::string data(2 * 65536 * 2, '\0');
  for (uint32_t i = 0; i < 65536; ++i) {
    const uint16_t v = static_cast<uint16_t>(i);
    std::memcpy(&data[2 * i], &v, 2);
    std::memcpy(&data[2 * 65536 + 2 * i], &v, 2);
  }
  const std::string header = R"({"h":{"dtype":"F16","shape":[65536],"data_offsets":[0,131072]},)"
                             R"("b":{"dtype":"BF16","shape":[256,256],"data_offsets":[131072,262144]}})";
  ScratchDir dir;
  write_bytes(dir / "all.safetensors", make_file(header, data));
  auto store = WeightStore::open((dir / "all.safetensors").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  const std::vector<float> half = (*store)->get("h")->to_f32();
  const std::vector<float> bf16 = (*store)->get("b")->to_f32();
  for (uint32_t i = 0; i < 65536; ++i) {
    const uint16_t bits = static_cast<uint16_t>(i);
    _Float16 h;
    std::memcpy(&h, &bits, 2);
    const float want_half = static_cast<float>(h);
    uint32_t want_bf16_bits = static_cast<uint32_t>(bits) << 16, got_bf16_bits;
    std::memcpy(&got_bf16_bits, &bf16[i], 4);
    if (std::isnan(want_half)) EXPECT_TRUE(std::isnan(half[i])) << i;
    else ASSERT_EQ(std::memcmp(&half[i], &want_half, 4), 0) << "half bits " << i;  // also the sign of zero
    ASSERT_EQ(got_bf16_bits, want_bf16_bits) << "bf16 bits " << i;
  }
}

TEST(SafetensorsConversion, IntegerDtypesLoadAndConvert) {
  std::string data;
  const int64_t a[2] = {-3, 1 << 20};
  const int32_t b[2] = {7, -9};
  const uint8_t c[3] = {0, 128, 255};
  data.append(reinterpret_cast<const char*>(a), 16).append(reinterpret_cast<const char*>(b), 8).append(
      reinterpret_cast<const char*>(c), 3);
  const std::string header = R"({"a":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},)"
                             R"("b":{"dtype":"I32","shape":[2,1],"data_offsets":[16,24]},)"
                             R"("c":{"dtype":"U8","shape":[3],"data_offsets":[24,27]},)"
                             R"("empty":{"dtype":"F32","shape":[0,4],"data_offsets":[27,27]}})";
  ScratchDir dir;
  write_bytes(dir / "int.safetensors", make_file(header, data));
  auto store = WeightStore::open((dir / "int.safetensors").string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->get("a")->to_f32(), (std::vector<float>{-3.0f, 1048576.0f}));
  EXPECT_EQ((*store)->get("b")->to_f32(), (std::vector<float>{7.0f, -9.0f}));
  EXPECT_EQ((*store)->get("c")->to_f32(), (std::vector<float>{0.0f, 128.0f, 255.0f}));
  EXPECT_EQ((*store)->get("empty")->numel(), 0);
  // A weight must be a float tensor: the checked get refuses an integer one.
  auto as_weight = (*store)->get("a", {2});
  ASSERT_FALSE(as_weight.ok());
  EXPECT_THAT(as_weight.error().message, HasSubstr("a: got dtype I64, expected a float dtype"));
}

TEST(SafetensorsErrors, ShapeMismatchAndMissingTensorAreNamed) {
  auto store = WeightStore::open(case_dir("small").string());
  ASSERT_TRUE(store.ok());
  auto wrong = (*store)->get("vision_model.embeddings.patch_embedding.weight", {64, 3, 14, 14});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.error().message,
              HasSubstr("vision_model.embeddings.patch_embedding.weight: got [64,3,8,8], expected [64,3,14,14]"));
  auto missing = (*store)->get("vision_model.encoder.layers.7.mlp.fc1.weight");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr("vision_model.encoder.layers.7.mlp.fc1.weight: not found in "));
}

TEST(SafetensorsErrors, MissingPathsAreNotFound) {
  ScratchDir dir;
  auto none = WeightStore::open((dir / "nope.safetensors").string());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  auto empty_dir = WeightStore::open(dir.path().string());
  ASSERT_FALSE(empty_dir.ok());
  EXPECT_THAT(empty_dir.error().message, HasSubstr("holds neither model.safetensors nor model.safetensors.index.json"));
}

// Truncation at every byte of the length and the header, and at a stride through the tensor data.
TEST(SafetensorsErrors, TruncationAtManyOffsetsIsAClearError) {
  const std::string whole = read_bytes(case_dir("sharded_fp16") / "model-00002-of-00004.safetensors");
  const uint64_t data_start = 8 + header_length(whole);
  ASSERT_LT(data_start, whole.size());
  ScratchDir dir;
  int tried = 0;
  for (std::size_t cut = 0; cut < whole.size(); cut += (cut < data_start + 16 ? 1 : 61)) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    const std::string message = open_error(dir, whole.substr(0, cut));
    ASSERT_FALSE(message.empty());
    EXPECT_THAT(message, HasSubstr("model.safetensors: "));
    EXPECT_THAT(message, ::testing::AnyOf(HasSubstr("truncated"), HasSubstr("bad header JSON")));
    ++tried;
  }
  EXPECT_GT(tried, 1000);
  const uint64_t data_bytes = whole.size() - data_start;
  EXPECT_EQ(open_error(dir, whole.substr(0, whole.size() - 1000)),
            (dir / "model.safetensors").string() + ": truncated: header says " + std::to_string(data_bytes) +
                " bytes of tensor data, file holds " + std::to_string(data_bytes - 1000));
  EXPECT_THAT(open_error(dir, whole.substr(0, 5)), HasSubstr("truncated: file holds 5 bytes"));
  EXPECT_THAT(open_error(dir, ""), HasSubstr("truncated: file holds 0 bytes"));
}

// Each header byte replaced by bytes that break JSON or numbers: an error or (rarely) a still-valid
// file, never a crash; every tensor of a file that still opens lies inside the file.
TEST(SafetensorsErrors, GarbledHeaderBytesNeverCrash) {
  const std::string whole = read_bytes(case_dir("sharded_fp16") / "model-00001-of-00004.safetensors");
  const uint64_t data_start = 8 + header_length(whole);
  ScratchDir dir;
  int errors = 0, opened = 0;
  for (std::size_t pos = 0; pos < data_start; ++pos) {
    for (char garble : {'"', '}', '9', '\xff', '-', ' ', '\0'}) {
      if (whole[pos] == garble) continue;
      std::string bytes = whole;
      bytes[pos] = garble;
      write_bytes(dir / "g.safetensors", bytes);
      auto store = WeightStore::open((dir / "g.safetensors").string());
      if (!store.ok()) {
        ++errors;
        ASSERT_THAT(store.error().message, HasSubstr("g.safetensors: ")) << "byte " << pos;
        continue;
      }
      ++opened;
      for (const std::string& n : (*store)->names()) {  // read every byte: ASan/valgrind would flag overreads
        auto t = (*store)->get(n);
        std::vector<float> values(static_cast<std::size_t>(t->numel()));
        if (t->dtype == DType::kF32 || t->dtype == DType::kF16 || t->dtype == DType::kBF16) t->to_f32(values.data());
      }
    }
  }
  EXPECT_GT(errors, 1000);
  RecordProperty("garbled_opened", opened);
}

struct BadHeader {
  const char* what;
  std::string header;
  std::string data;
  const char* expected;
};

TEST(SafetensorsErrors, InvalidHeadersNameTheCause) {
  const std::string d16(16, '\0');
  const std::vector<BadHeader> cases = {
      {"not json", "{\"a\": [", d16, "bad header JSON"},
      {"not an object", "[1,2]", d16, "header JSON must be an object"},
      {"unknown dtype", R"({"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}})", d16, "unsupported dtype 'F64'"},
      {"begin after end", R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})", d16, "begin after end"},
      {"size mismatch", R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", d16,
       "data_offsets hold 16 bytes, shape [3] of F32 needs 12"},
      {"offset past end", R"({"a":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}})", d16,
       "truncated: header says 32 bytes of tensor data, file holds 16"},
      {"overlap", R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
       d16, "overlap"},
      {"duplicate name", R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})",
       d16, "names tensor 'a' twice"},
      {"negative dim", R"({"a":{"dtype":"U8","shape":[-4],"data_offsets":[0,4]}})", d16, "non-negative integers"},
      {"float offsets", R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4.0]}})", d16, "data_offsets"},
      {"missing shape", R"({"a":{"dtype":"U8","data_offsets":[0,4]}})", d16, "missing \"shape\""},
      {"overflowing shape", R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})", d16,
       "overflows"},
      {"bad metadata", R"({"__metadata__":{"format":1}})", d16, "\"__metadata__\".format must be a string"},
  };
  ScratchDir dir;
  for (const BadHeader& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_THAT(open_error(dir, make_file(c.header, c.data)), HasSubstr(c.expected));
  }
  EXPECT_THAT(open_error(dir, le64(uint64_t{1} << 62) + "{}"), HasSubstr("exceeds the 100 MiB limit"));
  EXPECT_THAT(open_error(dir, le64(1048576) + "{}"),
              HasSubstr("truncated: header says 1048576 bytes of JSON header, file holds 2"));
}

class ShardedCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& entry : std::filesystem::directory_iterator(case_dir("sharded_fp16")))
      if (entry.path().filename().string().rfind("model", 0) == 0)
        std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename().string());
  }
  std::string index() const { return (dir_ / "model.safetensors.index.json").string(); }
  ScratchDir dir_;
};

TEST_F(ShardedCopy, CopyOpensAndMissingShardIsNamed) {
  ASSERT_TRUE(WeightStore::open(dir_.path().string()).ok());
  std::filesystem::remove(dir_ / "model-00002-of-00004.safetensors");
  auto store = WeightStore::open(index());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(store.error().message, HasSubstr("model-00002-of-00004.safetensors"));
  EXPECT_THAT(store.error().message, HasSubstr("is missing"));
}

TEST_F(ShardedCopy, IndexAndShardsMustAgree) {
  json idx = read_json(index());
  idx["weight_map"]["text_model.made_up.weight"] = "model-00001-of-00004.safetensors";
  write_bytes(index(), idx.dump());
  auto extra = WeightStore::open(index());
  ASSERT_FALSE(extra.ok());
  EXPECT_THAT(extra.error().message, HasSubstr("lists 'text_model.made_up.weight'"));

  idx["weight_map"].erase("text_model.made_up.weight");
  idx["weight_map"].erase("logit_bias");  // still stored in shard 1
  write_bytes(index(), idx.dump());
  auto unlisted = WeightStore::open(index());
  ASSERT_FALSE(unlisted.ok());
  EXPECT_THAT(unlisted.error().message, HasSubstr("holds tensor 'logit_bias'"));

  idx["weight_map"]["logit_bias"] = "../model-00001-of-00004.safetensors";
  write_bytes(index(), idx.dump());
  auto escape = WeightStore::open(index());
  ASSERT_FALSE(escape.ok());
  EXPECT_THAT(escape.error().message, HasSubstr("must be a file name in the index's folder"));

  write_bytes(index(), "{\"weight_map\": 3}");
  auto bad = WeightStore::open(index());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("missing \"weight_map\" object"));
}

}  // namespace
}  // namespace cxr::model
