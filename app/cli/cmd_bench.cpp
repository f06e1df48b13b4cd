// cxr bench — throughput of the SigLIP engine on this machine.
//   cxr bench --model DIR|random-base [--batch N] [--threads N] [--rounds N] [--backend B]
//             [--precision fp32|bf16] [--peak] [--json]
// random-base builds a SigLIP-base-sized model (ViT-B/16 at 224, 12-layer base text tower) with
// random weights in memory, so no download is needed; timings do not depend on weight values.
// Reports, after one warm-up call per shape: ms per image at batch 1 and at --batch, images/s and
// texts/s at both, CPU seconds per image/text (all threads; robust on a shared machine), and the
// process's peak RSS. Each figure is the median over --rounds calls. The image figures also come as
// GFLOP/s (the vision tower's multiply-adds counted from the config), and --peak measures the
// machine's fp32 FMA limit on the same threads (kernels/cpu_peak.h) to say how close they get.
#include "command.h"
#include "engine_flags.h"

#include "cxr/kernels/cpu_peak.h"
#include "cxr/model/siglip.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

namespace cxr::cli {
namespace {

struct BenchOptions {
  std::string model = "random-base";
  EngineFlags engine;
  int batch = 8, rounds = 5;
  bool json = false, peak = false;
};

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Wall and process CPU seconds (all threads) of one call; medians over rounds. CPU time is the
// robust figure on a shared machine: it does not grow when other processes take the cores.
struct Timing {
  double wall = 0, cpu = 0;
};

// Medians of `rounds` calls of fn, after one untimed warm-up call.
template <typename Fn>
Timing median_timing(int rounds, Fn&& fn) {
  fn();
  std::vector<double> walls, cpus;
  for (int r = 0; r < rounds; ++r) {
    const double cpu_start = process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    fn();
    walls.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpus.push_back(process_cpu_seconds() - cpu_start);
  }
  std::sort(walls.begin(), walls.end());
  std::sort(cpus.begin(), cpus.end());
  return {walls[walls.size() / 2], cpus[cpus.size() / 2]};
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Random pixels in [-1, 1] (the normalised range) and random token ids ending in EOS + padding.
std::vector<float> bench_pixels(int batch, int channels, int size) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> pixels(static_cast<std::size_t>(batch) * channels * size * size);
  for (auto& p : pixels) p = dist(rng);
  return pixels;
}
std::vector<std::vector<int>> bench_ids(int texts, const model::SiglipTextConfig& config) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int> token(2, config.vocab_size - 1);
  std::vector<std::vector<int>> ids(texts, std::vector<int>(config.max_position_embeddings, config.pad_token_id));
  for (auto& row : ids) {
    const int length = std::min(20, config.max_position_embeddings - 1);  // a typical prompt length
    for (int j = 0; j < length; ++j) row[j] = token(rng);
    row[length] = config.eos_token_id < config.vocab_size ? config.eos_token_id : config.pad_token_id;
  }
  return ids;
}

// Floating-point operations (2 per multiply-add) of one image through the vision tower: patch
// embedding, per layer the qkv/out/fc1/fc2 linears and the two attention products, then the
// attention-pooling head (one query) and its MLP. Softmax, norms and GELU are left out (< 1%).
double vision_gflop_per_image(const model::SiglipVisionConfig& v) {
  const double tokens = std::pow(v.image_size / v.patch_size, 2), d = v.hidden_size, mlp = v.intermediate_size;
  const double patch = 2.0 * tokens * v.num_channels * v.patch_size * v.patch_size * d;
  const double layer = 2.0 * tokens * d * (3 * d + d + 2 * mlp) + 2.0 * 2.0 * tokens * tokens * d;
  const double head = v.vision_use_head ? 2.0 * tokens * d * 2 * d + 2.0 * d * (2 * d + 2 * mlp) : 0.0;
  return (patch + v.num_hidden_layers * layer + head) / 1e9;
}

int run_bench(const BenchOptions& options) {
  if (options.batch < 1 || options.rounds < 1) {
    std::cerr << "cxr bench: --batch and --rounds must be >= 1\n";
    return kExitUsage;
  }
  // The FMA limit is measured first, before the engine's threads exist.
  const kernels::Fp32Peak peak =
      options.peak ? kernels::measure_fp32_peak(options.engine.threads > 0 ? options.engine.threads
                                                                           : static_cast<int>(std::thread::hardware_concurrency()))
                   : kernels::Fp32Peak{};
  const model::EngineOptions engine = options.engine.options();
  const auto load_start = std::chrono::steady_clock::now();
  auto loaded = options.model == "random-base"
                    ? model::SiglipModel::create_random(model::SiglipModel::random_base_config(), 42, engine)
                    : model::SiglipModel::load(options.model, engine);
  if (!loaded) {
    std::cerr << "cxr bench: " << loaded.error().message << "\n";
    return kExitUsage;
  }
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  const auto& model = **loaded;
  const auto& v = model.config().vision;
  const int size = v.image_size;

  std::string failure;  // first encode error, if any
  auto check = [&](const auto& result) {
    if (!result.ok() && failure.empty()) failure = result.error().message;
  };
  auto time_images = [&](int batch) {
    const auto pixels = bench_pixels(batch, v.num_channels, size);
    return median_timing(options.rounds, [&] { check(model.encode_images(pixels.data(), batch, size)); });
  };
  auto time_texts = [&](int batch) {
    const auto ids = bench_ids(batch, model.config().text);
    return median_timing(options.rounds, [&] { check(model.encode_texts(ids)); });
  };
  const Timing image1 = time_images(1), imagen = time_images(options.batch);
  const Timing text1 = time_texts(1), textn = time_texts(options.batch);
  const double img1 = 1 / image1.wall, imgn = options.batch / imagen.wall;
  const double txt1 = 1 / text1.wall, txtn = options.batch / textn.wall;
  if (!failure.empty()) {
    std::cerr << "cxr bench: " << failure << "\n";
    return kExitSomeFailed;
  }

  const double gflop_per_image = vision_gflop_per_image(v);
  const int threads = model.threads();
  nlohmann::json report = {
      {"model", options.model}, {"backend", model.backend_name()}, {"threads", threads},
      {"precision", options.engine.precision}, {"image_gflop", gflop_per_image},
      {"image_gflops_batch1", img1 * gflop_per_image}, {"image_gflops_batchN", imgn * gflop_per_image},
      {"image_size", size}, {"batch", options.batch}, {"rounds", options.rounds}, {"load_s", load_s},
      {"image_ms_batch1", 1000.0 / img1}, {"image_ms_per_image_batchN", 1000.0 / imgn},
      {"images_per_s_batch1", img1}, {"images_per_s_batchN", imgn},
      {"texts_per_s_batch1", txt1}, {"texts_per_s_batchN", txtn},
      {"image_cpu_s_batch1", image1.cpu}, {"image_cpu_s_per_image_batchN", imagen.cpu / options.batch},
      {"text_cpu_s_batch1", text1.cpu}, {"text_cpu_s_per_text_batchN", textn.cpu / options.batch},
      {"peak_rss_mib", peak_rss_mib()}};
  if (options.peak) {
    report["fp32_peak_gflops"] = peak.gflops;
    report["fp32_peak_isa"] = peak.vector_isa;
    report["image_fraction_of_fp32_peak_batchN"] = imgn * gflop_per_image / peak.gflops;
  }
  if (options.json) {
    std::cout << report.dump() << "\n";
    return kExitOk;
  }
  std::printf("model %s  backend %s  precision %s  threads %d  image %dx%d  load %.2f s\n", options.model.c_str(),
              model.backend_name().c_str(), options.engine.precision.c_str(), threads, size, size, load_s);
  std::printf("images: batch 1 %7.1f ms/image (%6.2f images/s) | batch %d %7.1f ms/image (%6.2f images/s)\n", 1000.0 / img1,
              img1, options.batch, 1000.0 / imgn, imgn);
  std::printf("texts:  batch 1 %7.1f ms/text  (%6.2f texts/s)  | batch %d %7.1f ms/text  (%6.2f texts/s)\n", 1000.0 / txt1,
              txt1, options.batch, 1000.0 / txtn, txtn);
  std::printf("CPU time: %.2f s/image (batch 1), %.2f s/image (batch %d), %.2f s/text (batch 1), %.2f s/text (batch %d)\n",
              image1.cpu, imagen.cpu / options.batch, options.batch, text1.cpu, textn.cpu / options.batch, options.batch);
  std::printf("images: %.1f GFLOP per image, %.0f GFLOP/s at batch 1, %.0f GFLOP/s at batch %d\n", gflop_per_image,
              img1 * gflop_per_image, imgn * gflop_per_image, options.batch);
  if (options.peak)
    std::printf("machine fp32 FMA limit on %d threads: %.0f GFLOP/s (%s, measured); batch %d reaches %.0f%% of it\n",
                threads, peak.gflops, peak.vector_isa.c_str(), options.batch, 100.0 * imgn * gflop_per_image / peak.gflops);
  std::printf("peak RSS %.0f MiB\n", peak_rss_mib());
  return kExitOk;
}

}  // namespace

CXR_CLI_COMMAND("bench", "Measure SigLIP engine throughput (images/s, texts/s, peak RSS)", [](CLI::App& sub) {
  auto options = std::make_shared<BenchOptions>();
  sub.add_option("--model", options->model, "Model directory, or random-base (SigLIP-base size, random weights)");
  sub.add_option("--batch", options->batch, "Batch size for the batched figures (default 8)");
  sub.add_option("--rounds", options->rounds, "Timed calls per figure; the median is reported (default 5)");
  add_engine_flags(sub, options->engine);
  sub.add_flag("--peak", options->peak, "Also measure the machine's fp32 FMA limit on the same threads (~1 s)");
  sub.add_flag("--json", options->json, "One JSON line instead of the table");
  return [options] { return run_bench(*options); };
});

}  // namespace cxr::cli
