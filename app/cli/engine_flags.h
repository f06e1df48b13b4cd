// Command-line flags shared by every subcommand that runs the model, so each is spelled, checked and
// documented once: --backend, --threads, --precision (engine), plus --model and --prompts for the
// subcommands that go through core::Analyzer.
#pragma once

#include "command.h"
#include "cxr/core/analyzer.h"
#include "cxr/model/siglip.h"

#include <string>

namespace cxr::cli {

struct EngineFlags {
  std::string backend = "fast";
  std::string precision = "fp32";
  int threads = 0;
  model::EngineOptions options() const { return model::EngineOptions{backend, threads, precision}; }
};

inline void add_engine_flags(CLI::App& sub, EngineFlags& f) {
  sub.add_option("--backend", f.backend, "compute backend: fast | reference | cuda | auto")
      ->check(CLI::IsMember({"fast", "reference", "cuda", "auto"}))
      ->capture_default_str();
  sub.add_option("--threads", f.threads, "compute threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  sub.add_option("--precision", f.precision,
                 "linear-layer arithmetic: fp32 | bf16 (fast backend on CPUs with AVX512-BF16; cosine >= 0.999 to fp32)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
}

struct AnalyzerFlags {
  std::string model_dir, prompts;
  EngineFlags engine;
};

inline void add_analyzer_flags(CLI::App& sub, AnalyzerFlags& f) {
  sub.add_option("--model", f.model_dir, "model folder (default: the bundled cxr-siglip-default)");
  sub.add_option("--prompts", f.prompts, "prompt set JSON (default: resources/prompts/default.json)");
  add_engine_flags(sub, f.engine);
}

inline void apply(const AnalyzerFlags& f, core::AnalyzerOptions& options) {
  options.model_dir = f.model_dir;
  options.prompts_path = f.prompts;
  options.backend = f.engine.backend;
  options.threads = f.engine.threads;
  options.precision = f.engine.precision;
}

}  // namespace cxr::cli
