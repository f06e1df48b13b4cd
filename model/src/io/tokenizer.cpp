// SigLIP tokenizer: a C++ transcription of transformers' SiglipTokenizer (tokenization_siglip.py) on top of
// its base classes (tokenization_python.py PythonBackend.tokenize, tokenization_utils_base truncation and
// padding), step for step, so ids match Hugging Face's exactly:
//   1. tokenize():   text = "▁" + text.replace("▁", " ")
//   2.               split on the added tokens "</s>" and "<unk>" (trie split); their AddedTokens have
//                    lstrip/rstrip, so whitespace next to them is stripped from the neighbouring chunks
//   3. _tokenize():  per chunk: canonicalize_text (lower, drop string.punctuation, "\s+" -> " ", strip),
//                    then SentencePiece-encode "<unk>" + chunk and drop the pieces "<unk>" alone encodes to
//   4.               if the pieces start ["▁", <special>], drop the "▁"
//   5. pieces -> ids (PieceToId; unknown pieces -> unk id)
//   6. truncation (longest_first, one sequence): keep max_length - 1 tokens, then EOS unless the kept
//      tokens already end with EOS (build_inputs_with_special_tokens); pad right with pad_id.
#include "cxr/model/tokenizer.h"

#include "io/unicode_text.h"

#include <sentencepiece_processor.h>

#include <filesystem>

namespace cxr::model {
namespace {

constexpr char32_t kSpieceUnderline = 0x2581;  // "▁"
const std::u32string kEosToken = U"</s>";
const std::u32string kUnkToken = U"<unk>";

struct Chunk {
  std::u32string text;
  bool special = false;  // an added token ("</s>" or "<unk>")
};

// PythonBackend.tokenize: tokens_trie.split, then lstrip/rstrip of the neighbours of each added token.
std::vector<Chunk> split_on_added_tokens(const std::u32string& text) {
  std::vector<Chunk> chunks;
  std::u32string current;
  for (std::size_t i = 0; i < text.size();) {
    const std::u32string* match = nullptr;
    for (const std::u32string* token : {&kEosToken, &kUnkToken})
      if (text.compare(i, token->size(), *token) == 0) match = token;
    if (match == nullptr) {
      current.push_back(text[i++]);
      continue;
    }
    chunks.push_back({std::move(current), false});
    current.clear();
    chunks.push_back({*match, true});
    i += match->size();
  }
  chunks.push_back({std::move(current), false});
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (!chunks[i].special) continue;
    if (i + 1 < chunks.size() && !chunks[i + 1].special) {  // rstrip=True: right.lstrip()
      std::u32string& right = chunks[i + 1].text;
      std::size_t k = 0;
      while (k < right.size() && io::python_isspace(right[k])) ++k;
      right.erase(0, k);
    }
    if (i > 0 && !chunks[i - 1].special) {  // lstrip=True: left.rstrip()
      std::u32string& left = chunks[i - 1].text;
      while (!left.empty() && io::python_isspace(left.back())) left.pop_back();
    }
  }
  return chunks;
}

}  // namespace

struct Tokenizer::Impl {
  sentencepiece::SentencePieceProcessor sp;
  std::string path;
  int max_length = 64;
  int pad_id = 1;
  int eos_id = 1;
  int unk_id = 2;
  std::size_t unk_prefix_pieces = 0;  // len(sp.encode("<unk>")): HF's unk_token_length

  // SiglipTokenizer._tokenize for one chunk that is not an added token.
  void append_chunk_pieces(const std::u32string& chunk, std::vector<std::string>* pieces) const {
    const std::string text = "<unk>" + io::encode_utf8(io::canonicalize_siglip_text(chunk));
    std::vector<std::string> encoded;
    const auto status = sp.Encode(text, &encoded);
    if (!status.ok()) throw Exception(ErrorCode::kInternal, path + ": SentencePiece failed: " + status.ToString());
    const std::size_t skip = encoded.size() >= unk_prefix_pieces ? unk_prefix_pieces : 0;
    pieces->insert(pieces->end(), encoded.begin() + static_cast<std::ptrdiff_t>(skip), encoded.end());
  }

  // Steps 1-5 of the file comment: ids without EOS, truncation or padding.
  std::vector<int> raw_ids(const std::u32string& text) const {
    std::u32string prefixed(1, kSpieceUnderline);
    for (char32_t c : text) prefixed.push_back(c == kSpieceUnderline ? U' ' : c);

    std::vector<std::string> pieces;
    std::vector<int> special_ids;  // -1 for ordinary pieces, else the added token's id
    for (const Chunk& chunk : split_on_added_tokens(prefixed)) {
      if (chunk.text.empty()) continue;
      if (chunk.special) {
        pieces.push_back(io::encode_utf8(chunk.text));
        special_ids.push_back(chunk.text == kEosToken ? eos_id : unk_id);
        continue;
      }
      append_chunk_pieces(chunk.text, &pieces);
      special_ids.resize(pieces.size(), -1);
    }
    std::size_t start = 0;
    if (pieces.size() > 1 && pieces[0] == "\xE2\x96\x81" && special_ids[1] >= 0) start = 1;

    std::vector<int> ids;
    ids.reserve(pieces.size() - start);
    for (std::size_t i = start; i < pieces.size(); ++i)
      ids.push_back(special_ids[i] >= 0 ? special_ids[i] : sp.PieceToId(pieces[i]));
    return ids;
  }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

Result<std::shared_ptr<const Tokenizer>> Tokenizer::open(const std::string& spiece_path, int max_length, int pad_id,
                                                         int eos_id) {
  return capture([&]() -> std::shared_ptr<const Tokenizer> {
    if (max_length < 1 || max_length > (1 << 20))
      throw Exception(ErrorCode::kInvalidArgument, "tokenizer max_length must be in [1, 2^20], got " +
                                                       std::to_string(max_length));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(spiece_path, ec))
      throw Exception(ErrorCode::kNotFound, spiece_path + ": no such file; expected the model's spiece.model");
    auto impl = std::make_unique<Impl>();
    impl->path = spiece_path;
    const auto status = impl->sp.Load(spiece_path);
    if (!status.ok())
      throw Exception(ErrorCode::kCorruptData, spiece_path + ": not a valid SentencePiece model (" +
                                                   status.ToString() + ")");
    const int vocab = impl->sp.GetPieceSize();
    for (const auto& [what, id] : {std::pair<const char*, int>{"pad_id", pad_id}, {"eos_id", eos_id}})
      if (id < 0 || id >= vocab)
        throw Exception(ErrorCode::kInvalidArgument, spiece_path + ": " + what + " " + std::to_string(id) +
                                                         " is outside the vocabulary (" + std::to_string(vocab) + " pieces)");
    if (impl->sp.PieceToId("</s>") != eos_id)
      throw Exception(ErrorCode::kCorruptData, spiece_path + ": '</s>' has id " +
                                                   std::to_string(impl->sp.PieceToId("</s>")) + ", but eos_id is " +
                                                   std::to_string(eos_id) + "; the tokenizer does not belong to this model");
    impl->max_length = max_length;
    impl->pad_id = pad_id;
    impl->eos_id = eos_id;
    impl->unk_id = impl->sp.PieceToId("<unk>");
    std::vector<std::string> unk_pieces;
    if (!impl->sp.Encode("<unk>", &unk_pieces).ok())
      throw Exception(ErrorCode::kCorruptData, spiece_path + ": cannot encode with this SentencePiece model");
    impl->unk_prefix_pieces = unk_pieces.size();
    return std::shared_ptr<const Tokenizer>(new Tokenizer(std::move(impl)));
  });
}

TokenizedText Tokenizer::encode(const std::string& utf8_text) const {
  TokenizedText out;
  const std::u32string text = io::decode_utf8(utf8_text, &out.num_invalid_utf8);
  std::vector<int> ids = impl_->raw_ids(text);
  const std::size_t max_length = static_cast<std::size_t>(impl_->max_length);
  if (ids.size() + 1 > max_length) {  // room for EOS
    const std::size_t keep = max_length - 1;
    out.num_dropped = static_cast<int>(ids.size() - keep);
    ids.resize(keep);
  }
  if (ids.empty() || ids.back() != impl_->eos_id) ids.push_back(impl_->eos_id);
  out.num_tokens = static_cast<int>(ids.size());
  ids.resize(max_length, impl_->pad_id);
  out.ids = std::move(ids);
  return out;
}

std::vector<TokenizedText> Tokenizer::encode_batch(const std::vector<std::string>& texts) const {
  std::vector<TokenizedText> out;
  out.reserve(texts.size());
  for (const std::string& t : texts) out.push_back(encode(t));
  return out;
}

std::vector<int> Tokenizer::encode_raw(const std::string& utf8_text) const {
  return impl_->raw_ids(io::decode_utf8(utf8_text));
}

int Tokenizer::max_length() const { return impl_->max_length; }
int Tokenizer::vocab_size() const { return impl_->sp.GetPieceSize(); }

}  // namespace cxr::model
