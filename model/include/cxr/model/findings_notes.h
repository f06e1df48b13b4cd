// cxr/model/findings_notes.h — clinical notes as evidence for findings (docs/findings.md, "Notes").
//
// Pipeline: sanitize (BOM, CRLF, invalid UTF-8 read as Latin-1, control characters) -> sentences
// (split on . ! ? ; and line breaks, not inside decimals/abbreviations) -> chunks (a sentence longer
// than the text tower's token budget is split at word boundaries into several chunks; nothing is cut
// silently, each split is reported) -> each chunk encoded by the text tower -> per finding:
//   * semantic evidence  s = note_scale * (<u, P_f> - <u, N_f>)  (u: unit chunk embedding). Text
//     embeddings of a SigLIP model crowd into a narrow cone, so raw s is biased and noisy for any
//     sentence; it is therefore read against a null distribution: the mean/sd of s over neutral
//     sentences ("Medications were reviewed.", ...) encoded by the same model (NoteBaseline).
//     z = (s - mean_f) / sd_f; evidence = sign(z) * semantic_weight * max(0, |z| - z_threshold):
//     only sentences far outside what neutral text scores count. (Without a baseline — unit tests —
//     s is weighted by relevance w = clamp((r - r_lo) / (r_hi - r_lo), 0, 1), r = max cosine
//     between u and any single phrasing of f.)
//   * lexical evidence when the chunk names the finding (FindingDef::terms, or a parent's terms when
//     denied): affirmed -> max(s, +term_evidence); denied (NegEx-style cue in scope) ->
//     min(s, -term_evidence); uncertainty cues ("possible", "cannot exclude", "?") halve it. A mention
//     that makes no claim about the patient (TermMention::weight 0) gives no evidence at all.
//   * competing diagnoses (FindingDef::competing): a chunk that does not name the finding but affirms
//     a diagnosis that would explain the picture instead ("SARS in a 73-year-old woman", "Legionella
//     antigen was positive" for COVID-19) -> min(s, -competing_evidence), halved when uncertain;
//     denied, historical ("history of tuberculosis") or coexisting ("bacterial superinfection")
//     mentions do not compete.
// notes_logit_f = clamp(max(0, strongest chunk for) + min(0, strongest chunk against), +-max_total):
// log-odds added to the image's. Not a sum: many weakly related sentences in a long history must not
// add up to a strong claim, and a stated and a denied mention cancel.
//
// Thread-safety: pure functions.
#pragma once

#include "cxr/model/findings.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cxr::model {

class Tokenizer;

// Valid UTF-8 out, whatever comes in: strips a UTF-8 BOM, CRLF/CR -> LF, bytes that are not valid
// UTF-8 are decoded as Latin-1 (so "fi\xE8vre" becomes "fièvre"), other C0 controls -> space.
std::string sanitize_note_text(std::string_view raw);

// Sentences of sanitized text, trimmed, empty ones dropped. Splits after . ! ? ; or a line break,
// except in decimals ("38.5"), and after common abbreviations ("e.g.", "Dr.", "approx.").
std::vector<std::string> split_sentences(const std::string& text);

struct NoteChunk {
  std::string text;
  int sentence = 0;  // index of the sentence it came from
  int part = 0;      // 0-based part within the sentence
  int parts = 1;     // how many chunks the sentence was split into
};

// Sentences split into chunks of at most max_tokens tokens (as counted by count_tokens). Each
// sentence split in several parts adds a warning "notes: sentence N (\"first words...\") split into K parts".
// count_tokens: returns the token count of a string (e.g. Tokenizer::encode_raw(...).size()).
std::vector<NoteChunk> chunk_notes(const std::vector<std::string>& sentences, int max_tokens,
                                   const std::function<int(const std::string&)>& count_tokens,
                                   std::vector<std::string>* warnings);

// Does the sentence name one of terms, and is that mention negated / uncertain? Word-boundary,
// case-insensitive match. Negation: a pre-cue ("no", "not", "without", "denies", "negative for",
// "free of", "absence of", "no evidence of", "ruled out", "resolved"...) up to 8 words before the term
// with no scope terminator ("but", "however", "although", "except", "which", ":") in between, or a
// post-cue ("is absent", "was ruled out", "not seen", "resolved", "excluded") up to 4 words after.
// Korean: terms and cues match as word prefixes (particles attach: "폐렴이", "없음"/"없고"); negation
// follows the term ("폐렴 소견 없음", "흉수는 보이지 않음", "기흉 음성", "배제됨"), uncertainty too
// ("폐렴 의심", "가능성", "배제 필요"); "있음/있고" and "하지만/그러나" end a scope.
//
// What the mention says about *this patient* (weight): a clinical narrative names a disease in many
// roles besides a diagnosis.
//   * A test: with a test word in scope ("test", "tested", "swab", "PCR", "antigen", "culture"...) the
//     result decides: "tested positive for", "PCR ... confirmed" -> affirmed; "negative", "not
//     detected" -> negated; no result ("no coronavirus test was performed", "not tested for") ->
//     weight 0 (no claim either way; the negation there is of the test, not of the disease).
//   * An exposure: an exposure word earlier in the chunk ("contact", "travel", "exposure", "endemic",
//     "outbreak") or a place/group noun right after the term ("COVID-19 region", "... ward",
//     "... patients") -> weight 0.5 when affirmed (an epidemiological link is weaker than a diagnosis),
//     0 when denied ("denies contact with COVID-19 patients" does not deny COVID-19).
//   * historical: "history of", "previous", "prior", "treated for", "prophylaxis for" before it in scope
//     (not the current diagnosis).
//   * coexisting: "superinfection", "co-infection", "superimposed" near it (it adds to, not replaces,
//     another diagnosis).
// When a term occurs several times the strongest claim wins: affirmed over negated over no claim.
struct TermMention {
  bool mentioned = false;
  bool negated = false;
  bool uncertain = false;
  double weight = 1.0;      // 1 a statement about the patient; 0.5 an exposure; 0 no claim (see above)
  bool historical = false;
  bool coexisting = false;
  std::string term;  // the matched term
};
TermMention find_mention(const std::string& sentence, const std::vector<std::string>& terms);

struct NoteFusionParams {
  double note_scale = 10.0;      // semantic evidence = note_scale * cosine difference
  double relevance_lo = 0.45;    // r below: weight 0
  double relevance_hi = 0.75;    // r above: weight 1
  double term_evidence = 2.0;    // minimum |evidence| when the chunk names (or denies) the finding
  double competing_evidence = 2.0;  // evidence against when the chunk affirms a competing diagnosis
  double max_per_chunk = 4.0;    // |evidence| cap per chunk
  double max_total = 4.0;        // |notes logit| cap per finding
  double min_reported = 0.05;    // evidence below this is not listed
  double z_threshold = 2.0;      // with a baseline: |z| below this is noise
  double semantic_weight = 0.5;  // with a baseline: log-odds per sd beyond the threshold
};

// Per finding, mean and sd of the semantic evidence of neutral sentences (see above).
struct NoteBaseline {
  std::vector<double> mean, sd;  // (F)
};
// Administrative / demographic sentences with no radiological content, in the style of notes.
const std::vector<std::string>& neutral_note_sentences();
// neutral_embeds: (M, D) unit rows of neutral_note_sentences() encoded by the model.
NoteBaseline note_baseline(const PromptDirections& directions, const std::vector<float>& neutral_embeds,
                           const NoteFusionParams& params = {});

struct ChunkEvidence {
  int chunk = 0;        // index into the chunks
  double delta = 0;     // log-odds contributed
  bool negated = false;
  std::string competing;  // the competing diagnosis the chunk names (its term), when that moved it
};

struct NotesScore {
  double logit = 0;
  std::vector<ChunkEvidence> evidence;  // |delta| >= min_reported, strongest first
};

// chunk_embeds: (C, D) unit rows, one per chunk, in chunk order.
NotesScore score_notes(const PromptSet& prompts, const PromptDirections& directions, int finding,
                       const std::vector<NoteChunk>& chunks, const std::vector<float>& chunk_embeds,
                       const NoteFusionParams& params = {}, const NoteBaseline* baseline = nullptr);

}  // namespace cxr::model
