// Unicode helpers that reproduce Python's str semantics, for the Hugging Face-compatible tokenizer.
// Private to model/src/io. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cxr::model::io {

// Decodes UTF-8 like Python's bytes.decode("utf-8", errors="replace"): each maximal invalid subsequence
// (Unicode 15 §3.9, "U+FFFD substitution of maximal subparts") becomes one U+FFFD. Surrogates and overlong
// forms are invalid. *num_invalid (if given) receives how many replacements were made.
std::u32string decode_utf8(std::string_view bytes, int* num_invalid = nullptr);
std::string encode_utf8(std::u32string_view text);

// Python's str.lower(): full case mapping (U+0130 -> "i̇") and the Final_Sigma rule for U+03A3.
std::u32string python_lower(std::u32string_view text);
// Python's str.isspace() for one code point (the set re's \s and str.strip() use).
bool python_isspace(char32_t c);
// string.punctuation: the 32 ASCII punctuation characters.
bool is_ascii_punctuation(char32_t c);

// Hugging Face SiglipTokenizer.canonicalize_text (do_lower_case=True): str.lower(), drop string.punctuation,
// re.sub(r"\s+", " "), strip().
std::u32string canonicalize_siglip_text(std::u32string_view text);

}  // namespace cxr::model::io
