// SigLIP text tokenizer over SentencePiece (spiece.model), matching Hugging Face's
// SiglipTokenizer: lower-casing off, punctuation stripped and whitespace collapsed as HF's
// canonicalize_text does, EOS appended, padded with pad_id to the model's text length.
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
  bool truncated() const { return num_dropped > 0; }
};

// Thread-safe after construction (SentencePiece processors are read-only when encoding).
class Tokenizer {
 public:
  // spiece_path: the spiece.model file. Error names the file and the cause.
  static Result<std::shared_ptr<const Tokenizer>> open(const std::string& spiece_path, int max_length,
                                                       int pad_id = 1, int eos_id = 1);
  // Never truncates silently: num_dropped reports what was cut, callers split long notes.
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
