// cxr embed — SigLIP embeddings of images or texts.
//   cxr embed --model DIR (--image PATH... | --text "..."...) [-o OUT.npy|OUT.json] [--normalize]
//             [--backend fast|reference|auto] [--threads N]
// Images (DICOM, PNG, JPEG) go through the dicom loader and the model's preprocess.json. Embeddings
// are the pooled outputs of transformers' get_image_features / get_text_features (not normalised
// unless --normalize). .npy: (N, D) float32, row i = i-th input that succeeded (failures are listed
// on stderr); .json (or stdout without -o): the model hash, backend and one entry per input.
// Exit: 0 all inputs embedded, 1 some failed, 2 usage error (or the model cannot be loaded).
#include "command.h"
#include "engine_flags.h"

#include "cxr/core/engine_io.h"
#include "cxr/model/siglip.h"
#include "cxr/npy.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace cxr::cli {
namespace {

constexpr int kImageBatch = 8;

struct EmbedOptions {
  std::string model_dir, output;
  std::vector<std::string> images, texts;
  EngineFlags engine;
  bool normalize = false;
};

struct Embedded {
  std::vector<std::string> inputs;  // input i of rows
  model::Embeddings rows;
  std::vector<std::pair<std::string, std::string>> failures;  // input, error
};

Embedded embed_images(const model::SiglipModel& model, const EmbedOptions& options, const dicom::PreprocessSpec& spec) {
  Embedded out;
  out.rows.cols = model.config().vision.hidden_size;
  std::vector<float> batch;
  std::vector<std::string> batch_paths;
  auto flush = [&] {
    if (batch_paths.empty()) return;
    auto encoded = model.encode_images(batch.data(), static_cast<int>(batch_paths.size()), spec.image_size);
    if (encoded) {
      out.rows.data.insert(out.rows.data.end(), encoded->data.begin(), encoded->data.end());
      out.rows.rows += encoded->rows;
      out.inputs.insert(out.inputs.end(), batch_paths.begin(), batch_paths.end());
    } else {
      for (const auto& p : batch_paths) out.failures.emplace_back(p, encoded.error().message);
    }
    batch.clear();
    batch_paths.clear();
  };
  for (const auto& path : options.images) {
    auto tensor = core::image_to_model_tensor(path, spec);
    if (!tensor) {
      out.failures.emplace_back(path, tensor.error().message);
      continue;
    }
    batch.insert(batch.end(), tensor->begin(), tensor->end());
    batch_paths.push_back(path);
    if (static_cast<int>(batch_paths.size()) == kImageBatch) flush();
  }
  flush();
  return out;
}

Embedded embed_texts(const model::SiglipModel& model, const EmbedOptions& options) {
  Embedded out;
  out.rows.cols = model.config().text.projection_size;
  const auto* tokenizer = model.tokenizer();
  for (const auto& text : options.texts) {
    const auto tokens = tokenizer->encode(text);
    if (tokens.truncated())
      std::cerr << "cxr embed: warning: a text was truncated to " << tokenizer->max_length() << " tokens ("
                << tokens.num_dropped << " dropped); split long notes\n";
  }
  auto encoded = model.encode_texts(options.texts);
  if (!encoded) {
    for (const auto& t : options.texts) out.failures.emplace_back(t, encoded.error().message);
    return out;
  }
  out.rows = std::move(*encoded);
  out.inputs = options.texts;
  return out;
}

int write_output(const Embedded& result, const model::SiglipModel& model, const EmbedOptions& options) {
  const bool images = !options.images.empty();
  if (options.output.size() > 4 && options.output.substr(options.output.size() - 4) == ".npy") {
    auto status = write_npy(options.output, NpyType::kF32, {result.rows.rows, result.rows.cols}, result.rows.data.data());
    if (!status) {
      std::cerr << "cxr embed: " << status.error().message << "\n";
      return kExitSomeFailed;
    }
    return kExitOk;
  }
  nlohmann::json json;
  json["model_hash"] = model.model_hash();
  json["backend"] = model.backend_name();
  json["precision"] = model.precision();
  json["kind"] = images ? "image" : "text";
  json["normalized"] = options.normalize;
  json["dim"] = result.rows.cols;
  json["embeddings"] = nlohmann::json::array();
  for (int r = 0; r < result.rows.rows; ++r)
    json["embeddings"].push_back({{"input", result.inputs[r]},
                                  {"embedding", std::vector<float>(result.rows.row(r), result.rows.row(r) + result.rows.cols)}});
  if (options.output.empty()) {
    std::cout << json.dump(1) << "\n";
    return kExitOk;
  }
  std::ofstream out(options.output);
  out << json.dump(1) << "\n";
  if (!out) {
    std::cerr << "cxr embed: " << options.output << ": cannot write the output file\n";
    return kExitSomeFailed;
  }
  return kExitOk;
}

int run_embed(const EmbedOptions& options) {
  if (options.images.empty() == options.texts.empty()) {
    std::cerr << "cxr embed: give either --image PATH... or --text \"...\"... (one kind per run)\n";
    return kExitUsage;
  }
  auto loaded = model::SiglipModel::load(options.model_dir, options.engine.options());
  if (!loaded) {
    std::cerr << "cxr embed: " << loaded.error().message << "\n";
    return kExitUsage;
  }
  const auto& model = **loaded;
  Embedded result;
  if (!options.images.empty()) {
    auto spec = core::preprocess_spec_for_model(options.model_dir, model.config());
    if (!spec) {
      std::cerr << "cxr embed: " << spec.error().message << "\n";
      return kExitUsage;
    }
    result = embed_images(model, options, *spec);
  } else {
    if (!model.tokenizer()) {
      std::cerr << "cxr embed: " << options.model_dir << " has no spiece.model; text embedding needs the tokenizer\n";
      return kExitUsage;
    }
    result = embed_texts(model, options);
  }
  if (options.normalize) model::l2_normalize_rows(result.rows);
  for (const auto& [input, error] : result.failures) std::cerr << "cxr embed: failed: " << error << "\n";
  const int written = write_output(result, model, options);
  if (written != kExitOk) return written;
  if (!options.output.empty())
    std::cerr << "cxr embed: " << result.rows.rows << " embedding(s) of dim " << result.rows.cols << " -> " << options.output
              << "\n";
  return result.failures.empty() ? kExitOk : kExitSomeFailed;
}

}  // namespace

CXR_CLI_COMMAND("embed", "SigLIP embeddings of images or texts (.npy or JSON)", [](CLI::App& sub) {
  auto options = std::make_shared<EmbedOptions>();
  sub.add_option("--model", options->model_dir, "Model directory (config.json, model.safetensors, spiece.model)")->required();
  sub.add_option("--image", options->images, "Image files: DICOM, PNG or JPEG");
  sub.add_option("--text", options->texts, "Texts (clinical notes, prompts)");
  sub.add_option("-o,--output", options->output, "OUT.npy ((N, D) float32) or OUT.json; default: JSON on stdout");
  sub.add_flag("--normalize", options->normalize, "L2-normalise each embedding");
  add_engine_flags(sub, options->engine);
  return [options] { return run_embed(*options); };
});

}  // namespace cxr::cli
