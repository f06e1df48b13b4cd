#include "io/unicode_text.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace cxr::model::io {
namespace {

struct LowerSimple {
  char32_t from, to;
};
struct LowerMulti {
  char32_t from;
  char32_t to[3];
  int count;
};
struct CodeRange {
  char32_t lo, hi;  // inclusive
};

#include "io/unicode_tables.inc"

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kCapitalSigma = 0x03A3, kSmallSigma = 0x03C3, kFinalSigma = 0x03C2;

bool in_ranges(const CodeRange* begin, const CodeRange* end, char32_t c) {
  auto it = std::upper_bound(begin, end, c, [](char32_t v, const CodeRange& r) { return v < r.lo; });
  return it != begin && c <= std::prev(it)->hi;
}
bool case_ignorable(char32_t c) { return in_ranges(std::begin(kCaseIgnorable), std::end(kCaseIgnorable), c); }
bool cased(char32_t c) { return in_ranges(std::begin(kCased), std::end(kCased), c); }

// CPython's handle_capital_sigma: final when preceded by a cased letter and not followed by one
// (case-ignorable code points skipped on both sides).
char32_t lower_sigma(std::u32string_view text, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && case_ignorable(text[j - 1])) --j;
  if (j == 0 || !cased(text[j - 1])) return kSmallSigma;
  std::size_t k = i + 1;
  while (k < text.size() && case_ignorable(text[k])) ++k;
  return (k == text.size() || !cased(text[k])) ? kFinalSigma : kSmallSigma;
}

// Second-byte bounds per lead byte (Unicode Table 3-7, well-formed UTF-8 byte sequences).
struct LeadInfo {
  int length;
  uint8_t lo, hi;
};
LeadInfo lead_info(uint8_t b) {
  if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return {3, 0x80, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

}  // namespace

std::u32string decode_utf8(std::string_view bytes, int* num_invalid) {
  std::u32string out;
  out.reserve(bytes.size());
  int invalid = 0;
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    const uint8_t b = static_cast<uint8_t>(bytes[i]);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    const LeadInfo lead = lead_info(b);
    std::size_t valid = 1;  // bytes of the sequence seen so far that can still be part of it
    if (lead.length > 0) {
      char32_t cp = b & (0xFF >> (lead.length + 1));
      for (int k = 1; k < lead.length && i + k < n; ++k) {
        const uint8_t c = static_cast<uint8_t>(bytes[i + k]);
        const uint8_t lo = k == 1 ? lead.lo : 0x80, hi = k == 1 ? lead.hi : 0xBF;
        if (c < lo || c > hi) break;
        cp = (cp << 6) | (c & 0x3F);
        ++valid;
      }
      if (static_cast<int>(valid) == lead.length) {
        out.push_back(cp);
        i += valid;
        continue;
      }
    }
    out.push_back(kReplacement);  // one U+FFFD per maximal invalid subpart
    ++invalid;
    i += valid;
  }
  if (num_invalid != nullptr) *num_invalid = invalid;
  return out;
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::u32string python_lower(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    if (c == kCapitalSigma) {
      out.push_back(lower_sigma(text, i));
      continue;
    }
    auto s = std::lower_bound(std::begin(kLowerSimple), std::end(kLowerSimple), c,
                              [](const LowerSimple& e, char32_t v) { return e.from < v; });
    if (s != std::end(kLowerSimple) && s->from == c) {
      out.push_back(s->to);
      continue;
    }
    auto m = std::lower_bound(std::begin(kLowerMulti), std::end(kLowerMulti), c,
                              [](const LowerMulti& e, char32_t v) { return e.from < v; });
    if (m != std::end(kLowerMulti) && m->from == c) {
      out.append(m->to, m->to + m->count);
      continue;
    }
    out.push_back(c);
  }
  return out;
}

bool python_isspace(char32_t c) {
  return std::binary_search(std::begin(kWhitespace), std::end(kWhitespace), c);
}

bool is_ascii_punctuation(char32_t c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

std::u32string canonicalize_siglip_text(std::u32string_view text) {
  const std::u32string lowered = python_lower(text);
  std::u32string out;
  out.reserve(lowered.size());
  bool in_space = false;
  for (char32_t c : lowered) {
    if (is_ascii_punctuation(c)) continue;  // removed before whitespace is collapsed
    if (python_isspace(c)) {
      if (!in_space) out.push_back(U' ');
      in_space = true;
      continue;
    }
    in_space = false;
    out.push_back(c);
  }
  const std::size_t first = out.find_first_not_of(U' ');
  if (first == std::u32string::npos) return {};
  return out.substr(first, out.find_last_not_of(U' ') - first + 1);
}

}  // namespace cxr::model::io
