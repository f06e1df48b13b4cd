// libFuzzer entry point: any bytes as a clinical note, through the whole notes reader with the shipped
// prompt set: sanitize -> sentences -> chunks (a tiny token budget, so long sentences are split) ->
// score_notes for every finding (negation, tests, exposures, competing diagnoses). Must never crash,
// hang or read out of bounds; the scores must stay finite and within the caps.
#include "cxr/model/findings.h"
#include "cxr/model/findings_notes.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

using namespace cxr::model;

constexpr int kDim = 8;

struct Fixture {
  PromptSet prompts;
  PromptDirections directions;
};

// The shipped prompt set with synthetic phrasing embeddings (one axis per phrasing, cycling), loaded
// once per fuzzing process.
const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    auto set = load_prompt_set(std::string(CXR_SOURCE_DIR) + "/resources/prompts/default.json");
    if (!set.ok()) std::abort();
    x.prompts = set.value();
    std::size_t phrasings = 0;
    for (const auto& finding : x.prompts.findings) phrasings += finding.positive.size() + finding.negative.size();
    std::vector<float> embeds(phrasings * kDim, 0.0f);
    for (std::size_t k = 0; k < phrasings; ++k) embeds[k * kDim + k % kDim] = 1.0f;
    auto d = directions_from_embeddings(x.prompts, embeds, kDim, 10.0f);
    if (!d.ok()) std::abort();
    x.directions = d.value();
    return x;
  }();
  return f;
}

// A token count stand-in: one token per 4 bytes, at least one.
int count_tokens(const std::string& s) { return static_cast<int>(s.size() / 4 + 1); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& f = fixture();
  const std::string text = sanitize_note_text(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<std::string> warnings;
  const auto chunks = chunk_notes(split_sentences(text), 16, count_tokens, &warnings);
  // Chunk embeddings from the input bytes, so the semantic path is exercised too.
  std::vector<float> embeds(chunks.size() * kDim, 0.0f);
  for (std::size_t i = 0; i < embeds.size() && size > 0; ++i) embeds[i] = (data[i % size] - 128) / 128.0f;
  const NoteFusionParams params;
  for (std::size_t finding = 0; finding < f.prompts.findings.size(); ++finding) {
    const NotesScore s = score_notes(f.prompts, f.directions, static_cast<int>(finding), chunks, embeds, params);
    if (!std::isfinite(s.logit) || std::abs(s.logit) > params.max_total + 1e-9) std::abort();
    for (const auto& e : s.evidence) {
      if (e.chunk < 0 || static_cast<std::size_t>(e.chunk) >= chunks.size()) std::abort();
    }
  }
  return 0;
}
