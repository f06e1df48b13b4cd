// cxr/model/findings.h — findings as data (a prompt set) and their zero-shot image scores.
//
// A prompt set (resources/prompts/default.json, schema "cxr-prompt-set/1", docs/findings.md) lists
// findings, each with display names, a coded concept, positive and negative phrasings, note terms.
//
// Zero-shot score (prompt ensembling): for finding f, P_f = normalise(mean_k normalise(text(pos_k))),
// N_f = normalise(mean_k normalise(text(neg_k))). For a unit image embedding x,
//   image_logit_f(x) = logit_scale * (<x, P_f> - <x, N_f>),
// i.e. the log-odds of a two-way softmax between the positive and negative ensembles (the SigLIP
// bias cancels). probability = sigmoid(image_logit).
//
// Thread-safety: all types are plain values; functions are pure/reentrant.
#pragma once

#include "cxr/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cxr::model {

class SiglipModel;

struct CodedConcept {
  std::string scheme;   // DICOM coding scheme designator: "SCT" (SNOMED CT), "RADLEX", "99CXRA" (private)
  std::string value;    // code value
  std::string meaning;  // code meaning
};

struct FindingDef {
  std::string id;                     // [a-z0-9_]+, unique
  std::string name_en, name_ko;
  CodedConcept code;
  std::vector<std::string> positive;  // >= 1 phrasing asserting the finding
  std::vector<std::string> negative;  // >= 1 phrasing denying it
  std::vector<std::string> terms;     // words naming it in clinical notes (lower case); may be empty
  // Words naming one specific cause or form of it ("influenza" for viral pneumonia): an affirmed one
  // raises the finding like a term, a denied one does not lower it ("negative for influenza" says
  // nothing about viral pneumonia in general). Lower case; may be empty.
  std::vector<std::string> specific_terms;
  std::vector<std::string> parents;   // ids implied by this finding (bacterial_pneumonia -> pneumonia)
  // Terms naming diagnoses that would explain the picture instead (for COVID-19: SARS, Pneumocystis,
  // Legionella...): a note affirming one argues against this finding (findings_notes.h). Lower case.
  std::vector<std::string> competing;
  bool validated = false;             // the shipped model was validated on it
  // True for "no finding"-like entries: a note that affirms any other finding argues against it.
  bool excluded_by_other_findings = false;
};

struct PromptSet {
  std::string name, version;
  std::string source;   // file path or "<memory>"
  std::string sha256;   // hex digest of the file bytes (provenance)
  std::vector<FindingDef> findings;
  // Index of a finding id, or -1.
  int index_of(const std::string& id) const;
};

// Parses and validates. Errors name the source, the finding (index and id) and the bad key, e.g.
// "prompts.json: finding #3 (\"effusion\"): \"positive\" must be a non-empty array of strings".
Result<PromptSet> parse_prompt_set(const std::string& json_text, const std::string& source = "<memory>");
Result<PromptSet> load_prompt_set(const std::string& path);

// The encoded ensembles of every finding of a prompt set. positive/negative: (F, D) unit rows.
struct PromptDirections {
  int dim = 0;
  float logit_scale = 1;
  std::vector<std::string> ids;                  // F
  std::vector<std::vector<float>> positive;      // F x (D)
  std::vector<std::vector<float>> negative;      // F x (D)
  // Every individual phrasing, normalised, with its finding index (for note relevance): (K, D).
  std::vector<std::vector<float>> phrasing_embeds;
  std::vector<int> phrasing_finding;
  std::vector<int> phrasing_positive;            // 1 positive side, 0 negative side
};

// Encodes every phrasing with the model's text tower (one batched call).
Result<PromptDirections> encode_prompt_set(const SiglipModel& model, const PromptSet& prompts);
// Same from precomputed (not necessarily normalised) phrasing embeddings, in prompt-set order:
// for each finding its positives then its negatives. embeds: (K, D) row-major.
Result<PromptDirections> directions_from_embeddings(const PromptSet& prompts, const std::vector<float>& embeds,
                                                    int dim, float logit_scale);

// unit_x: (D) unit image embedding. Returns logit_scale * (<x, P_f> - <x, N_f>).
double prompt_logit(const PromptDirections& directions, int finding, const float* unit_x);

// The zero-shot linear score as a weight vector: logit_scale * (P_f - N_f), (D).
std::vector<float> prompt_weight(const PromptDirections& directions, int finding);

// Per-patch heatmap: patches (N, D) joint-space patch embeddings (any norm) of one image, N = grid^2.
// Each patch's logit = <normalise(patch), P_f - N_f>; mapped to [0,1] relative to the image:
// (z - median) / (max - median), clamped (0 below the median). Returns (grid, grid) row-major.
std::vector<float> patch_heatmap(const PromptDirections& directions, int finding, const float* patches, int num_patches,
                                 int dim);

double sigmoid(double z);
double logit(double p);  // clamps p to [1e-9, 1 - 1e-9]

// L2-normalises v in place (zero vector stays zero).
void normalize(std::vector<float>& v);
double dot(const float* a, const float* b, int n);

// SHA-256 (FIPS 180-4) of bytes, lower-case hex. For provenance hashes of prompt sets and libraries.
std::string sha256_hex(const std::string& bytes);

}  // namespace cxr::model
