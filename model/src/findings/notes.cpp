// Clinical notes -> evidence per finding (method: cxr/model/findings_notes.h, docs/findings.md).
#include "cxr/model/findings_notes.h"

#include "io/unicode_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

namespace cxr::model {
namespace {

// Length of a valid UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates,
// <= U+10FFFF), or 0 when the bytes there are not valid UTF-8.
std::size_t valid_utf8_length(std::string_view s, std::size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  uint32_t min = 0;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '\'' || c == '/' || u >= 0x80;
}

// Lower-case word tokens; ',' ':' ';' kept as their own tokens (scope terminators for negation).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : lower_ascii(text)) {
    if (is_word_char(c)) {
      cur.push_back(c);
      continue;
    }
    if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    if (c == ',' || c == ':' || c == ';') out.emplace_back(1, c);
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool is_non_ascii(const std::string& w) { return !w.empty() && static_cast<unsigned char>(w[0]) >= 0x80; }

bool starts_with_at(const std::vector<std::string>& words, std::size_t at, const std::vector<std::string>& phrase) {
  if (at + phrase.size() > words.size()) return false;
  for (std::size_t k = 0; k < phrase.size(); ++k) {
    const std::string& w = words[at + k];
    const std::string& p = phrase[k];
    const bool last = k + 1 == phrase.size();
    // The last word of a term also matches its simple plural ("effusion" ~ "effusions"). A Korean
    // (non-ASCII) last word matches as a prefix: particles and endings attach to the word itself
    // ("폐렴이", "흉수는"; the cue "없" matches "없음", "없고", "없다").
    if (w == p) continue;
    if (!last || w.size() <= p.size() || w.compare(0, p.size(), p) != 0) return false;  // no allocation
    const std::string_view rest = std::string_view(w).substr(p.size());
    if (!is_non_ascii(p) && rest != "s" && rest != "es") return false;
  }
  return true;
}

// Does any cue phrase occur in words[begin, end)?
bool has_cue(const std::vector<std::string>& words, std::size_t begin, std::size_t end,
             const std::vector<std::vector<std::string>>& cues) {
  for (std::size_t i = begin; i < end; ++i) {
    for (const auto& cue : cues) {
      if (i + cue.size() <= end && starts_with_at(words, i, cue)) return true;
    }
  }
  return false;
}

std::vector<std::vector<std::string>> phrases(std::initializer_list<const char*> list) {
  std::vector<std::vector<std::string>> out;
  for (const char* p : list) {
    auto w = words_of(p);
    if (!w.empty()) out.push_back(std::move(w));
  }
  return out;
}

// Korean puts negation after the term ("폐렴 소견 없음", "흉수는 보이지 않음", "기흉 음성"); the
// uncertainty cues ("의심", "가능성", "배제 필요", "감별") are checked first, as in English.
const auto& pre_negation_cues() {
  static const auto cues = phrases({"no", "not", "without", "denies", "denied", "deny", "negative for", "free of",
                                    "absence of", "absent", "ruled out", "rules out", "excluded", "never", "nor",
                                    "resolved", "resolution of", "clear of"});
  return cues;
}
const auto& post_negation_cues() {
  static const auto cues = phrases({"absent", "excluded", "ruled out", "resolved", "not seen", "not present",
                                    "not identified", "not visible", "not detected", "negative", "unlikely",
                                    "has resolved", "was excluded", "없", "않", "아니", "아님", "음성", "배제됨",
                                    "배제되었", "배제 됨", "소실"});
  return cues;
}
const auto& uncertainty_cues() {
  static const auto cues = phrases({"possible", "possibly", "probable", "questionable", "suspected", "suspicious",
                                    "suspect", "suspicion", "hypothesis", "may", "might", "cannot exclude", "cannot be excluded",
                                    "can't exclude", "rule out", "r/o", "concern for", "differential", "versus",
                                    "vs", "unlikely", "equivocal", "의심", "가능성", "배제 필요", "배제 요",
                                    "배제해야", "감별", "추정"});
  return cues;
}
bool is_terminator(const std::string& w) {
  static const std::set<std::string> t = {"but", "however", "although", "though", "except", "which", "who",
                                          "apart", "aside", "yet", "whereas", ":", ";", "하지만", "그러나",
                                          "반면", "반면에"};
  // Korean "있음/있고/있으며" affirms what precedes it and ends its scope: "폐렴 있고 흉수 없음".
  static const std::string present = "있";
  return t.count(w) > 0 || w.compare(0, present.size(), present) == 0;
}

// Start of the negation/uncertainty scope before position `at`: up to `window` words back,
// stopping after a terminator.
std::size_t scope_begin(const std::vector<std::string>& words, std::size_t at, std::size_t window) {
  std::size_t b = at;
  while (b > 0 && at - b < window && !is_terminator(words[b - 1])) --b;
  return b;
}
std::size_t scope_end(const std::vector<std::string>& words, std::size_t after, std::size_t window) {
  std::size_t e = after;
  while (e < words.size() && e - after < window && !is_terminator(words[e])) ++e;
  return e;
}

// Words that make a mention about a test of the disease rather than the disease itself, and the
// results that turn it back into a claim.
const auto& test_words() {
  static const auto cues = phrases({"test", "tests", "tested", "testing", "swab", "swabs", "pcr", "rt-pcr", "assay",
                                    "polymerase chain reaction", "antigen", "antibody", "antibodies", "serology",
                                    "culture", "cultures", "lavage", "washing", "screening", "screened", "검사"});
  return cues;
}
const auto& positive_results() {
  static const auto cues = phrases({"positive", "detected", "confirmed", "isolated", "grew", "grown", "growing",
                                    "양성", "확진"});
  return cues;
}
const auto& negative_results() {
  static const auto cues = phrases({"negative", "not detected", "undetectable", "음성"});
  return cues;
}
// Exposure words anywhere earlier in the chunk, or a place/group noun right after the term.
const auto& exposure_words() {
  static const auto cues = phrases({"contact", "contacts", "exposure", "exposed", "travel", "traveled", "travelled",
                                    "trip", "endemic", "epidemic", "pandemic", "outbreak", "quarantine", "접촉",
                                    "여행", "유행"});
  return cues;
}
const auto& group_nouns() {
  static const auto cues = phrases({"region", "regions", "area", "areas", "zone", "ward", "unit", "patients",
                                    "cases", "contacts", "pandemic", "epidemic", "outbreak", "endemic", "지역",
                                    "환자들", "병동"});
  return cues;
}
const auto& historical_cues() {
  // Not "past": "over the past week she developed influenza" is current.
  static const auto cues = phrases({"history of", "previous", "previously", "prior", "former", "treated for",
                                    "prophylaxis", "prophylactic", "vaccine", "vaccinated", "vaccination",
                                    "병력", "과거", "예방"});
  return cues;
}
// Not "secondary": "ARDS secondary to Legionella pneumonia" names the cause.
const auto& coexisting_cues() {
  static const auto cues = phrases({"superinfection", "super-infection", "superinfected", "co-infection",
                                    "coinfection", "superimposed", "중복감염"});
  return cues;
}

// The mention of a term at words[begin, end): negation, uncertainty and what it claims about the patient
// (TermMention in findings_notes.h).
TermMention read_mention(const std::vector<std::string>& words, std::size_t begin, std::size_t end, bool question) {
  TermMention m;
  m.mentioned = true;
  const std::size_t pre = scope_begin(words, begin, 8);
  const std::size_t post = scope_end(words, end, 4);
  m.uncertain = question || has_cue(words, pre, begin, uncertainty_cues()) ||
                has_cue(words, end, post, uncertainty_cues());
  // "cannot exclude X" / "can't rule out X" are uncertainty, not negation.
  m.negated = !m.uncertain && (has_cue(words, pre, begin, pre_negation_cues()) ||
                               has_cue(words, end, post, post_negation_cues()));
  static const auto unlikely = phrases({"unlikely"});
  if (has_cue(words, end, post, unlikely)) m.negated = true;
  m.historical = has_cue(words, pre, begin, historical_cues());
  m.coexisting = has_cue(words, pre, post, coexisting_cues());
  const bool test = has_cue(words, pre, begin, test_words()) || has_cue(words, end, post, test_words());
  const bool exposure = has_cue(words, 0, begin, exposure_words()) ||
                        has_cue(words, end, std::min(end + 2, words.size()), group_nouns());
  if (exposure) {
    m.weight = m.negated ? 0.0 : 0.5;
  } else if (test) {
    // A result often comes at the end of a longer phrase ("...for pneumocystis polymerase chain
    // reaction was negative"), so it is looked for further after the term than a negation cue.
    const std::size_t lo = scope_begin(words, begin, 4);
    const std::size_t hi = scope_end(words, end, 16);
    if (has_cue(words, lo, hi, negative_results())) {
      m.negated = true, m.uncertain = false;
    } else if (has_cue(words, lo, hi, positive_results())) {
      m.negated = false, m.uncertain = false;
    } else {
      m.weight = 0.0;  // a test without its result
    }
  }
  return m;
}

// Affirmed claims over denials over mentions without a claim.
int claim_rank(const TermMention& m) {
  if (!m.mentioned) return 0;
  if (m.weight <= 0) return 1;
  return m.negated ? 2 : 3;
}

// A sentence tokenised once, for all the term lists it is matched against.
struct ReadSentence {
  std::vector<std::string> words;
  bool question = false;
};
ReadSentence read_sentence(const std::string& sentence) {
  return {words_of(sentence), sentence.find('?') != std::string::npos};
}

// A term list tokenised once: (term, its words), empty terms dropped.
using TermWords = std::vector<std::pair<std::string, std::vector<std::string>>>;
TermWords tokenise_terms(const std::vector<std::string>& terms) {
  TermWords out;
  for (const auto& t : terms) {
    auto w = words_of(t);
    if (!w.empty()) out.emplace_back(t, std::move(w));
  }
  return out;
}

TermMention match_terms(const ReadSentence& s, const TermWords& terms) {
  TermMention result;
  for (const auto& [term, tw] : terms) {
    for (std::size_t i = 0; i + tw.size() <= s.words.size(); ++i) {
      if (!starts_with_at(s.words, i, tw)) continue;
      TermMention m = read_mention(s.words, i, i + tw.size(), s.question);
      m.term = term;
      if (!result.mentioned || claim_rank(m) > claim_rank(result)) result = m;
    }
  }
  return result;
}

// Words with at least one letter (any script): "109 ?" has none.
int lettered_words(const ReadSentence& s) {
  int n = 0;
  for (const auto& w : s.words) {
    n += std::any_of(w.begin(), w.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
  }
  return n;
}

// Every finding's terms and competing terms, tokenised once per scoring call.
struct FindingTermWords {
  TermWords terms, competing, specific;
};
std::vector<FindingTermWords> tokenise_prompt_terms(const PromptSet& prompts) {
  std::vector<FindingTermWords> out;
  for (const auto& f : prompts.findings) {
    out.push_back({tokenise_terms(f.terms), tokenise_terms(f.competing), tokenise_terms(f.specific_terms)});
  }
  return out;
}

// Does the chunk deny some finding other than `finding` ("No pleural effusion." for COVID-19)?
bool denies_another_finding(const std::vector<FindingTermWords>& vocab, int finding, const ReadSentence& s) {
  for (std::size_t o = 0; o < vocab.size(); ++o) {
    if (static_cast<int>(o) == finding) continue;
    const TermMention m = match_terms(s, vocab[o].terms);
    if (m.mentioned && m.negated) return true;
  }
  return false;
}

// An affirmed, current, sole competing diagnosis named in the chunk, or an empty mention.
TermMention competing_mention(const TermWords& competing, const ReadSentence& s) {
  const TermMention m = match_terms(s, competing);
  if (!m.mentioned || m.negated || m.weight <= 0 || m.historical || m.coexisting) return {};
  return m;
}

}  // namespace

std::string sanitize_note_text(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 8);
  std::size_t i = 0;
  if (raw.size() >= 3 && static_cast<unsigned char>(raw[0]) == 0xEF && static_cast<unsigned char>(raw[1]) == 0xBB &&
      static_cast<unsigned char>(raw[2]) == 0xBF) {
    i = 3;
  }
  while (i < raw.size()) {
    const char c = raw[i];
    if (c == '\r') {
      out.push_back('\n');
      i += (i + 1 < raw.size() && raw[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    uint32_t cp = 0;
    const std::size_t len = valid_utf8_length(raw, i, &cp);
    if (len == 0) {
      const char32_t latin1 = static_cast<unsigned char>(c);  // not UTF-8: read the byte as Latin-1
      out += io::encode_utf8(std::u32string_view(&latin1, 1));
      ++i;
      continue;
    }
    if (cp == 0xFEFF) {
      // a BOM in the middle (concatenated files): drop
    } else if (cp < 0x20 && c != '\n' && c != '\t') {
      out.push_back(' ');
    } else if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      out.push_back(' ');  // DEL and C1 controls
    } else {
      out.append(raw.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::vector<std::string> split_sentences(const std::string& text) {
  static const std::set<std::string> abbreviations = {"dr", "mr", "mrs", "ms", "e.g", "i.e", "eg", "ie", "approx",
                                                      "vs", "etc", "st", "fig", "pt", "hx", "b.i.d", "t.i.d",
                                                      "q.d", "mg", "ca", "sp", "resp"};
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&]() {
    const auto b = cur.find_first_not_of(" \t\n");
    if (b != std::string::npos) {
      const auto e = cur.find_last_not_of(" \t\n");
      out.push_back(cur.substr(b, e - b + 1));
    }
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      flush();
      continue;
    }
    cur.push_back(c == '\t' ? ' ' : c);
    if (c != '.' && c != '!' && c != '?' && c != ';') continue;
    const char next = i + 1 < text.size() ? text[i + 1] : ' ';
    if (c == '.') {
      const char prev = i > 0 ? text[i - 1] : ' ';
      if (std::isdigit(static_cast<unsigned char>(prev)) && std::isdigit(static_cast<unsigned char>(next))) continue;
      if (!std::isspace(static_cast<unsigned char>(next)) && next != '"' && next != ')') continue;  // "e.g.x"
      // The word before the period: an abbreviation does not end a sentence.
      std::size_t b = cur.size() - 1;
      while (b > 0 && !std::isspace(static_cast<unsigned char>(cur[b - 1]))) --b;
      std::string word = lower_ascii(cur.substr(b, cur.size() - 1 - b));
      while (!word.empty() && (word.front() == '(' || word.front() == '"')) word.erase(word.begin());
      if (abbreviations.count(word) || (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0])))) {
        continue;
      }
    }
    flush();
  }
  flush();
  return out;
}

std::vector<NoteChunk> chunk_notes(const std::vector<std::string>& sentences, int max_tokens,
                                   const std::function<int(const std::string&)>& count_tokens,
                                   std::vector<std::string>* warnings) {
  std::vector<NoteChunk> chunks;
  max_tokens = std::max(max_tokens, 4);
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    const std::string& sentence = sentences[s];
    if (count_tokens(sentence) <= max_tokens) {
      chunks.push_back({sentence, static_cast<int>(s), 0, 1});
      continue;
    }
    // Greedy word packing; a single word longer than the budget is hard-split by bytes at a UTF-8
    // boundary (never silently dropped).
    std::vector<std::string> parts;
    std::string cur;
    std::size_t pos = 0;
    while (pos < sentence.size()) {
      std::size_t e = sentence.find(' ', pos);
      if (e == std::string::npos) e = sentence.size();
      std::string word = sentence.substr(pos, e - pos);
      pos = e + 1;
      if (word.empty()) continue;
      const std::string candidate = cur.empty() ? word : cur + " " + word;
      if (count_tokens(candidate) <= max_tokens) {
        cur = candidate;
        continue;
      }
      if (!cur.empty()) parts.push_back(cur), cur.clear();
      while (count_tokens(word) > max_tokens && word.size() > 1) {
        std::size_t cut = word.size() / 2;
        while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
        if (cut == 0) break;
        std::string head = word.substr(0, cut);
        while (count_tokens(head) > max_tokens && cut > 1) {
          cut /= 2;
          while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
          head = word.substr(0, cut);
        }
        if (cut == 0) break;
        parts.push_back(head);
        word = word.substr(cut);
      }
      cur = word;
    }
    if (!cur.empty()) parts.push_back(cur);
    for (std::size_t p = 0; p < parts.size(); ++p) {
      chunks.push_back({parts[p], static_cast<int>(s), static_cast<int>(p), static_cast<int>(parts.size())});
    }
    if (warnings != nullptr) {
      std::string head = sentence.substr(0, 40);
      warnings->push_back("notes: sentence " + std::to_string(s + 1) + " (\"" + head + "...\") is longer than " +
                          std::to_string(max_tokens) + " tokens; split into " + std::to_string(parts.size()) +
                          " parts, each scored");
    }
  }
  return chunks;
}

TermMention find_mention(const std::string& sentence, const std::vector<std::string>& terms) {
  return match_terms(read_sentence(sentence), tokenise_terms(terms));
}

const std::vector<std::string>& neutral_note_sentences() {
  static const std::vector<std::string> sentences = {
      "The patient was seen in the outpatient clinic.",
      "Routine follow-up visit.",
      "Medications were reviewed with the patient.",
      "The patient is a 45-year-old man.",
      "She is a 62-year-old woman.",
      "He lives at home with his wife.",
      "Informed consent was obtained.",
      "The patient was discharged home.",
      "Laboratory tests were ordered.",
      "Vital signs were recorded by the nurse.",
      "History was obtained from the family.",
      "The patient works as a teacher.",
      "Appointment scheduled for next month.",
      "Allergies: none known.",
      "The child came with her mother.",
      "Transferred from another hospital for further care.",
  };
  return sentences;
}

NoteBaseline note_baseline(const PromptDirections& d, const std::vector<float>& neutral_embeds,
                           const NoteFusionParams& params) {
  NoteBaseline b;
  const std::size_t m = d.dim > 0 ? neutral_embeds.size() / d.dim : 0;
  for (std::size_t f = 0; f < d.positive.size(); ++f) {
    double sum = 0, sq = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const float* u = neutral_embeds.data() + i * d.dim;
      const double s = params.note_scale * (dot(u, d.positive[f].data(), d.dim) - dot(u, d.negative[f].data(), d.dim));
      sum += s;
      sq += s * s;
    }
    const double mean = m > 0 ? sum / m : 0;
    const double var = m > 1 ? std::max(0.0, (sq - m * mean * mean) / (m - 1)) : 1.0;
    b.mean.push_back(mean);
    b.sd.push_back(std::sqrt(var));
  }
  return b;
}

NotesScore score_notes(const PromptSet& prompts, const PromptDirections& d, int finding,
                       const std::vector<NoteChunk>& chunks, const std::vector<float>& chunk_embeds,
                       const NoteFusionParams& params, const NoteBaseline* baseline) {
  NotesScore score;
  const FindingDef& f = prompts.findings[finding];
  const int dim = d.dim;
  double strongest_for = 0, strongest_against = 0;
  if (chunk_embeds.size() != chunks.size() * static_cast<std::size_t>(dim)) return score;
  const std::vector<FindingTermWords> vocab = tokenise_prompt_terms(prompts);
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const ReadSentence sentence = read_sentence(chunks[c].text);
    const float* u = chunk_embeds.data() + c * dim;
    const double semantic = params.note_scale * (dot(u, d.positive[finding].data(), dim) -
                                                 dot(u, d.negative[finding].data(), dim));
    double relevance = -1;
    for (std::size_t k = 0; k < d.phrasing_embeds.size(); ++k) {
      if (d.phrasing_finding[k] == finding) relevance = std::max(relevance, dot(u, d.phrasing_embeds[k].data(), dim));
    }
    double weighted = 0;  // semantic evidence after relevance / null-distribution gating
    if (baseline != nullptr && static_cast<std::size_t>(finding) < baseline->mean.size()) {
      const double z = (semantic - baseline->mean[finding]) / std::max(baseline->sd[finding], 1e-6);
      const double beyond = std::max(0.0, std::abs(z) - params.z_threshold);
      weighted = (z >= 0 ? 1.0 : -1.0) * params.semantic_weight * beyond;
    } else {
      weighted = semantic * std::clamp((relevance - params.relevance_lo) / (params.relevance_hi - params.relevance_lo),
                                       0.0, 1.0);
    }
    TermMention mention = match_terms(sentence, vocab[finding].terms);
    // A specific cause or form counts when affirmed; its denial is no statement about the finding.
    if (!mention.mentioned || mention.negated || mention.weight <= 0) {
      TermMention specific = match_terms(sentence, vocab[finding].specific);
      if (specific.mentioned && specific.negated) specific.weight = 0;
      if (specific.mentioned && claim_rank(specific) > claim_rank(mention)) mention = specific;
    }
    // Denying a parent denies the child ("no pneumonia" lowers bacterial pneumonia too).
    for (const auto& parent_id : f.parents) {
      const int p = prompts.index_of(parent_id);
      if (p < 0) continue;
      const TermMention pm = match_terms(sentence, vocab[p].terms);
      if (pm.mentioned && pm.negated && !(mention.mentioned && !mention.negated)) mention = pm;
    }
    // "No finding" is contradicted by a note that affirms any other finding ("impression: pneumonia").
    if (f.excluded_by_other_findings && !mention.mentioned) {
      for (std::size_t o = 0; o < prompts.findings.size(); ++o) {
        if (prompts.findings[o].excluded_by_other_findings) continue;
        TermMention om = match_terms(sentence, vocab[o].terms);
        if (!om.mentioned || om.negated) om = match_terms(sentence, vocab[o].specific);
        if (om.mentioned && !om.negated && om.weight > 0) {
          mention = om;
          mention.negated = true;  // an affirmed other finding reads as a denial of "no finding"
          break;
        }
      }
    }
    double delta = 0;
    std::string competing;
    bool uncertain = mention.uncertain;
    if (mention.mentioned && mention.weight > 0 && !mention.negated) {
      delta = std::max(weighted, params.term_evidence * mention.weight);
    } else if (mention.mentioned && mention.weight > 0) {
      delta = std::min(weighted, -params.term_evidence * mention.weight);
    } else if (mention.mentioned) {
      // Named without a claim about the patient (a test without its result, a denied contact): the
      // text tower would read the disease's name as a claim, so no evidence at all.
    } else if (const TermMention alt = competing_mention(vocab[finding].competing, sentence); alt.mentioned) {
      delta = std::min(weighted, -params.competing_evidence * alt.weight);
      competing = alt.term;
      uncertain = alt.uncertain;
    } else if (lettered_words(sentence) >= 2 && !denies_another_finding(vocab, finding, sentence)) {
      delta = weighted;
    }
    // else: no semantic evidence. A sentence that denies another finding embeds like the "normal /
    // no disease" phrasings and would lower every finding ("No pleural effusion." took 0.9 log-odds off
    // COVID-19); a chunk without two real words ("109 ?") is not a statement.
    if (uncertain) delta *= 0.5;
    delta = std::clamp(delta, -params.max_per_chunk, params.max_per_chunk);
    strongest_for = std::max(strongest_for, delta);
    strongest_against = std::min(strongest_against, delta);
    if (std::abs(delta) >= params.min_reported) {
      score.evidence.push_back({static_cast<int>(c), delta, mention.mentioned && mention.negated, competing});
    }
  }
  // Strongest supporting plus strongest opposing sentence: long notes full of weakly related
  // sentences do not accumulate noise, and a statement and its denial cancel.
  score.logit = std::clamp(strongest_for + strongest_against, -params.max_total, params.max_total);
  std::sort(score.evidence.begin(), score.evidence.end(),
            [](const ChunkEvidence& a, const ChunkEvidence& b) { return std::abs(a.delta) > std::abs(b.delta); });
  return score;
}

}  // namespace cxr::model
