// The PACS node: wiring of SCP, queue, analysis workers and the delivery thread (see node.h).
#include "cxr/server/node.h"

#include "cxr/server/delivery.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace cxr::server {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Records each durable instance in the queue before the SCP acknowledges it.
class QueueSink final : public cxr::dicom::net::StoreSink {
 public:
  QueueSink(JobQueue& queue, Logger& log) : queue_(queue), log_(log) {}
  Status on_stored(const cxr::dicom::net::StoredInstance& in) override {
    Status s = queue_.record_instance(in, now_seconds());
    if (s) {
      log_.debug("instance_stored", "instance stored and queued",
                 {{"study_uid", in.study_instance_uid}, {"sop_uid", in.sop_instance_uid}, {"bytes", in.bytes},
                  {"calling_ae", in.calling_ae}});
    }
    return s;
  }

 private:
  JobQueue& queue_;
  Logger& log_;
};

void fsync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Exception(ErrorCode::kIo, path + ": cannot open to sync");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw Exception(ErrorCode::kIo, path + ": fsync failed");
}

bool is_uid(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class NodeImpl final : public Node {
 public:
  NodeImpl(ServerConfig config, std::shared_ptr<const StudyAnalyzer> analyzer, Logger& log)
      : config_(std::move(config)), analyzer_(std::move(analyzer)), log_(log) {}

  ~NodeImpl() override { stop(0); }

  void open(bool listen) {
    for (const auto& dir : {config_.data_dir, config_.results_dir(), config_.dead_letter_dir(), config_.node.storage_dir})
      fs::create_directories(dir);
    auto q = JobQueue::open(config_.queue_db());
    if (!q) throw Exception(q.error().code, q.error().message);
    queue_ = std::move(*q);
    auto recovered = queue_->recover();
    if (!recovered) throw Exception(recovered.error().code, recovered.error().message);
    if (*recovered > 0)
      log_.info("recovered", "interrupted analyses put back in the queue", {{"studies", *recovered}});
    sink_ = std::make_unique<QueueSink>(*queue_, log_);
    for (int i = 0; i < config_.analysis.workers; ++i) threads_.emplace_back([this] { analysis_loop(); });
    threads_.emplace_back([this] { delivery_loop(); });
    if (listen) {
      auto scp = cxr::dicom::net::StoreScp::start(config_.node, sink_.get(), [this](const cxr::dicom::net::NetEvent& e) {
        LogLevel level = LogLevel::kInfo;
        parse_log_level(e.level, level);
        log_.log(level, e.event, e.message, {{"calling_ae", e.calling_ae}});
      });
      if (!scp) {
        stop(0);
        throw Exception(scp.error().code, scp.error().message);
      }
      scp_ = std::move(*scp);
    }
    log_.info("node_started", "node started",
              {{"ae_title", config_.node.ae_title}, {"port", listen ? config_.node.port : 0}, {"tls", config_.node.tls.enabled},
               {"engine", analyzer_->name()}, {"destinations", config_.destinations.size()}});
  }

  void stop(int grace_s) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
    }
    if (scp_) scp_->stop(grace_s);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
    if (queue_) log_.info("node_stopped", "node stopped; unfinished work stays queued");
  }

  cxr::dicom::net::StoreSink& sink() override { return *sink_; }
  JobQueue& queue() override { return *queue_; }

 private:
  // Sleeps up to ms or until stop; returns false when stopping.
  bool pause(int ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping_; });
    return !stopping_;
  }

  bool stopping() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  }

  void analysis_loop() {
    while (!stopping()) {
      auto claimed = queue_->claim_ready_study(now_seconds(), config_.study_quiet_s);
      if (!claimed) {
        log_.error("queue_error", claimed.error().message);
        if (!pause(1000)) return;
        continue;
      }
      if (claimed->empty()) {
        if (!pause(100)) return;
        continue;
      }
      analyse(*claimed);
    }
  }

  StudyInput input_for(const std::string& uid) {
    auto instances = queue_->study_instances(uid);
    if (!instances) throw Exception(instances.error().code, instances.error().message);
    StudyInput input;
    input.study_instance_uid = uid;
    for (const auto& i : *instances) input.instances.push_back({i.path, i.sop_class_uid, i.sop_instance_uid});
    if (!config_.notes_dir.empty() && is_uid(uid)) {
      fs::path sidecar = fs::path(config_.notes_dir) / (uid + ".txt");
      if (fs::is_regular_file(sidecar)) input.sidecar_notes = read_text(sidecar.string());
    }
    input.output_dir = (fs::path(config_.results_dir()) / uid).string();
    fs::create_directories(input.output_dir);
    return input;
  }

  void analyse(const std::string& uid) {
    auto t0 = std::chrono::steady_clock::now();
    auto result = capture([&] {
      StudyInput input = input_for(uid);
      auto out = analyzer_->analyze(input);
      if (!out) throw Exception(out.error().code, out.error().message);
      for (const auto& f : out->result_files) fsync_file(f);
      Status dir_synced = cxr::dicom::net::sync_directory(input.output_dir);
      if (!dir_synced) throw Exception(dir_synced.error().code, dir_synced.error().message);
      return *out;
    });
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!result) {
      fail(uid, result.error().message);
      return;
    }
    std::vector<std::string> names;
    for (const auto& d : config_.destinations) names.push_back(d.name);
    Status committed = queue_->finish_analysis(uid, result->result_files, names, now_seconds());
    if (!committed) {
      log_.error("queue_error", "analysis done but not recorded: " + committed.error().message, {{"study_uid", uid}});
      return;
    }
    log_.info("study_analysed", "study analysed",
              {{"study_uid", uid}, {"engine", analyzer_->name()}, {"instances", result->instances_analysed},
               {"skipped", result->instances_skipped}, {"results", result->result_files.size()},
               {"duration_ms", static_cast<int64_t>(ms)}, {"summary", result->summary}});
    wake_.notify_all();
  }

  void fail(const std::string& uid, const std::string& reason) {
    log_.error("analysis_failed", reason, {{"study_uid", uid}});
    write_dead_letter(uid + ".analysis.json", {{"study_uid", uid}, {"stage", "analysis"}, {"reason", reason}});
    Status s = queue_->fail_analysis(uid, reason, now_seconds());
    if (!s) log_.error("queue_error", s.error().message, {{"study_uid", uid}});
  }

  void write_dead_letter(const std::string& name, json record) {
    record["time"] = now_seconds();
    std::string path = (fs::path(config_.dead_letter_dir()) / name).string();
    Status s = cxr::dicom::net::write_file_durably(path, record.dump(2) + "\n");
    if (!s) log_.error("dead_letter_failed", s.error().message);
  }

  const Destination* destination(const std::string& name) const {
    for (const auto& d : config_.destinations)
      if (d.name == name) return &d;
    return nullptr;
  }

  void delivery_loop() {
    while (!stopping()) {
      auto due = queue_->due_deliveries(now_seconds(), 16);
      if (!due) {
        log_.error("queue_error", due.error().message);
        if (!pause(1000)) return;
        continue;
      }
      if (due->empty()) {
        if (!pause(100)) return;
        continue;
      }
      for (const auto& d : *due) {
        if (stopping()) return;
        deliver_one(d);
      }
    }
  }

  void deliver_one(const PendingDelivery& p) {
    const Destination* dest = destination(p.destination);
    Status s = dest ? deliver(*dest, p.files)
                    : Status(make_error(ErrorCode::kNotFound, "destination '" + p.destination + "' is no longer configured"));
    int attempt = p.attempts + 1;
    json fields = {{"study_uid", p.study_instance_uid}, {"destination", p.destination}, {"attempt", attempt}};
    if (s) {
      Status recorded = queue_->delivery_sent(p.id, now_seconds());
      if (!recorded) log_.error("queue_error", recorded.error().message, fields);
      log_.info("delivered", "results delivered", fields);
      return;
    }
    bool last = !dest || attempt >= config_.retry.max_attempts;
    double next = last ? -1 : now_seconds() + backoff_seconds(config_.retry, attempt);
    fields["reason"] = s.error().message;
    if (last) {
      log_.error("delivery_dead", "delivery failed for the last time; see the dead-letter folder", fields);
      json record = fields;
      record["stage"] = "delivery";
      record["files"] = p.files;
      write_dead_letter(p.study_instance_uid + "." + p.destination + ".json", record);
    } else {
      fields["retry_in_s"] = next - now_seconds();
      log_.warn("delivery_retry", "delivery failed; will retry", fields);
    }
    Status recorded = queue_->delivery_failed(p.id, s.error().message, next);
    if (!recorded) log_.error("queue_error", recorded.error().message, fields);
  }

  ServerConfig config_;
  std::shared_ptr<const StudyAnalyzer> analyzer_;
  Logger& log_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<QueueSink> sink_;
  std::unique_ptr<cxr::dicom::net::StoreScp> scp_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<Node>> Node::start(const ServerConfig& config, std::shared_ptr<const StudyAnalyzer> analyzer,
                                          Logger& log, bool listen) {
  return capture([&]() -> std::unique_ptr<Node> {
    auto node = std::make_unique<NodeImpl>(config, std::move(analyzer), log);
    node->open(listen);
    return node;
  });
}

}  // namespace cxr::server
