// Tokenizer vs Hugging Face: for every text of every parity case's texts.json (real clinical notes, label
// phrases, punctuation and odd whitespace, Korean, accented and Greek capitals, literal "</s>"/"<unk>",
// empty text, invalid UTF-8 bytes) the ids must equal transformers.SiglipTokenizer's.
#include "cxr/model/tokenizer.h"
#include "cxr/npy.h"

#include "io/unicode_text.h"
#include "unit/model_io/fixture_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

namespace cxr::model {
namespace {

using testing::case_dir;
using testing::parity_cases;
using testing::read_json;
using ::testing::HasSubstr;
using json = nlohmann::json;

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// The bytes HF was given: the text itself, or for the invalid-UTF-8 entries the raw bytes that Python
// decoded with errors="replace" into "text".
std::string input_bytes(const json& entry) {
  return entry.contains("bytes_hex") ? unhex(entry["bytes_hex"].get<std::string>()) : entry["text"].get<std::string>();
}

std::shared_ptr<const Tokenizer> open_case_tokenizer(const std::string& name, const json& texts) {
  auto tok = Tokenizer::open((case_dir(name) / "spiece.model").string(), texts["max_length"].get<int>(),
                             texts["pad_id"].get<int>(), texts["eos_id"].get<int>());
  EXPECT_TRUE(tok.ok()) << (tok.ok() ? "" : tok.error().message);
  return tok.ok() ? *tok : nullptr;
}

TEST(TokenizerVsHuggingFace, IdsEqualForEveryTextOfEveryCase) {
  int compared = 0, truncated = 0, invalid = 0;
  for (const std::string& name : parity_cases()) {
    const json texts = read_json(case_dir(name) / "texts.json");
    auto tok = open_case_tokenizer(name, texts);
    ASSERT_NE(tok, nullptr);
    const int max_length = texts["max_length"];
    for (const json& entry : texts["texts"]) {
      SCOPED_TRACE(name + ": " + entry["text"].dump());
      const TokenizedText got = tok->encode(input_bytes(entry));
      EXPECT_EQ(got.ids, entry["ids"].get<std::vector<int>>());
      EXPECT_EQ(got.truncated(), entry["truncated"].get<bool>());
      const int untruncated = entry["num_untruncated_ids"];
      EXPECT_EQ(got.num_dropped, std::max(0, untruncated - max_length));
      EXPECT_EQ(got.num_tokens, std::min(untruncated, max_length));
      if (entry.contains("untruncated_ids")) {
        std::vector<int> raw = tok->encode_raw(input_bytes(entry));
        raw.push_back(1);  // EOS
        EXPECT_EQ(raw, entry["untruncated_ids"].get<std::vector<int>>());
      }
      EXPECT_EQ(got.num_invalid_utf8 > 0, entry.contains("bytes_hex"));
      truncated += got.truncated();
      invalid += got.num_invalid_utf8 > 0;
      ++compared;
    }
  }
  EXPECT_GE(compared, 6 * 18);
  EXPECT_GE(truncated, 6);  // a long real note truncates in every case
  EXPECT_GE(invalid, 12);
}

// Minimal RFC 4180 reader (quoted fields, "" escapes, newlines inside quotes), as Python's csv module reads
// labels.csv with newline="". Returns rows of fields.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field.push_back(text[++i]);
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// Every distinct real clinical note of covid-notes-dev (read from the shared data) at SigLIP's length 64.
TEST(TokenizerVsHuggingFace, EveryRealClinicalNoteAtLength64) {
  const auto csv_path = std::filesystem::path(CXR_SHARED_DATA_DIR) / "cxr" / "covid-notes-dev" / "labels.csv";
  ASSERT_TRUE(std::filesystem::exists(csv_path)) << csv_path << " missing: the shared data set is required";
  const auto rows = read_csv(testing::read_bytes(csv_path));
  ASSERT_GT(rows.size(), 300u);
  const auto& header = rows[0];
  const auto col = [&](const char* name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t file_col = col("file"), notes_col = col("clinical_notes");
  ASSERT_LT(notes_col, header.size());
  const json expected = read_json(std::filesystem::path(CXR_TEST_FIXTURES_DIR) / "parity" / "notes_tokens.json");
  auto tok = Tokenizer::open((case_dir("small") / "spiece.model").string(), expected["max_length"].get<int>());
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  int compared = 0, truncated = 0;
  for (const json& entry : expected["notes"]) {
    const std::size_t row = entry["row"].get<std::size_t>() + 1;  // + the header row
    SCOPED_TRACE(entry["file"].get<std::string>());
    ASSERT_LT(row, rows.size());
    ASSERT_EQ(rows[row].size(), header.size());
    ASSERT_EQ(rows[row][file_col], entry["file"].get<std::string>()) << "labels.csv changed since the fixture was made";
    const TokenizedText got = (*tok)->encode(rows[row][notes_col]);
    ASSERT_EQ(got.ids, entry["ids"].get<std::vector<int>>());
    EXPECT_EQ(got.num_dropped, std::max(0, entry["num_untruncated_ids"].get<int>() - 64));
    truncated += got.truncated();
    ++compared;
  }
  EXPECT_GT(compared, 200);
  EXPECT_GT(truncated, 50);
  RecordProperty("notes_compared", compared);
}

// 400 random texts mixing scripts with non-ASCII case mappings (final sigma next to case-ignorable marks,
// İ, ẞ, Cherokee, Deseret), Unicode whitespace, NFKC forms, "▁" and added-token strings.
TEST(TokenizerVsHuggingFace, RandomUnicodeTextsMatchIdsAndCanonicalForm) {
  const json fuzz = read_json(std::filesystem::path(CXR_TEST_FIXTURES_DIR) / "parity" / "tokenizer_fuzz.json");
  auto tok = Tokenizer::open((case_dir("small") / "spiece.model").string(), fuzz["max_length"].get<int>());
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  int compared = 0;
  for (const json& entry : fuzz["texts"]) {
    const std::string text = entry["text"];
    SCOPED_TRACE(entry["text"].dump());
    EXPECT_EQ(io::encode_utf8(io::canonicalize_siglip_text(io::decode_utf8(text))), entry["canonical"].get<std::string>());
    ASSERT_EQ((*tok)->encode(text).ids, entry["ids"].get<std::vector<int>>());
    ++compared;
  }
  EXPECT_EQ(compared, 400);
}

TEST(TokenizerVsHuggingFace, BatchEqualsTheFixtureInputIds) {
  const json texts = read_json(case_dir("small") / "texts.json");
  auto tok = open_case_tokenizer("small", texts);
  ASSERT_NE(tok, nullptr);
  std::vector<std::string> inputs;
  for (const json& entry : texts["texts"]) inputs.push_back(input_bytes(entry));
  const auto batch = tok->encode_batch(inputs);
  auto ids = read_npy((case_dir("small") / "input_ids.npy").string());
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_EQ(ids->shape, (std::vector<int64_t>{static_cast<int64_t>(inputs.size()), tok->max_length()}));
  const std::vector<int64_t> flat = ids->as_i64();
  for (std::size_t r = 0; r < batch.size(); ++r)
    for (int c = 0; c < tok->max_length(); ++c)
      ASSERT_EQ(batch[r].ids[c], flat[r * tok->max_length() + c]) << "row " << r << " col " << c;
  EXPECT_EQ(tok->vocab_size(), 512);
}

// canonicalize_text and the UTF-8 replacement policy checked directly against Python's output.
TEST(TokenizerVsHuggingFace, CanonicalTextAndUtf8ReplacementMatchPython) {
  const json texts = read_json(case_dir("small") / "texts.json");
  for (const json& entry : texts["texts"]) {
    SCOPED_TRACE(entry["text"].dump());
    int num_invalid = 0;
    const std::u32string decoded = io::decode_utf8(input_bytes(entry), &num_invalid);
    EXPECT_EQ(io::encode_utf8(decoded), entry["text"].get<std::string>());
    EXPECT_EQ(io::encode_utf8(io::canonicalize_siglip_text(decoded)), entry["canonical"].get<std::string>());
  }
}

TEST(TokenizerUtf8, ReplacementCountsFollowMaximalSubparts) {
  int n = 0;
  EXPECT_EQ(io::decode_utf8("\xed\xa0\x80", &n), std::u32string(3, 0xFFFD));  // a surrogate: 3 subparts
  EXPECT_EQ(n, 3);
  EXPECT_EQ(io::decode_utf8("a\xe2\x82" "b", &n), U"a\uFFFDb");  // a truncated 3-byte sequence: one
  EXPECT_EQ(n, 1);
  EXPECT_EQ(io::decode_utf8("\xc0\xaf", &n), std::u32string(2, 0xFFFD));  // overlong '/'
  EXPECT_EQ(io::decode_utf8("\xf0\x9f\x98\x80", &n), U"\U0001F600");
  EXPECT_EQ(n, 0);
}

TEST(TokenizerRobustness, RandomBytesNeverCrashAndAlwaysFillMaxLength) {
  const json texts = read_json(case_dir("odd") / "texts.json");
  auto tok = open_case_tokenizer("odd", texts);
  ASSERT_NE(tok, nullptr);
  std::mt19937 rng(1234);
  int with_invalid = 0;
  for (int i = 0; i < 500; ++i) {
    std::string bytes(rng() % 200, '\0');
    for (char& b : bytes) b = static_cast<char>(rng() & 0xff);
    const TokenizedText t = tok->encode(bytes);
    ASSERT_EQ(static_cast<int>(t.ids.size()), tok->max_length());
    ASSERT_GE(t.num_tokens, 1);
    ASSERT_LE(t.num_tokens, tok->max_length());
    for (int id : t.ids) ASSERT_TRUE(id >= 0 && id < tok->vocab_size());
    with_invalid += t.num_invalid_utf8 > 0;
  }
  EXPECT_GT(with_invalid, 400);
}

// The header promises thread-safe encoding after construction: 4 threads on one tokenizer give the
// same ids as one thread.
TEST(TokenizerRobustness, ConcurrentEncodingGivesTheSameIds) {
  const json fuzz = read_json(std::filesystem::path(CXR_TEST_FIXTURES_DIR) / "parity" / "tokenizer_fuzz.json");
  auto tok = Tokenizer::open((case_dir("small") / "spiece.model").string(), fuzz["max_length"].get<int>());
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  std::vector<std::string> texts;
  for (const json& entry : fuzz["texts"]) texts.push_back(entry["text"]);
  const auto expected = (*tok)->encode_batch(texts);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < texts.size(); ++i)
          mismatches[t] += (*tok)->encode(texts[(i + 97 * t) % texts.size()]).ids != expected[(i + 97 * t) % texts.size()].ids;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(TokenizerRobustness, TruncationKeepsEosAndReportsDropped) {
  auto tok = Tokenizer::open((case_dir("small") / "spiece.model").string(), 8);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  const std::string note = "bilateral patchy opacities with consolidation in the right lower lobe";
  const std::vector<int> raw = (*tok)->encode_raw(note);
  ASSERT_GT(raw.size(), 8u);
  const TokenizedText t = (*tok)->encode(note);
  EXPECT_EQ(t.num_tokens, 8);
  EXPECT_EQ(t.num_dropped, static_cast<int>(raw.size()) - 7);
  EXPECT_EQ(t.ids.back(), 1);
  EXPECT_EQ(std::vector<int>(t.ids.begin(), t.ids.begin() + 7), std::vector<int>(raw.begin(), raw.begin() + 7));
  const TokenizedText empty = (*tok)->encode("");
  EXPECT_EQ(empty.num_tokens, 1);
  EXPECT_EQ(empty.ids, std::vector<int>(8, 1));
}

TEST(TokenizerErrors, BadFilesAndArgumentsAreClearErrors) {
  testing::ScratchDir dir;
  auto missing = Tokenizer::open((dir / "spiece.model").string(), 64);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  testing::write_bytes(dir / "garbage.model", "this is not a protobuf \x01\x02\x03");
  auto garbage = Tokenizer::open((dir / "garbage.model").string(), 64);
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.error().message, HasSubstr("garbage.model: not a valid SentencePiece model"));
  const std::string spiece = (case_dir("small") / "spiece.model").string();
  auto wrong_eos = Tokenizer::open(spiece, 64, 1, 2);
  ASSERT_FALSE(wrong_eos.ok());
  EXPECT_THAT(wrong_eos.error().message, HasSubstr("'</s>' has id 1, but eos_id is 2"));
  auto out_of_vocab = Tokenizer::open(spiece, 64, 5000, 1);
  ASSERT_FALSE(out_of_vocab.ok());
  EXPECT_THAT(out_of_vocab.error().message, HasSubstr("pad_id 5000 is outside the vocabulary (512 pieces)"));
  EXPECT_FALSE(Tokenizer::open(spiece, 0).ok());
}

}  // namespace
}  // namespace cxr::model
