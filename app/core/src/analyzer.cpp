// cxr::core::Analyzer — image (+ notes) -> suggested findings (method: analyzer.h, docs/findings.md).
#include "analyzer_impl.h"

#include "cxr/dicom/metadata.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <future>
#include <map>
#include <thread>

namespace cxr::core {
namespace fs = std::filesystem;

namespace {

std::string default_model_dir() { return std::string(CXR_RESOURCES_DIR) + "/models/cxr-siglip-default"; }

std::string resolve_prompts_path(const AnalyzerOptions& o, const std::string& model_dir) {
  if (!o.prompts_path.empty()) return o.prompts_path;
  const std::string beside_model = model_dir + "/prompts.json";
  if (fs::exists(beside_model)) return beside_model;
  return std::string(CXR_RESOURCES_DIR) + "/prompts/default.json";
}

// Where the image lands inside the model's square input (dicom/preprocess.h letterbox rule).
ContentBox content_box(int width, int height, const dicom::PreprocessSpec& spec) {
  ContentBox box;
  if (spec.resize != "letterbox" || width <= 0 || height <= 0) return box;
  const double s = spec.image_size;
  const int longer = std::max(width, height);
  const double nw = std::round(width * s / longer), nh = std::round(height * s / longer);
  const double left = std::floor((s - nw) / 2), top = std::floor((s - nh) / 2);
  box.x0 = left / s;
  box.y0 = top / s;
  box.x1 = (left + nw) / s;
  box.y1 = (top + nh) / s;
  return box;
}

// DICOM clinical text comes as "Keyword: value" lines; the keywords are not clinical content.
std::string notes_from_clinical_text(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos && colon < 40 && line.find(' ') > colon) line = line.substr(colon + 2);
    if (!line.empty()) out += line + "\n";
    pos = end + 1;
  }
  return out;
}

// prepare() returns errors as values; this also turns an unexpected exception (bad_alloc while
// decoding a huge image) into that instance's error so one input never takes the batch down.
Result<PreparedImage> safe_prepare(const Analyzer::Impl& impl, const std::string& path) {
  try {
    return impl.prepare(path);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kIo, path + ": out of memory while loading the image");
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, path + ": " + e.what());
  }
}

void set_decision(FindingResult& r) {
  if (r.probability >= r.threshold) r.decision = "positive";
  else if (r.probability < r.threshold_negative) r.decision = "negative";
  else r.decision = "indeterminate";
}

}  // namespace

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

// ---- Impl ---------------------------------------------------------------------------------------

Result<PreparedImage> Analyzer::Impl::prepare(const std::string& path) const {
  auto loaded = dicom::load_image(path);
  if (!loaded) return loaded.error();
  PreparedImage p;
  p.loaded = std::move(loaded).value();
  const dicom::Image8 resized = dicom::resize_for_model(p.loaded.image, spec);
  p.tensor = dicom::to_model_tensor(resized, spec);
  p.box = content_box(p.loaded.image.width, p.loaded.image.height, spec);
  if (spec.channels == 1) {  // the SigLIP vision tower takes 3 channels: replicate gray
    const std::size_t plane = p.tensor.size();
    p.tensor.resize(plane * 3);
    std::copy(p.tensor.begin(), p.tensor.begin() + plane, p.tensor.begin() + plane);
    std::copy(p.tensor.begin(), p.tensor.begin() + plane, p.tensor.begin() + 2 * plane);
  }
  return p;
}

Result<std::vector<EncodedImage>> Analyzer::Impl::encode(const std::vector<const PreparedImage*>& images,
                                                         bool patches) const {
  const int batch = static_cast<int>(images.size());
  const int s = spec.image_size;
  std::vector<float> pixels;
  pixels.reserve(static_cast<std::size_t>(batch) * 3 * s * s);
  for (const auto* im : images) pixels.insert(pixels.end(), im->tensor.begin(), im->tensor.end());
  std::vector<EncodedImage> out(batch);
  model::Embeddings pooled;
  if (patches) {
    auto enc = model->encode_images_with_patches(pixels.data(), batch, s);
    if (!enc) return enc.error();
    pooled = std::move(enc->pooled);
    const int n = enc->grid * enc->grid;
    const int d = enc->patch_embeds.cols;
    for (int b = 0; b < batch; ++b) {
      out[b].grid = enc->grid;
      out[b].patches.assign(enc->patch_embeds.row(b * n), enc->patch_embeds.row(b * n) + static_cast<std::size_t>(n) * d);
    }
  } else {
    auto enc = model->encode_images(pixels.data(), batch, s);
    if (!enc) return enc.error();
    pooled = std::move(enc).value();
  }
  for (int b = 0; b < batch; ++b) {
    out[b].embedding.assign(pooled.row(b), pooled.row(b) + pooled.cols);
    model::normalize(out[b].embedding);
  }
  return out;
}

const model::SiteAdapter* Analyzer::Impl::adapter_for(int f) const {
  auto it = site.findings.find(prompts->findings[f].id);
  if (it == site.findings.end() || !it->second.adapter) return nullptr;
  const model::SiteAdapter& a = *it->second.adapter;
  if (a.model_hash != provenance.model_hash || static_cast<int>(a.adapter.weights.size()) != directions->dim) {
    return nullptr;
  }
  return &a;
}

const model::SiteCalibration* Analyzer::Impl::calibration_for(int f) const {
  auto it = site.findings.find(prompts->findings[f].id);
  if (it == site.findings.end() || !it->second.calibration) return nullptr;
  const model::SiteCalibration& c = *it->second.calibration;
  if (c.model_hash != provenance.model_hash) return nullptr;
  if (c.with_adapter != (adapter_for(f) != nullptr)) return nullptr;  // fitted on other scores
  return &c;
}

double Analyzer::Impl::image_logit(int f, const float* unit_x, bool* adapted) const {
  if (const model::SiteAdapter* a = adapter_for(f)) {
    *adapted = true;
    return a->adapter.logit(unit_x);
  }
  *adapted = false;
  return model::prompt_logit(*directions, f, unit_x);
}

InstanceResult Analyzer::Impl::score(const PreparedImage& image, const EncodedImage& encoded,
                                     const std::string& notes_in) const {
  InstanceResult r;
  r.path = image.loaded.path;
  r.meta = image.loaded.meta;
  r.content_box = image.box;
  r.warnings = site_warnings;
  // Notes: given, else the DICOM's own clinical text.
  std::string notes = notes_in;
  if (notes.empty() && !r.meta.clinical_text.empty()) notes = notes_from_clinical_text(r.meta.clinical_text);
  std::vector<model::NoteChunk> chunks;
  std::vector<float> chunk_embeds;
  const model::Tokenizer* tok = model->tokenizer();
  if (!notes.empty() && tok == nullptr) {
    r.warnings.push_back("notes ignored: the model has no tokenizer");
  } else if (!notes.empty()) {
    const auto sentences = model::split_sentences(model::sanitize_note_text(notes));
    const int budget = tok->max_length() - 1;  // room for EOS
    chunks = model::chunk_notes(
        sentences, budget, [tok](const std::string& s) { return static_cast<int>(tok->encode_raw(s).size()); },
        &r.warnings);
    if (!chunks.empty()) {
      std::vector<std::string> texts;
      for (const auto& c : chunks) texts.push_back(c.text);
      auto enc = model->encode_texts(texts);
      if (!enc) {
        r.warnings.push_back("notes ignored: " + enc.error().message);
        chunks.clear();
      } else {
        model::Embeddings e = std::move(enc).value();
        model::l2_normalize_rows(e);
        chunk_embeds = std::move(e.data);
      }
    }
  }
  for (int f : selected) {
    const model::FindingDef& def = prompts->findings[f];
    FindingResult fr;
    fr.id = def.id;
    fr.name_en = def.name_en;
    fr.name_ko = def.name_ko;
    fr.code_scheme = def.code.scheme;
    fr.code_value = def.code.value;
    fr.code_meaning = def.code.meaning;
    fr.validated = def.validated;
    double z = image_logit(f, encoded.embedding.data(), &fr.site_adapted);
    const model::SiteCalibration* cal = calibration_for(f);
    if (cal != nullptr) {
      z = cal->calibration.scale * z + cal->calibration.offset;
      fr.calibrated = true;
    }
    fr.image_logit = z;
    if (!chunks.empty()) {
      const model::NotesScore ns = model::score_notes(*prompts, *directions, f, chunks, chunk_embeds, note_params,
                                                      note_baseline ? &*note_baseline : nullptr);
      fr.notes_logit = ns.logit;
      for (const auto& e : ns.evidence) fr.evidence.push_back({chunks[e.chunk].text, e.delta, e.negated, e.competing});
    }
    fr.probability = model::sigmoid(fr.image_logit + fr.notes_logit);
    // Operating points (docs/findings.md): calibrated thresholds when the site calibrated this finding.
    const std::string& op = options.operating_point;
    double sens = 0.35, spec_t = 0.65, youden = 0.5;
    if (cal != nullptr) {
      sens = cal->calibration.threshold_high_sensitivity;
      spec_t = cal->calibration.threshold_high_specificity;
      youden = cal->calibration.threshold_default;
    }
    if (op == "high_sensitivity") {
      fr.threshold = fr.threshold_negative = sens;
    } else if (op == "high_specificity") {
      fr.threshold = fr.threshold_negative = spec_t;
    } else if (sens <= spec_t) {
      fr.threshold = spec_t;
      fr.threshold_negative = sens;
    } else {
      fr.threshold = fr.threshold_negative = youden;
    }
    set_decision(fr);
    if (options.heatmaps && encoded.grid > 0) {
      fr.heatmap = model::patch_heatmap(*directions, f, encoded.patches.data(), encoded.grid * encoded.grid,
                                        directions->dim);
      // Where the evidence sits (relative to this image's patches) times how likely the finding is, so
      // a finding the model rejects shows a faint map instead of a full-strength one.
      for (float& v : fr.heatmap) v *= static_cast<float>(fr.probability);
      fr.heatmap_grid = encoded.grid;
    }
    r.findings.push_back(std::move(fr));
  }
  return r;
}

// ---- Analyzer -----------------------------------------------------------------------------------

Analyzer::Analyzer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

namespace {

Status load_site_library(Analyzer::Impl& impl) {
  impl.site = model::SiteLibrary{};
  impl.site_warnings.clear();
  impl.provenance.site_library_path.clear();
  impl.provenance.site_library_hash.clear();
  if (impl.options.site_library.empty()) return Status::Ok();
  auto lib = model::SiteLibrary::load(impl.options.site_library, false);
  if (!lib) return lib.error();
  impl.site = std::move(lib).value();
  impl.provenance.site_library_path = impl.options.site_library;
  impl.provenance.site_library_hash = impl.site.sha256;
  for (const auto& [id, f] : impl.site.findings) {
    if (f.adapter && f.adapter->model_hash != impl.provenance.model_hash) {
      impl.site_warnings.push_back("site library: the adapter for \"" + id +
                                   "\" was taught with another model; ignored (teach it again)");
    }
    if (f.calibration && f.calibration->model_hash != impl.provenance.model_hash) {
      impl.site_warnings.push_back("site library: the calibration of \"" + id +
                                   "\" was fitted with another model; ignored (calibrate again)");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<Analyzer>> Analyzer::create(const AnalyzerOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  const std::string model_dir = options.model_dir.empty() ? default_model_dir() : options.model_dir;
  if (!fs::is_directory(model_dir)) {
    return make_error(ErrorCode::kNotFound, model_dir + ": model folder not found" +
                                                (options.model_dir.empty()
                                                     ? std::string(" (the bundled default model is missing; pass --model DIR)")
                                                     : std::string("; check --model")));
  }
  auto m = model::SiglipModel::load(model_dir, model::EngineOptions{options.backend, options.threads, options.precision});
  if (!m) return m.error();
  impl->model = std::move(m).value();
  const std::string spec_path = model_dir + "/preprocess.json";
  if (fs::exists(spec_path)) {
    auto spec = dicom::load_preprocess_spec(spec_path);
    if (!spec) return spec.error();
    impl->spec = spec.value();
  } else {
    impl->spec.image_size = impl->model->config().vision.image_size;
  }
  const std::string prompts_path = resolve_prompts_path(options, model_dir);
  auto prompts = model::load_prompt_set(prompts_path);
  if (!prompts) return prompts.error();
  impl->prompts = std::make_shared<const model::PromptSet>(std::move(prompts).value());
  auto dirs = model::encode_prompt_set(*impl->model, *impl->prompts);
  if (!dirs) return dirs.error();
  impl->directions = std::make_shared<const model::PromptDirections>(std::move(dirs).value());
  if (impl->model->tokenizer() != nullptr) {
    auto neutral = impl->model->encode_texts(model::neutral_note_sentences());
    if (!neutral) return neutral.error();
    model::Embeddings e = std::move(neutral).value();
    model::l2_normalize_rows(e);
    impl->note_baseline = model::note_baseline(*impl->directions, e.data, impl->note_params);
  }
  if (options.findings.empty()) {
    for (std::size_t i = 0; i < impl->prompts->findings.size(); ++i) impl->selected.push_back(static_cast<int>(i));
  } else {
    for (const auto& id : options.findings) {
      const int idx = impl->prompts->index_of(id);
      if (idx < 0) {
        std::string known;
        for (const auto& f : impl->prompts->findings) known += (known.empty() ? "" : ", ") + f.id;
        return make_error(ErrorCode::kInvalidArgument,
                          "unknown finding \"" + id + "\" (prompt set " + prompts_path + " has: " + known + ")");
      }
      impl->selected.push_back(idx);
    }
  }
  if (options.operating_point != "default" && options.operating_point != "high_sensitivity" &&
      options.operating_point != "high_specificity") {
    return make_error(ErrorCode::kInvalidArgument, "operating point \"" + options.operating_point +
                                                       "\": use default, high_sensitivity or high_specificity");
  }
  impl->provenance.version = CXR_VERSION;
  impl->provenance.model_dir = model_dir;
  impl->provenance.model_hash = impl->model->model_hash();
  impl->provenance.prompt_set_path = prompts_path;
  impl->provenance.prompt_set_hash = impl->prompts->sha256;
  if (Status s = load_site_library(*impl); !s) return s.error();
  return std::make_shared<Analyzer>(impl);
}

Result<std::shared_ptr<Analyzer>> Analyzer::reload_site_library() const {
  auto impl = std::make_shared<Impl>(*impl_);  // shares the model and prompt embeddings
  if (Status s = load_site_library(*impl); !s) return s.error();
  return std::make_shared<Analyzer>(impl);
}

Result<InstanceResult> Analyzer::analyze(const std::string& path, const std::string& notes,
                                         const CancelToken* cancel) const {
  std::vector<InstanceResult> r = analyze_batch({BatchItem{path, notes}}, BatchOptions{1, 1}, {}, cancel);
  if (!r.front().ok()) return make_error(ErrorCode::kCorruptData, r.front().error);
  return std::move(r.front());
}

std::vector<InstanceResult> Analyzer::analyze_batch(const std::vector<BatchItem>& items, const BatchOptions& options,
                                                    const ProgressCallback& progress, const CancelToken* cancel) const {
  std::vector<InstanceResult> results(items.size());
  const int batch = std::max(1, options.batch_size);
  int workers = options.workers > 0 ? options.workers : static_cast<int>(std::thread::hardware_concurrency());
  workers = std::clamp(workers, 1, 8);
  int done = 0;
  const int total = static_cast<int>(items.size());
  for (std::size_t begin = 0; begin < items.size(); begin += batch) {
    const std::size_t end = std::min(items.size(), begin + batch);
    if (cancel != nullptr && cancel->cancelled()) {
      for (std::size_t i = begin; i < items.size(); ++i) results[i].path = items[i].path, results[i].error = "cancelled";
      break;
    }
    // Load and preprocess in parallel (at most `workers` at a time).
    std::vector<Result<PreparedImage>> prepared;
    prepared.reserve(end - begin);
    for (std::size_t i = begin; i < end; i += workers) {
      std::vector<std::future<Result<PreparedImage>>> futures;
      for (std::size_t k = i; k < std::min(end, i + workers); ++k) {
        futures.push_back(std::async(std::launch::async, [this, &items, k] {
          return safe_prepare(*impl_, items[k].path);
        }));
      }
      for (auto& f : futures) prepared.push_back(f.get());
    }
    std::vector<const PreparedImage*> ok;
    std::vector<std::size_t> ok_index;
    for (std::size_t k = 0; k < prepared.size(); ++k) {
      results[begin + k].path = items[begin + k].path;
      if (prepared[k]) {
        ok.push_back(&prepared[k].value());
        ok_index.push_back(begin + k);
      } else {
        results[begin + k].error = prepared[k].error().message;
      }
    }
    if (!ok.empty()) {
      auto encoded = impl_->encode(ok, impl_->options.heatmaps);
      for (std::size_t j = 0; j < ok.size(); ++j) {
        const std::size_t i = ok_index[j];
        if (!encoded) {
          results[i].error = items[i].path + ": image encoder failed: " + encoded.error().message;
          continue;
        }
        results[i] = impl_->score(*ok[j], encoded.value()[j], items[i].notes);
      }
    }
    for (std::size_t i = begin; i < end; ++i) {
      ++done;
      if (progress) progress(done, total, items[i].path);
    }
  }
  return results;
}

std::vector<StudyResult> Analyzer::aggregate(const std::vector<InstanceResult>& instances) {
  std::vector<StudyResult> studies;
  std::map<std::string, std::size_t> index;
  std::vector<std::vector<const InstanceResult*>> members;
  for (const auto& inst : instances) {
    if (!inst.ok()) continue;
    const std::string key = inst.meta.is_dicom && !inst.meta.study_instance_uid.empty()
                                ? inst.meta.study_instance_uid
                                : "file:" + inst.path;
    auto [it, inserted] = index.emplace(key, studies.size());
    if (inserted) {
      StudyResult s;
      s.study_instance_uid = inst.meta.is_dicom ? inst.meta.study_instance_uid : "";
      s.meta = inst.meta;
      studies.push_back(std::move(s));
      members.emplace_back();
    }
    studies[it->second].instance_paths.push_back(inst.path);
    members[it->second].push_back(&inst);
  }
  for (std::size_t s = 0; s < studies.size(); ++s) {
    const auto& insts = members[s];
    const std::size_t nf = insts.front()->findings.size();
    for (std::size_t f = 0; f < nf; ++f) {
      // Image log-odds averaged over the views; notes (the same study) counted once: the instance
      // whose notes moved this finding most provides notes logit and evidence.
      FindingResult agg = insts.front()->findings[f];
      double image_sum = 0;
      const InstanceResult* notes_from = insts.front();
      for (const auto* inst : insts) {
        const FindingResult& r = inst->findings[f];
        image_sum += r.image_logit;
        if (std::abs(r.notes_logit) > std::abs(notes_from->findings[f].notes_logit)) notes_from = inst;
      }
      agg.image_logit = image_sum / static_cast<double>(insts.size());
      agg.notes_logit = notes_from->findings[f].notes_logit;
      agg.evidence = notes_from->findings[f].evidence;
      agg.probability = model::sigmoid(agg.image_logit + agg.notes_logit);
      agg.heatmap.clear();
      agg.heatmap_grid = 0;
      set_decision(agg);
      studies[s].findings.push_back(std::move(agg));
    }
  }
  return studies;
}

Result<std::vector<float>> Analyzer::embed_image(const std::string& path) const {
  auto prepared = safe_prepare(*impl_, path);
  if (!prepared) return prepared.error();
  auto enc = impl_->encode({&prepared.value()}, false);
  if (!enc) return make_error(enc.error().code, path + ": image encoder failed: " + enc.error().message);
  return std::move(enc.value().front().embedding);
}

const Provenance& Analyzer::provenance() const { return impl_->provenance; }
const AnalyzerOptions& Analyzer::options() const { return impl_->options; }

std::vector<FindingInfo> Analyzer::findings() const {
  std::vector<FindingInfo> out;
  for (int f : impl_->selected) {
    const auto& d = impl_->prompts->findings[f];
    out.push_back({d.id, d.name_en, d.name_ko, d.code.scheme, d.code.value, d.code.meaning, d.validated,
                   impl_->adapter_for(f) != nullptr});
  }
  return out;
}

}  // namespace cxr::core
