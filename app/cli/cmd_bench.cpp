// cxr bench — throughput of the SigLIP engine on this machine.
//   cxr bench --model DIR|random-base [--batch N] [--threads N] [--rounds N] [--backend B] [--json]
// random-base builds a SigLIP-base-sized model (ViT-B/16 at 224, 12-layer base text tower) with
// random weights in memory, so no download is needed; timings do not depend on weight values.
// Reports, after one warm-up call per shape: ms per image at batch 1 and at --batch, images/s and
// texts/s at both, CPU seconds per image/text (all threads; robust on a shared machine), and the
// process's peak RSS. Each figure is the median over --rounds calls.
#include "command.h"

#include "cxr/model/siglip.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

namespace cxr::cli {
namespace {

struct BenchOptions {
  std::string model = "random-base", backend = "fast";
  int batch = 8, threads = 0, rounds = 5;
  bool json = false;
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

int run_bench(const BenchOptions& options) {
  if (options.batch < 1 || options.rounds < 1) {
    std::cerr << "cxr bench: --batch and --rounds must be >= 1\n";
    return kExitUsage;
  }
  const model::EngineOptions engine{options.backend, options.threads};
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

  nlohmann::json report = {
      {"model", options.model}, {"backend", model.backend_name()}, {"threads", options.threads},
      {"image_size", size}, {"batch", options.batch}, {"rounds", options.rounds}, {"load_s", load_s},
      {"image_ms_batch1", 1000.0 / img1}, {"image_ms_per_image_batchN", 1000.0 / imgn},
      {"images_per_s_batch1", img1}, {"images_per_s_batchN", imgn},
      {"texts_per_s_batch1", txt1}, {"texts_per_s_batchN", txtn},
      {"image_cpu_s_batch1", image1.cpu}, {"image_cpu_s_per_image_batchN", imagen.cpu / options.batch},
      {"text_cpu_s_batch1", text1.cpu}, {"text_cpu_s_per_text_batchN", textn.cpu / options.batch},
      {"peak_rss_mib", peak_rss_mib()}};
  if (options.json) {
    std::cout << report.dump() << "\n";
    return kExitOk;
  }
  std::printf("model %s  backend %s  threads %d  image %dx%d  load %.2f s\n", options.model.c_str(),
              model.backend_name().c_str(), options.threads, size, size, load_s);
  std::printf("images: batch 1 %7.1f ms/image (%6.2f images/s) | batch %d %7.1f ms/image (%6.2f images/s)\n", 1000.0 / img1,
              img1, options.batch, 1000.0 / imgn, imgn);
  std::printf("texts:  batch 1 %7.1f ms/text  (%6.2f texts/s)  | batch %d %7.1f ms/text  (%6.2f texts/s)\n", 1000.0 / txt1,
              txt1, options.batch, 1000.0 / txtn, txtn);
  std::printf("CPU time: %.2f s/image (batch 1), %.2f s/image (batch %d), %.2f s/text (batch 1), %.2f s/text (batch %d)\n",
              image1.cpu, imagen.cpu / options.batch, options.batch, text1.cpu, textn.cpu / options.batch, options.batch);
  std::printf("peak RSS %.0f MiB\n", peak_rss_mib());
  return kExitOk;
}

}  // namespace

CXR_CLI_COMMAND("bench", "Measure SigLIP engine throughput (images/s, texts/s, peak RSS)", [](CLI::App& sub) {
  auto options = std::make_shared<BenchOptions>();
  sub.add_option("--model", options->model, "Model directory, or random-base (SigLIP-base size, random weights)");
  sub.add_option("--batch", options->batch, "Batch size for the batched figures (default 8)");
  sub.add_option("--threads", options->threads, "Worker threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  sub.add_option("--rounds", options->rounds, "Timed calls per figure; the median is reported (default 5)");
  sub.add_option("--backend", options->backend, "Compute backend")->check(CLI::IsMember({"fast", "reference", "cuda", "auto"}));
  sub.add_flag("--json", options->json, "One JSON line instead of the table");
  return [options] { return run_bench(*options); };
});

}  // namespace cxr::cli
