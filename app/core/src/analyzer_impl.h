// Internal state of cxr::core::Analyzer, shared with teaching.cpp. Immutable after create().
#pragma once

#include "cxr/core/analyzer.h"
#include "cxr/dicom/image.h"
#include "cxr/dicom/preprocess.h"
#include "cxr/model/findings.h"
#include "cxr/model/findings_notes.h"
#include "cxr/model/findings_site.h"
#include "cxr/model/siglip.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cxr::core {

// One image ready for the encoder.
struct PreparedImage {
  dicom::LoadedImage loaded;
  std::vector<float> tensor;  // (3, S, S)
  ContentBox box;
};

// The image part of one instance after encoding: unit embedding (D) and optional patches (N, D).
struct EncodedImage {
  std::vector<float> embedding;
  std::vector<float> patches;
  int grid = 0;
};

struct Analyzer::Impl {
  AnalyzerOptions options;
  std::shared_ptr<model::SiglipModel> model;
  dicom::PreprocessSpec spec;
  std::shared_ptr<const model::PromptSet> prompts;
  std::shared_ptr<const model::PromptDirections> directions;
  model::SiteLibrary site;
  std::vector<int> selected;  // prompt-set indices reported, in order
  Provenance provenance;
  model::NoteFusionParams note_params;
  std::optional<model::NoteBaseline> note_baseline;  // null distribution of note evidence (needs a tokenizer)
  std::vector<std::string> site_warnings;  // e.g. adapters for another model, ignored

  Result<PreparedImage> prepare(const std::string& path) const;
  // Encodes prepared images in one call. Returns one EncodedImage per input.
  Result<std::vector<EncodedImage>> encode(const std::vector<const PreparedImage*>& images, bool patches) const;
  // The image log-odds of finding f for a unit embedding (site adapter when valid, else prompts),
  // before calibration. *adapted tells which.
  double image_logit(int f, const float* unit_x, bool* adapted) const;
  const model::SiteAdapter* adapter_for(int f) const;
  const model::SiteCalibration* calibration_for(int f) const;
  // Scores one encoded instance with its notes.
  InstanceResult score(const PreparedImage& image, const EncodedImage& encoded, const std::string& notes) const;
};

// "2026-12-03T08:15:00Z"
std::string utc_timestamp();

}  // namespace cxr::core
