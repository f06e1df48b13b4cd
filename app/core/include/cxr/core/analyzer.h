// cxr/core/analyzer.h — the analysis use case shared by the CLI (`cxr analyze`), the PACS node
// (`cxr serve`) and the Qt studio: image (+ the physician's notes) -> suggested findings.
//
// Method (docs/findings.md):
//  * image score per finding: prompt ensembling — mean of L2-normalised text embeddings of the
//    finding's positive phrasings and of its negative phrasings; image logit =
//    logit_scale * <img, pos - neg> (normalised image embedding), a log-odds.
//  * notes: split into sentences (long ones into token-length chunks, never cut silently), each
//    encoded by the text tower; a sentence's evidence for a finding is its similarity to the
//    positive vs the negative prompts, in the same log-odds units. Notes logit = sum of the
//    sentences' evidence that clears a relevance margin; combined log-odds = image + notes
//    (calibrated late fusion, temperature from the site library when calibrated).
//  * a site library (JSON, `cxr teach`/`cxr calibrate`) can replace the image score of a finding by
//    a few-shot adapter and set temperatures and operating points.
//
// Thread-safety: an Analyzer is immutable after create(); analyze*/aggregate may be called from many
// threads at once. No Qt, no DCMTK type here. Errors are cxr::Result values with a user-facing message.
#pragma once

#include "cxr/dicom/metadata.h"
#include "cxr/result.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxr::core {

// Cooperative cancellation: set from any thread; analysis stops at the next instance/batch boundary
// and the unfinished instances carry the error "cancelled".
class CancelToken {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

// Called after each instance of a batch (from a worker thread; must be thread-safe and cheap).
using ProgressCallback = std::function<void(int done, int total, const std::string& path)>;

struct AnalyzerOptions {
  std::string model_dir;      // empty: the bundled default (resources/models/cxr-siglip-default)
  std::string prompts_path;   // empty: <model_dir>/prompts.json if present, else resources/prompts/default.json
  std::string site_library;   // empty: none (a missing file is an error only when named explicitly)
  std::vector<std::string> findings;  // ids to report; empty: every finding of the prompt set
  std::string backend = "fast";       // "fast" | "reference" | "cuda" | "auto"
  int threads = 0;                    // compute threads, 0 = all cores
  std::string precision = "fp32";     // "fp32" | "bf16" (see kernels::Precision)
  bool heatmaps = false;              // compute FindingResult::heatmap (costs a patch projection)
  std::string operating_point = "default";  // "default" | "high_sensitivity" | "high_specificity"
};

// One note sentence (or chunk) that moved a finding, and by how much (log-odds units).
struct NoteEvidence {
  std::string sentence;
  double delta_logit = 0;  // > 0 raised the finding, < 0 lowered it
  bool negated = false;    // the sentence denies the finding ("no pneumothorax")
  std::string competing;   // the competing diagnosis it names ("sars" for COVID-19), when that lowered it
};

struct FindingResult {
  std::string id;                       // prompt-set id, e.g. "pneumonia"
  std::string name_en, name_ko;         // display names
  std::string code_scheme, code_value, code_meaning;  // coded concept, e.g. SCT 233604007 "Pneumonia"
  double probability = 0;               // calibrated P(finding | image, notes), 0..1
  std::string decision;                 // "positive" | "negative" | "indeterminate" at the operating point
  // Decision rule: positive if probability >= threshold; negative if < threshold_negative;
  // indeterminate in between (the band is empty for single-threshold operating points).
  double threshold = 0.5;
  double threshold_negative = 0.5;
  double image_logit = 0;               // image evidence (log-odds), after site adapter if any
  double notes_logit = 0;               // notes evidence (log-odds), 0 without notes
  std::vector<NoteEvidence> evidence;   // sentences that moved it, strongest first
  bool validated = false;               // the shipped model was validated on this finding
  bool site_adapted = false;            // a site few-shot adapter scored the image
  bool calibrated = false;              // a site temperature/operating point was applied
  // (grid, grid) row-major over the model's input square: the patch evidence relative to the image
  // (0 at the median patch, 1 at the strongest; model::patch_heatmap) times `probability`, so the
  // strongest patch of a finding carries its probability and a rejected finding's map is faint.
  std::vector<float> heatmap;
  int heatmap_grid = 0;                 // 0 when no heatmap
};

// Where the image sits inside the model's square input (letterbox), as fractions of the square
// [x0, y0, x1, y1], so a heatmap over the square can be mapped back onto the image.
struct ContentBox {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
};

struct InstanceResult {
  std::string path;
  cxr::dicom::Metadata meta;           // contains patient identifiers: never log below debug
  std::vector<FindingResult> findings; // empty when error is set
  ContentBox content_box;              // for heatmaps
  std::vector<std::string> warnings;   // e.g. "notes: sentence 3 split into 2 chunks"
  std::string error;                   // non-empty: this instance failed (message names file + cause)
  bool ok() const { return error.empty(); }
};

// Findings aggregated over the instances of one study (e.g. PA + lateral): per finding the
// log-odds are averaged over the views (notes counted once), so agreeing views reinforce.
struct StudyResult {
  std::string study_instance_uid;           // "" for non-DICOM inputs (each file is its own study)
  std::vector<std::string> instance_paths;  // instances that succeeded
  std::vector<FindingResult> findings;      // evidence of the instance with the largest |notes| kept
  cxr::dicom::Metadata meta;                // of the first instance
};

struct Provenance {
  std::string algorithm_name = "CXR Assist";
  std::string version;          // CXR_VERSION
  std::string model_dir;
  std::string model_hash;       // sha256 of the weights (SiglipModel::model_hash)
  std::string prompt_set_path;
  std::string prompt_set_hash;  // sha256 of the prompt-set file bytes
  std::string site_library_path;
  std::string site_library_hash;  // "" without a site library
};

// A finding the analyzer can report (from the prompt set).
struct FindingInfo {
  std::string id, name_en, name_ko, code_scheme, code_value, code_meaning;
  bool validated = false;
  bool site_adapted = false;
};

struct BatchItem {
  std::string path;
  std::string notes;  // UTF-8 (invalid bytes are repaired, CRLF/BOM tolerated)
};

struct BatchOptions {
  int batch_size = 8;  // images per encoder call
  int workers = 0;     // loader threads, 0 = hardware concurrency (capped at 8)
};

class Analyzer {
 public:
  // Loads the model, prompt set and site library; encodes the prompts once. Errors name the file.
  static Result<std::shared_ptr<Analyzer>> create(const AnalyzerOptions& options);

  // One image file (DICOM, PNG or JPEG) plus notes ("" = image only). When notes is empty and the
  // file is DICOM, its clinical text (Metadata::clinical_text) is used as notes.
  Result<InstanceResult> analyze(const std::string& path, const std::string& notes,
                                 const CancelToken* cancel = nullptr) const;

  // Many images: loaded in parallel, encoded in batches. One result per item, in order; a failed
  // item carries its error and never affects the others. Cancelled items get error "cancelled".
  std::vector<InstanceResult> analyze_batch(const std::vector<BatchItem>& items, const BatchOptions& options = {},
                                            const ProgressCallback& progress = {},
                                            const CancelToken* cancel = nullptr) const;

  // Groups successful instances by Study Instance UID (non-DICOM: one study per file).
  static std::vector<StudyResult> aggregate(const std::vector<InstanceResult>& instances);

  // The image embedding (normalised, joint space) of one file, for teaching and evaluation.
  Result<std::vector<float>> embed_image(const std::string& path) const;

  const Provenance& provenance() const;
  std::vector<FindingInfo> findings() const;
  const AnalyzerOptions& options() const;

  // A new Analyzer sharing this one's model and prompt embeddings, with the site library re-read
  // (after `teach`/`calibrate` changed it). Cheap.
  Result<std::shared_ptr<Analyzer>> reload_site_library() const;

  ~Analyzer();
  struct Impl;
  // Internal state for app/core (teaching, calibration); not part of the stable API.
  const Impl& internals() const { return *impl_; }
  explicit Analyzer(std::shared_ptr<Impl> impl);

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace cxr::core
