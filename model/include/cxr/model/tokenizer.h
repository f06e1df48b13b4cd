// SigLIP text tokenizer over SentencePiece (spiece.model), matching Hugging Face's
// SiglipTokenizer (transformers 5.x, tokenization_siglip.py) with its defaults: lower-cased
// (do_lower_case=True, Python's full Unicode str.lower), ASCII punctuation removed and whitespace
// collapsed as canonicalize_text does, literal "</s>" / "<unk>" in the text kept as special tokens,
// EOS appended, truncated to max_length (keeping EOS), padded with pad_id to max_length.
// Input is UTF-8; invalid byte sequences are replaced by U+FFFD (as Python's errors="replace") and
// counted in num_invalid_utf8, never a crash.
#pragma once

#include "cxr/result.h"

#include <memory>
#include <string>
#include <vector>

namespace cxr::model {

struct TokenizedText {
  std::vector<int> ids;        // exactly max_length ids: tokens, EOS, then padding
  int num_tokens = 0;          // tokens + EOS before padding (after truncation)
  int num_dropped = 0;         // tokens that did not fit; > 0 means the text was truncated
  int num_invalid_utf8 = 0;    // invalid UTF-8 sequences replaced by U+FFFD before tokenizing
  bool truncated() const { return num_dropped > 0; }
};

// Thread-safe after construction (SentencePiece processors are read-only when encoding).
class Tokenizer {
 public:
  // spiece_path: the spiece.model file. Error names the file and the cause.
  static Result<std::shared_ptr<const Tokenizer>> open(const std::string& spiece_path, int max_length,
                                                       int pad_id = 1, int eos_id = 1);
  // Never truncates silently: num_dropped reports what was cut, callers split long notes.
  // Any byte string is accepted (invalid UTF-8 is replaced and counted); throws cxr::Exception only if
  // SentencePiece itself fails, which a successfully opened model does not do.
  TokenizedText encode(const std::string& utf8_text) const;
  std::vector<TokenizedText> encode_batch(const std::vector<std::string>& texts) const;
  // Token pieces without EOS/padding (for counting before splitting).
  std::vector<int> encode_raw(const std::string& utf8_text) const;
  int max_length() const;
  int vocab_size() const;

  ~Tokenizer();
  struct Impl;

 private:
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxr::model
