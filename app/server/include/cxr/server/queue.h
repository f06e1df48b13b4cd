// cxr/server/queue.h — the durable job queue (SQLite, WAL, synchronous=FULL): every instance the
// node acknowledged, every study's state and every delivery. A kill -9 at any moment loses nothing
// committed; recover() at start puts interrupted analyses back in line.
//
// Study states: receiving -> analysing -> analysed -> done (all deliveries sent)
//                                      \-> failed (analysis failed; reason in error)
// An instance that arrives while its study is analysing/analysed/done re-opens the study (a new
// analysis once it is quiet again); a duplicate of a known SOP instance does not.
// Delivery states: pending -> sent | dead (after the last attempt; the dead-letter folder holds why).
//
// Thread-safety: one connection guarded by a mutex; all methods may be called from any thread.
// Another process may read the same file at the same time (status).
#pragma once

#include "cxr/dicom/net.h"
#include "cxr/result.h"

#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace cxr::server {

struct QueuedInstance {
  std::string sop_instance_uid, sop_class_uid, modality, path;
};

struct PendingDelivery {
  int64_t id = 0;
  std::string study_instance_uid, destination;
  int attempts = 0;
  std::vector<std::string> files;  // result files of the study's analysis
};

struct QueueStatus {
  int64_t instances_received = 0;
  int64_t studies_total = 0, studies_receiving = 0, studies_analysing = 0, studies_analysed = 0;
  int64_t studies_done = 0, studies_failed = 0, analyses = 0;
  int64_t deliveries_pending = 0, deliveries_sent = 0, deliveries_dead = 0;
  int64_t queue_depth = 0;  // studies not yet analysed + deliveries pending
  // Latency from the last received instance of a study to its last successful delivery (seconds),
  // over done studies; -1 when none.
  double latency_mean_s = -1, latency_p50_s = -1, latency_p95_s = -1, latency_max_s = -1;
};

class JobQueue {
 public:
  // Opens (creates) the database. kIo naming the file when it cannot.
  static Result<std::unique_ptr<JobQueue>> open(const std::string& path);
  // Read-only open for status of a running node.
  static Result<QueueStatus> read_status(const std::string& path);
  ~JobQueue();

  // Analyses interrupted by a crash go back to "receiving"; returns how many.
  Result<int> recover();
  // Records a durable instance (committed before returning: the C-STORE may then be acknowledged).
  Status record_instance(const cxr::dicom::net::StoredInstance& instance, double now);
  // Makes a study ready at once (a C-GET that finished: no need to wait for quiet time).
  Status mark_complete(const std::string& study_instance_uid);
  // Claims one study whose last instance is older than quiet_s: state -> analysing. "" when none.
  Result<std::string> claim_ready_study(double now, double quiet_s);
  Result<std::vector<QueuedInstance>> study_instances(const std::string& study_instance_uid);
  // Commits an analysis: result files, one pending delivery per destination (none: study done).
  Status finish_analysis(const std::string& study_instance_uid, const std::vector<std::string>& result_files,
                         const std::vector<std::string>& destinations, double now);
  Status fail_analysis(const std::string& study_instance_uid, const std::string& reason, double now);
  // Puts a claimed study back (shutdown before its analysis finished).
  Status release_study(const std::string& study_instance_uid);
  Result<std::vector<PendingDelivery>> due_deliveries(double now, int limit);
  Status delivery_sent(int64_t id, double now);
  // next_attempt_at < 0: no more attempts, the delivery is dead.
  Status delivery_failed(int64_t id, const std::string& reason, double next_attempt_at);
  // State of one study ("" when unknown) and how many analyses it had.
  Result<std::pair<std::string, int>> study_state(const std::string& study_instance_uid);
  Result<QueueStatus> status();

 private:
  explicit JobQueue(sqlite3* db);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Seconds since the Unix epoch (wall clock, sub-second).
double now_seconds();

}  // namespace cxr::server
