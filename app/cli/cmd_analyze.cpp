// cxr analyze PATH... — suggested findings for chest X-rays (DICOM, PNG, JPEG), with notes.
// Formats: text (default), json, csv (one row per instance and finding), sr (one DICOM SR per study
// into the -o folder). Resumable: re-running with the same -o skips instances already in it.
// Exit codes: 0 all inputs analysed, 1 some failed (each reported on stderr), 2 usage error.
#include "command.h"
#include "engine_flags.h"

#include "cxr/core/analyzer.h"
#include "cxr/core/anonymize.h"
#include "cxr/core/csv.h"
#include "cxr/core/disclaimer.h"
#include "cxr/core/report.h"
#include "cxr/core/results_io.h"
#include "cxr/dicom/inputs.h"
#include "cxr/dicom/metadata.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

namespace cxr::cli {
namespace {
namespace fs = std::filesystem;

struct AnalyzeArgs {
  std::vector<std::string> inputs;
  std::string notes, notes_csv, library, findings, format = "text", out, heatmaps_dir;
  std::string operating_point = "default";
  AnalyzerFlags model;  // --model --prompts --backend --threads (compute and loader) --precision
  int batch = 8;
  bool anonymize = false;
  bool heatmap_sc = false, korean = false;
};

bool read_file(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// --notes-csv: path -> notes, matched by path as given or by file name.
struct NotesTable {
  std::map<std::string, std::string> by_path, by_name;
  std::string find(const std::string& path) const {
    if (auto it = by_path.find(path); it != by_path.end()) return it->second;
    if (auto it = by_name.find(fs::path(path).filename().string()); it != by_name.end()) return it->second;
    return {};
  }
};

Result<NotesTable> load_notes_csv(const std::string& path) {
  auto table = core::read_csv(path);
  if (!table) return table.error();
  const int c_path = table->column("path"), c_notes = table->column("notes");
  if (c_path < 0 || c_notes < 0) return make_error(ErrorCode::kCorruptData, path + ": needs columns path,notes");
  NotesTable t;
  for (const auto& row : table->rows) {
    t.by_path[row[c_path]] = row[c_notes];
    t.by_name[fs::path(row[c_path]).filename().string()] = row[c_notes];
  }
  return t;
}

// Progress bar on stderr, only when it is a terminal.
class Progress {
 public:
  explicit Progress(int total) : total_(total), enabled_(::isatty(STDERR_FILENO) == 1 && total > 1) {}
  void update(int done) {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mu_);
    const int width = 30, filled = total_ > 0 ? width * done / total_ : width;
    std::fprintf(stderr, "\r[%s%s] %d/%d", std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 done, total_);
    if (done >= total_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  int total_;
  bool enabled_;
  std::mutex mu_;
};

Status write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error(ErrorCode::kIo, path + ": cannot write (check the folder exists and is writable)");
    out << text;
    if (!out.flush()) return make_error(ErrorCode::kIo, path + ": write failed (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return make_error(ErrorCode::kIo, path + ": cannot rename: " + ec.message());
  return Status::Ok();
}

// Instances already finished in an earlier run with the same -o (json/csv), to be skipped.
struct Resume {
  std::vector<core::InstanceResult> previous;  // json: kept and re-written
  std::set<std::string> done;
  std::string csv_kept;                        // csv: complete rows kept
};

Result<Resume> load_resume(const AnalyzeArgs& a, std::size_t findings_per_instance) {
  Resume r;
  if (a.out.empty() || !fs::exists(a.out)) return r;
  std::string text;
  if (!read_file(a.out, &text)) return make_error(ErrorCode::kIo, a.out + ": cannot read the earlier output");
  if (a.format == "json") {
    auto prev = core::instances_from_json(text, a.out);
    if (!prev) return prev.error();
    for (auto& inst : prev.value()) {
      if (inst.ok() && inst.findings.size() == findings_per_instance) {
        r.done.insert(inst.path);
        r.previous.push_back(std::move(inst));
      }
    }
  } else if (a.format == "csv") {
    // Keep the rows of instances that have all their findings (an interrupted run may leave a partial one).
    auto table = core::parse_csv(text, a.out);
    if (!table) return table.error();
    const int c_path = table->column("path");
    if (c_path < 0) return make_error(ErrorCode::kCorruptData, a.out + ": not a `cxr analyze` CSV (no path column)");
    std::map<std::string, std::vector<std::size_t>> rows_of;
    for (std::size_t i = 0; i < table->rows.size(); ++i) rows_of[table->rows[i][c_path]].push_back(i);
    for (const auto& [path, rows] : rows_of) {
      if (rows.size() != findings_per_instance) continue;
      r.done.insert(path);
      for (std::size_t i : rows) {
        std::string line;
        for (std::size_t c = 0; c < table->rows[i].size(); ++c) {
          line += (c ? "," : "") + core::csv_field(table->rows[i][c]);
        }
        r.csv_kept += line + "\n";
      }
    }
  }
  return r;
}

std::string safe_name(const std::string& s) {
  std::string out;
  for (char c : s) out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_');
  return out.empty() ? "x" : out;
}

// Output sink for one format; append() is called after each batch so the output is always resumable.
class Sink {
 public:
  Sink(const AnalyzeArgs& a, const core::Provenance& p, Resume resume)
      : a_(a), provenance_(p), resume_(std::move(resume)) {}

  Status begin() {
    if (a_.format == "csv" && !a_.out.empty()) {
      const std::string head = std::string("# ") + core::kDisclaimer + "\n" + core::csv_header_line() + resume_.csv_kept;
      if (Status s = write_atomically(a_.out, head); !s) return s;
      csv_.open(a_.out, std::ios::binary | std::ios::app);
      if (!csv_) return make_error(ErrorCode::kIo, a_.out + ": cannot append");
    } else if (a_.format == "csv") {
      std::cout << "# " << core::kDisclaimer << "\n" << core::csv_header_line();
    } else if (a_.format == "text") {
      text_ << core::kDisclaimer << "\n\n";
      if (a_.out.empty()) std::cout << text_.str(), text_.str("");
    }
    return Status::Ok();
  }

  Status append(const std::vector<core::InstanceResult>& batch) {
    for (const auto& r : batch) {
      all_.push_back(r);
      if (!r.ok()) continue;
      if (a_.format == "csv") {
        if (!a_.out.empty()) csv_ << core::csv_rows(r) << std::flush;
        else std::cout << core::csv_rows(r);
      } else if (a_.format == "text") {
        if (a_.out.empty()) std::cout << core::text_report(r, a_.korean) << "\n";
        else text_ << core::text_report(r, a_.korean) << "\n";
      }
    }
    if (a_.format == "json" && !a_.out.empty()) return write_json(false);
    return Status::Ok();
  }

  // Final output: JSON with study aggregation, SR per study, text file.
  Status finish(std::vector<std::string>* failures) {
    if (a_.format == "json") return a_.out.empty() ? (std::cout << json(true) << "\n", Status::Ok()) : write_json(true);
    if (a_.format == "text" && !a_.out.empty()) return write_atomically(a_.out, text_.str());
    if (a_.format == "sr") return write_srs(failures);
    return Status::Ok();
  }

 private:
  std::string json(bool with_studies) const {
    std::vector<core::InstanceResult> everything = resume_.previous;
    everything.insert(everything.end(), all_.begin(), all_.end());
    const auto studies = with_studies ? core::Analyzer::aggregate(everything) : std::vector<core::StudyResult>{};
    return core::results_to_json(everything, studies, provenance_, false);
  }
  Status write_json(bool final) { return write_atomically(a_.out, json(final) + "\n"); }

  Status write_srs(std::vector<std::string>* failures) {
    const auto studies = core::Analyzer::aggregate(all_);
    for (const auto& s : studies) {
      const std::string name = s.study_instance_uid.empty() ? fs::path(s.instance_paths.front()).stem().string()
                                                            : s.study_instance_uid;
      const std::string path = (fs::path(a_.out) / (safe_name(name) + ".sr.dcm")).string();
      if (Status st = core::write_study_sr(path, s, all_, provenance_); !st) failures->push_back(st.error().message);
    }
    return Status::Ok();
  }

  const AnalyzeArgs& a_;
  core::Provenance provenance_;
  Resume resume_;
  std::vector<core::InstanceResult> all_;
  std::ofstream csv_;
  std::ostringstream text_;
};

void write_heatmaps(const AnalyzeArgs& a, const std::vector<core::InstanceResult>& batch,
                    const core::Provenance& provenance, std::vector<std::string>* failures) {
  for (const auto& r : batch) {
    if (!r.ok()) continue;
    const std::string stem = safe_name(fs::path(r.path).stem().string());
    for (const auto& f : r.findings) {
      const fs::path png = fs::path(a.heatmaps_dir) / (stem + "_" + f.id + ".png");
      if (Status s = core::write_heatmap_png(png.string(), r, f); !s) failures->push_back(s.error().message);
      if (a.heatmap_sc && r.meta.is_dicom) {
        const fs::path sc = fs::path(a.heatmaps_dir) / (stem + "_" + f.id + ".sc.dcm");
        if (Status s = core::write_heatmap_secondary_capture(sc.string(), r, f, provenance); !s) {
          failures->push_back(s.error().message);
        }
      }
    }
  }
}

// For --format sr: instances whose study already has an SR in the -o folder are skipped.
std::set<std::string> sr_done(const AnalyzeArgs& a, const std::vector<core::BatchItem>& items) {
  std::set<std::string> done;
  for (const auto& it : items) {
    auto meta = dicom::read_metadata(it.path);
    if (!meta || !meta->is_dicom || meta->study_instance_uid.empty()) continue;
    if (fs::exists(fs::path(a.out) / (safe_name(meta->study_instance_uid) + ".sr.dcm"))) done.insert(it.path);
  }
  return done;
}

int run_analyze(const AnalyzeArgs& a) {
  if (a.format != "text" && a.format != "json" && a.format != "csv" && a.format != "sr") {
    std::cerr << "cxr analyze: --format must be text, json, csv or sr\n";
    return kExitUsage;
  }
  if (a.format == "sr" && a.out.empty()) {
    std::cerr << "cxr analyze: --format sr needs -o FOLDER\n";
    return kExitUsage;
  }
  if (a.anonymize && (a.format == "sr" || a.heatmap_sc || !a.heatmaps_dir.empty())) {
    std::cerr << "cxr analyze: --anonymize exports text, json or csv only (SR, Secondary Captures and heatmap "
                 "images carry the patient's study or pixels)\n";
    return kExitUsage;
  }
  if (a.anonymize && !a.out.empty() && fs::exists(a.out)) {
    std::cerr << "cxr analyze: " << a.out << " exists; an anonymised export uses a fresh key and cannot be resumed: "
                 "remove it or choose another -o\n";
    return kExitUsage;
  }
  if (a.batch < 1 || a.model.engine.threads < 0) {
    std::cerr << "cxr analyze: --batch must be >= 1 and --threads >= 0\n";
    return kExitUsage;
  }
  // Notes.
  std::string notes = a.notes;
  if (!notes.empty() && notes[0] == '@') {
    if (!read_file(notes.substr(1), &notes)) {
      std::cerr << "cxr analyze: cannot read notes file " << a.notes.substr(1) << "\n";
      return kExitUsage;
    }
  }
  NotesTable notes_table;
  if (!a.notes_csv.empty()) {
    auto t = load_notes_csv(a.notes_csv);
    if (!t) {
      std::cerr << "cxr analyze: " << t.error().message << "\n";
      return kExitUsage;
    }
    notes_table = std::move(t).value();
  }
  // Inputs: each named path expanded on its own so one missing path does not stop the others.
  std::vector<std::string> failures;
  std::vector<core::BatchItem> items;
  for (const auto& in : a.inputs) {
    std::vector<std::string> skipped;
    auto expanded = dicom::expand_inputs({in}, &skipped);
    if (!expanded) {
      failures.push_back(expanded.error().message);
      continue;
    }
    for (const auto& s : skipped) std::cerr << "cxr analyze: " << s << "\n";
    for (const auto& item : expanded.value()) {
      std::string n = notes_table.find(item.path);
      if (n.empty()) n = notes_table.find(in);
      if (n.empty()) n = notes;
      items.push_back({item.path, n});
    }
  }
  // The analyzer.
  core::AnalyzerOptions opt;
  apply(a.model, opt);
  opt.site_library = a.library;
  if (opt.site_library.empty()) {
    // The site library is used when present: $CXR_SITE_LIBRARY, else ./site-library.json (what
    // `cxr teach` / `cxr calibrate` write by default).
    const char* env = std::getenv("CXR_SITE_LIBRARY");
    if (env != nullptr && *env != '\0') opt.site_library = env;
    else if (fs::exists("site-library.json")) opt.site_library = "site-library.json";
    if (!opt.site_library.empty()) std::cerr << "cxr analyze: using site library " << opt.site_library << "\n";
  }
  opt.findings = split_ids(a.findings);
  opt.heatmaps = !a.heatmaps_dir.empty();
  opt.operating_point = a.operating_point;
  auto analyzer = core::Analyzer::create(opt);
  if (!analyzer) {
    std::cerr << "cxr analyze: " << analyzer.error().message << "\n";
    return analyzer.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitSomeFailed;
  }
  if (!a.heatmaps_dir.empty()) fs::create_directories(a.heatmaps_dir);
  if (a.format == "sr") fs::create_directories(a.out);
  auto resume = load_resume(a, analyzer.value()->findings().size());
  if (!resume) {
    std::cerr << "cxr analyze: " << resume.error().message << "\n";
    return kExitUsage;
  }
  std::set<std::string> done = resume->done;
  if (a.format == "sr") done = sr_done(a, items);
  std::vector<core::BatchItem> todo;
  for (const auto& it : items) {
    if (!done.count(it.path)) todo.push_back(it);
  }
  if (!done.empty()) std::cerr << "cxr analyze: resuming: " << done.size() << " instance(s) already in " << a.out << "\n";
  Sink sink(a, analyzer.value()->provenance(), std::move(resume).value());
  if (Status s = sink.begin(); !s) {
    std::cerr << "cxr analyze: " << s.error().message << "\n";
    return kExitSomeFailed;
  }
  Progress progress(static_cast<int>(todo.size()));
  std::optional<core::Pseudonymizer> pseudonymizer;
  if (a.anonymize) pseudonymizer = core::Pseudonymizer::with_random_key();
  const std::size_t group = static_cast<std::size_t>(a.batch) * 4;  // checkpoint granularity
  int finished = 0;
  for (std::size_t begin = 0; begin < todo.size(); begin += group) {
    const std::vector<core::BatchItem> part(todo.begin() + begin, todo.begin() + std::min(todo.size(), begin + group));
    const int base = finished;
    auto results = analyzer.value()->analyze_batch(
        part, core::BatchOptions{a.batch, a.model.engine.threads}, [&](int d, int, const std::string&) { progress.update(base + d); });
    finished += static_cast<int>(part.size());
    for (const auto& r : results) {
      if (!r.ok()) failures.push_back(r.error);  // to the operator's console, with the real path
    }
    if (pseudonymizer)
      for (auto& r : results) pseudonymizer->apply(r);  // before anything is written
    if (!a.heatmaps_dir.empty()) write_heatmaps(a, results, analyzer.value()->provenance(), &failures);
    if (Status s = sink.append(results); !s) {
      std::cerr << "cxr analyze: " << s.error().message << "\n";
      return kExitSomeFailed;
    }
  }
  if (Status s = sink.finish(&failures); !s) failures.push_back(s.error().message);
  for (const auto& f : failures) std::cerr << "cxr analyze: failed: " << f << "\n";
  if (items.empty() && failures.empty()) {
    std::cerr << "cxr analyze: no image found in the given paths\n";
    return kExitSomeFailed;
  }
  return failures.empty() ? kExitOk : kExitSomeFailed;
}

CXR_CLI_COMMAND("analyze", "Suggest findings for chest X-rays (decision support, not a diagnosis)", [](CLI::App& sub) {
  auto a = std::make_shared<AnalyzeArgs>();
  sub.add_option("paths", a->inputs, "DICOM/PNG/JPEG files, folders or DICOMDIR")->required();
  sub.add_option("--notes", a->notes, "clinical notes for every input: TEXT or @FILE");
  sub.add_option("--notes-csv", a->notes_csv, "CSV with columns path,notes (matched by path or file name)");
  sub.add_option("--library", a->library,
                 "site library from `cxr teach` / `cxr calibrate` (default: $CXR_SITE_LIBRARY, else ./site-library.json if present)");
  sub.add_option("--findings", a->findings, "comma-separated finding ids (default: all)");
  sub.add_option("--format", a->format, "text | json | csv | sr")->capture_default_str();
  sub.add_option("-o,--output", a->out, "output file (text/json/csv) or folder (sr); re-running resumes");
  sub.add_option("--heatmaps", a->heatmaps_dir, "write a heatmap overlay PNG per instance and finding here");
  sub.add_flag("--heatmap-sc", a->heatmap_sc, "also write heatmap DICOM Secondary Captures (same study)");
  sub.add_flag("--anonymize", a->anonymize,
               "pseudonymise the export: paths and UIDs replaced (fresh random key), patient fields and "
               "quoted note sentences removed; text/json/csv only");
  sub.add_option("--batch", a->batch, "images per encoder call")->capture_default_str();
  add_analyzer_flags(sub, a->model);
  sub.add_option("--operating-point", a->operating_point, "default | high_sensitivity | high_specificity")
      ->capture_default_str();
  sub.add_flag("--korean", a->korean, "Korean finding names in the text report");
  return [a]() { return run_analyze(*a); };
});

}  // namespace
}  // namespace cxr::cli
