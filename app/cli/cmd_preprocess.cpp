// cxr preprocess — images to the model's input tensor, as a .npy, for training caches and parity.
//   cxr preprocess --spec SPEC.json [--list FILE] [PATH...] -o OUT.npy [--format f32|u8] [--threads N]
// f32: (N, C, S, S) float32 = (p/255 - mean)/std;  u8: (N, S, S) uint8 resized gray (before normalisation).
// Writes OUT.paths.txt (row i = input i) and, when some inputs fail, OUT.failed.txt ("path<TAB>error");
// a failed input gets an all-zero row. Rows are written in input order, whatever the thread count.
#include "command.h"

#include "cxr/dicom/dicom.h"
#include "cxr/npy.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace cxr::cli {
namespace {

struct PreprocessOptions {
  std::string spec_path, list_path, output, format = "f32", root;
  std::vector<std::string> paths;
  int threads = 0;
};

// Reads one path per line (blank lines skipped, trailing CR removed); relative paths join --root.
Result<std::vector<std::string>> read_list(const std::string& list_path, const std::string& root) {
  std::ifstream in(list_path);
  if (!in) return make_error(ErrorCode::kNotFound, list_path + ": cannot open the list file");
  std::vector<std::string> paths;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!root.empty() && std::filesystem::path(line).is_relative()) line = (std::filesystem::path(root) / line).string();
    paths.push_back(line);
  }
  return paths;
}

// One processed row: (S, S) u8 or (C, S, S) f32, zero when the input failed.
struct Row {
  std::vector<uint8_t> gray;
  std::vector<float> tensor;
  std::string error;
};

Row process_one(const std::string& path, const dicom::PreprocessSpec& spec, bool want_f32) {
  Row row;
  dicom::LoadOptions options;
  options.decoder_threads = 1;  // files are already decoded in parallel
  auto loaded = dicom::load_image(path, options);
  dicom::Image8 resized;
  if (loaded) {
    resized = dicom::resize_for_model(loaded->image, spec);
  } else {
    row.error = loaded.error().message;
    resized.width = resized.height = spec.image_size;
    resized.pixels.assign(static_cast<size_t>(spec.image_size) * spec.image_size, 0);
  }
  if (want_f32) {
    row.tensor = loaded ? dicom::to_model_tensor(resized, spec)
                        : std::vector<float>(static_cast<size_t>(spec.channels) * resized.pixels.size(), 0.0f);
  } else {
    row.gray = std::move(resized.pixels);
  }
  return row;
}

int run_preprocess(const PreprocessOptions& options) {
  auto spec = dicom::load_preprocess_spec(options.spec_path);
  if (!spec) {
    std::cerr << "cxr preprocess: " << spec.error().message << "\n";
    return kExitUsage;
  }
  if (options.format != "f32" && options.format != "u8") {
    std::cerr << "cxr preprocess: --format must be f32 or u8\n";
    return kExitUsage;
  }
  std::vector<std::string> paths;
  if (!options.list_path.empty()) {
    auto listed = read_list(options.list_path, options.root);
    if (!listed) {
      std::cerr << "cxr preprocess: " << listed.error().message << "\n";
      return kExitUsage;
    }
    paths = std::move(*listed);
  }
  for (const auto& given : options.paths) {  // a path that cannot be expanded becomes a failed row
    std::vector<std::string> notes;
    auto expanded = dicom::expand_inputs({given}, &notes);
    for (const auto& note : notes) std::cerr << "note: " << note << "\n";
    if (!expanded) {
      paths.push_back(given);
      continue;
    }
    for (auto& item : *expanded) paths.push_back(item.path);
  }
  if (paths.empty()) {
    std::cerr << "cxr preprocess: no inputs (give PATH... or --list FILE)\n";
    return kExitUsage;
  }

  const bool want_f32 = options.format == "f32";
  const int64_t size = spec->image_size;
  const int64_t n = static_cast<int64_t>(paths.size());
  std::vector<int64_t> shape = want_f32 ? std::vector<int64_t>{n, spec->channels, size, size}
                                        : std::vector<int64_t>{n, size, size};
  auto writer = NpyWriter::open(options.output, want_f32 ? NpyType::kF32 : NpyType::kU8, shape);
  if (!writer) {
    std::cerr << "cxr preprocess: " << writer.error().message << "\n";
    return kExitSomeFailed;
  }

  const int threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> failures;
  constexpr int64_t kChunk = 256;  // rows decoded in parallel, then appended in order
  for (int64_t begin = 0; begin < n; begin += kChunk) {
    const int64_t end = std::min(n, begin + kChunk);
    std::vector<Row> rows(end - begin);
    std::atomic<int64_t> next{begin};
    auto work = [&] {
      for (int64_t i; (i = next.fetch_add(1)) < end;) rows[i - begin] = process_one(paths[i], *spec, want_f32);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
    for (int64_t i = begin; i < end; ++i) {
      Row& row = rows[i - begin];
      Status appended = want_f32 ? writer->append_rows(row.tensor.data(), 1) : writer->append_rows(row.gray.data(), 1);
      if (!appended) {
        std::cerr << "cxr preprocess: " << appended.error().message << "\n";
        return kExitSomeFailed;
      }
      if (!row.error.empty()) {
        std::cerr << "error: " << row.error << "\n";
        failures.push_back(paths[i] + "\t" + row.error);
      }
    }
  }
  if (Status closed = writer->close(); !closed) {
    std::cerr << "cxr preprocess: " << closed.error().message << "\n";
    return kExitSomeFailed;
  }
  {
    std::ofstream listing(options.output + ".paths.txt");
    for (const auto& path : paths) listing << path << "\n";
    if (!listing.flush()) {
      std::cerr << "cxr preprocess: " << options.output << ".paths.txt: write failed\n";
      return kExitSomeFailed;
    }
  }
  const std::string failed_path = options.output + ".failed.txt";
  if (!failures.empty()) {
    std::ofstream failed(failed_path);
    for (const auto& line : failures) failed << line << "\n";
  } else {
    std::filesystem::remove(failed_path);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "preprocessed " << n << " images (" << failures.size() << " failed) in " << seconds << " s with "
            << threads << " threads -> " << options.output << "\n";
  return failures.empty() ? kExitOk : kExitSomeFailed;
}

}  // namespace

CXR_CLI_COMMAND("preprocess", "Images (DICOM/PNG/JPEG) to the model input tensor as .npy", [](CLI::App& sub) {
  auto options = std::make_shared<PreprocessOptions>();
  sub.add_option("--spec", options->spec_path, "preprocess.json of the model")->required()->check(CLI::ExistingFile);
  sub.add_option("--list", options->list_path, "file with one input path per line (order kept)");
  sub.add_option("--root", options->root, "folder that relative paths in --list are relative to");
  sub.add_option("paths", options->paths, "files or folders (DICOM, DICOMDIR, PNG, JPEG)");
  sub.add_option("-o,--output", options->output, "output .npy")->required();
  sub.add_option("--format", options->format, "f32: (N,C,S,S) normalised tensor; u8: (N,S,S) resized gray")
      ->check(CLI::IsMember({"f32", "u8"}));
  sub.add_option("--threads", options->threads, "worker threads (default: all cores)");
  return [options] { return run_preprocess(*options); };
});

}  // namespace cxr::cli
