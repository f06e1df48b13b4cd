// The durable job queue on SQLite (WAL journal, synchronous=FULL: a commit is on disk when it returns).
#include "cxr/server/queue.h"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

namespace cxr::server {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS instances(
  sop_instance_uid TEXT PRIMARY KEY,
  study_instance_uid TEXT NOT NULL,
  sop_class_uid TEXT NOT NULL,
  modality TEXT,
  path TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  calling_ae TEXT,
  received_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS instances_by_study ON instances(study_instance_uid);
CREATE TABLE IF NOT EXISTS studies(
  study_instance_uid TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  reopen INTEGER NOT NULL DEFAULT 0,
  first_received_at REAL NOT NULL,
  last_received_at REAL NOT NULL,
  analysis_count INTEGER NOT NULL DEFAULT 0,
  analysed_at REAL,
  done_at REAL,
  result_files TEXT,
  error TEXT);
CREATE INDEX IF NOT EXISTS studies_by_state ON studies(state, last_received_at);
CREATE TABLE IF NOT EXISTS deliveries(
  id INTEGER PRIMARY KEY,
  study_instance_uid TEXT NOT NULL,
  destination TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at REAL NOT NULL,
  last_error TEXT,
  sent_at REAL,
  UNIQUE(study_instance_uid, destination));
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(state, next_attempt_at);
)sql";

// One prepared statement; finalised on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw Exception(ErrorCode::kInternal, std::string("queue: cannot prepare statement: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt& bind(int i, const std::string& v) { sqlite3_bind_text(stmt_, i, v.c_str(), -1, SQLITE_TRANSIENT); return *this; }
  Stmt& bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); return *this; }
  Stmt& bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  // true while a row is available.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw Exception(ErrorCode::kIo, std::string("queue database: ") + sqlite3_errmsg(db_) + "; check disk space and permissions");
  }
  std::string text(int col) const {
    auto* p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Exception(ErrorCode::kIo, "queue database: " + msg);
  }
}

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }
  void commit() { exec(db_, "COMMIT"); done_ = true; }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool done_ = false;
};

Status to_status(Result<int> r) {
  if (!r) return r.error();
  return Status::Ok();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  size_t idx = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(idx, v.size() - 1)];
}

QueueStatus collect_status(sqlite3* db) {
  QueueStatus s;
  {
    Stmt q(db, "SELECT COUNT(*) FROM instances");
    if (q.step()) s.instances_received = q.integer(0);
  }
  {
    Stmt q(db, "SELECT state, COUNT(*), SUM(analysis_count) FROM studies GROUP BY state");
    while (q.step()) {
      std::string state = q.text(0);
      int64_t n = q.integer(1);
      s.studies_total += n;
      s.analyses += q.integer(2);
      if (state == "receiving") s.studies_receiving = n;
      else if (state == "analysing") s.studies_analysing = n;
      else if (state == "analysed") s.studies_analysed = n;
      else if (state == "done") s.studies_done = n;
      else if (state == "failed") s.studies_failed = n;
    }
  }
  {
    Stmt q(db, "SELECT state, COUNT(*) FROM deliveries GROUP BY state");
    while (q.step()) {
      std::string state = q.text(0);
      if (state == "pending") s.deliveries_pending = q.integer(1);
      else if (state == "sent") s.deliveries_sent = q.integer(1);
      else if (state == "dead") s.deliveries_dead = q.integer(1);
    }
  }
  s.queue_depth = s.studies_receiving + s.studies_analysing + s.deliveries_pending;
  std::vector<double> latencies;
  {
    Stmt q(db, "SELECT done_at - last_received_at FROM studies WHERE state='done' AND done_at IS NOT NULL");
    while (q.step()) latencies.push_back(q.real(0));
  }
  if (!latencies.empty()) {
    double sum = 0;
    for (double l : latencies) sum += l;
    s.latency_mean_s = sum / static_cast<double>(latencies.size());
    s.latency_p50_s = percentile(latencies, 0.5);
    s.latency_p95_s = percentile(latencies, 0.95);
    s.latency_max_s = *std::max_element(latencies.begin(), latencies.end());
  }
  return s;
}

sqlite3* open_db(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw Exception(ErrorCode::kIo, path + ": cannot open queue database: " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  return db;
}

}  // namespace

struct JobQueue::Impl {
  sqlite3* db;
  std::mutex mutex;
  ~Impl() { sqlite3_close(db); }
};

double now_seconds() {
  using namespace std::chrono;
  return duration_cast<duration<double>>(system_clock::now().time_since_epoch()).count();
}

JobQueue::JobQueue(sqlite3* db) : impl_(std::make_unique<Impl>()) { impl_->db = db; }
JobQueue::~JobQueue() = default;

Result<std::unique_ptr<JobQueue>> JobQueue::open(const std::string& path) {
  return capture([&] {
    sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    std::unique_ptr<JobQueue> q(new JobQueue(db));
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=FULL");
    exec(db, "PRAGMA foreign_keys=ON");
    exec(db, kSchema);
    return q;
  });
}

Result<QueueStatus> JobQueue::read_status(const std::string& path) {
  return capture([&] {
    sqlite3* db = open_db(path, SQLITE_OPEN_READONLY);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> guard(db, sqlite3_close);
    return collect_status(db);
  });
}

Result<int> JobQueue::recover() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return capture([&] {
    Stmt q(impl_->db, "UPDATE studies SET state='receiving' WHERE state='analysing'");
    q.step();
    return sqlite3_changes(impl_->db);
  });
}

Status JobQueue::record_instance(const cxr::dicom::net::StoredInstance& in, double now) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    sqlite3* db = impl_->db;
    Transaction tx(db);
    Stmt ins(db, "INSERT OR IGNORE INTO instances(sop_instance_uid, study_instance_uid, sop_class_uid, modality, path,"
                 " bytes, calling_ae, received_at) VALUES(?,?,?,?,?,?,?,?)");
    ins.bind(1, in.sop_instance_uid).bind(2, in.study_instance_uid).bind(3, in.sop_class_uid).bind(4, in.modality)
        .bind(5, in.path).bind(6, static_cast<int64_t>(in.bytes)).bind(7, in.calling_ae).bind(8, now);
    ins.step();
    bool is_new = sqlite3_changes(db) == 1;
    if (!is_new) {  // a resend of a known instance: keep the newest file, do not re-open the study
      Stmt upd(db, "UPDATE instances SET path=?, bytes=? WHERE sop_instance_uid=?");
      upd.bind(1, in.path).bind(2, static_cast<int64_t>(in.bytes)).bind(3, in.sop_instance_uid).step();
    }
    Stmt study(db, "INSERT INTO studies(study_instance_uid, state, first_received_at, last_received_at)"
                   " VALUES(?, 'receiving', ?, ?) ON CONFLICT(study_instance_uid) DO UPDATE SET"
                   " last_received_at = CASE WHEN ?4 THEN excluded.last_received_at ELSE last_received_at END,"
                   " reopen = CASE WHEN ?4 AND state='analysing' THEN 1 ELSE reopen END,"
                   " state = CASE WHEN ?4 AND state IN ('analysed','done','failed') THEN 'receiving' ELSE state END");
    study.bind(1, in.study_instance_uid).bind(2, now).bind(3, now).bind(4, static_cast<int64_t>(is_new ? 1 : 0));
    study.step();
    tx.commit();
    return 0;
  }));
}

Status JobQueue::mark_complete(const std::string& uid) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    Stmt q(impl_->db, "UPDATE studies SET last_received_at = last_received_at - 1e9 WHERE study_instance_uid=? AND state='receiving'");
    q.bind(1, uid).step();
    return 0;
  }));
}

Result<std::string> JobQueue::claim_ready_study(double now, double quiet_s) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return capture([&] {
    Stmt q(impl_->db, "UPDATE studies SET state='analysing', reopen=0 WHERE study_instance_uid = ("
                      " SELECT study_instance_uid FROM studies WHERE state='receiving' AND last_received_at <= ?"
                      " ORDER BY last_received_at LIMIT 1) RETURNING study_instance_uid");
    q.bind(1, now - quiet_s);
    std::string uid = q.step() ? q.text(0) : "";
    while (q.step()) {}
    return uid;
  });
}

Result<std::vector<QueuedInstance>> JobQueue::study_instances(const std::string& uid) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return capture([&] {
    Stmt q(impl_->db, "SELECT sop_instance_uid, sop_class_uid, modality, path FROM instances"
                      " WHERE study_instance_uid=? ORDER BY received_at");
    q.bind(1, uid);
    std::vector<QueuedInstance> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3)});
    return out;
  });
}

Status JobQueue::finish_analysis(const std::string& uid, const std::vector<std::string>& files,
                                 const std::vector<std::string>& destinations, double now) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    sqlite3* db = impl_->db;
    Transaction tx(db);
    const char* next_state = destinations.empty() ? "done" : "analysed";
    Stmt s(db, "UPDATE studies SET state = CASE WHEN reopen=1 THEN 'receiving' ELSE ?1 END, reopen=0,"
               " analysis_count = analysis_count + 1, analysed_at=?2, result_files=?3, error=NULL,"
               " done_at = CASE WHEN ?1='done' THEN ?2 ELSE NULL END WHERE study_instance_uid=?4");
    s.bind(1, std::string(next_state)).bind(2, now).bind(3, nlohmann::json(files).dump()).bind(4, uid).step();
    for (const auto& d : destinations) {
      Stmt ins(db, "INSERT INTO deliveries(study_instance_uid, destination, state, attempts, next_attempt_at)"
                   " VALUES(?, ?, 'pending', 0, ?) ON CONFLICT(study_instance_uid, destination) DO UPDATE SET"
                   " state='pending', attempts=0, next_attempt_at=excluded.next_attempt_at, last_error=NULL, sent_at=NULL");
      ins.bind(1, uid).bind(2, d).bind(3, now).step();
    }
    tx.commit();
    return 0;
  }));
}

Status JobQueue::fail_analysis(const std::string& uid, const std::string& reason, double now) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    Stmt s(impl_->db, "UPDATE studies SET state = CASE WHEN reopen=1 THEN 'receiving' ELSE 'failed' END, reopen=0,"
                      " error=?, done_at=? WHERE study_instance_uid=?");
    s.bind(1, reason).bind(2, now).bind(3, uid).step();
    return 0;
  }));
}

Status JobQueue::release_study(const std::string& uid) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    Stmt s(impl_->db, "UPDATE studies SET state='receiving', reopen=0 WHERE study_instance_uid=? AND state='analysing'");
    s.bind(1, uid).step();
    return 0;
  }));
}

Result<std::vector<PendingDelivery>> JobQueue::due_deliveries(double now, int limit) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return capture([&] {
    Stmt q(impl_->db, "SELECT d.id, d.study_instance_uid, d.destination, d.attempts, s.result_files FROM deliveries d"
                      " JOIN studies s USING(study_instance_uid) WHERE d.state='pending' AND d.next_attempt_at <= ?"
                      " ORDER BY d.next_attempt_at LIMIT ?");
    q.bind(1, now).bind(2, static_cast<int64_t>(limit));
    std::vector<PendingDelivery> out;
    while (q.step()) {
      PendingDelivery d{q.integer(0), q.text(1), q.text(2), static_cast<int>(q.integer(3)), {}};
      auto files = nlohmann::json::parse(q.text(4), nullptr, false);
      if (files.is_array()) d.files = files.get<std::vector<std::string>>();
      out.push_back(std::move(d));
    }
    return out;
  });
}

Status JobQueue::delivery_sent(int64_t id, double now) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    sqlite3* db = impl_->db;
    Transaction tx(db);
    Stmt d(db, "UPDATE deliveries SET state='sent', attempts=attempts+1, sent_at=?, last_error=NULL WHERE id=?");
    d.bind(1, now).bind(2, id).step();
    Stmt s(db, "UPDATE studies SET state='done', done_at=? WHERE state='analysed' AND study_instance_uid ="
               " (SELECT study_instance_uid FROM deliveries WHERE id=?) AND NOT EXISTS (SELECT 1 FROM deliveries"
               " WHERE study_instance_uid = studies.study_instance_uid AND state='pending')");
    s.bind(1, now).bind(2, id).step();
    tx.commit();
    return 0;
  }));
}

Status JobQueue::delivery_failed(int64_t id, const std::string& reason, double next_attempt_at) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return to_status(capture([&] {
    Stmt d(impl_->db, "UPDATE deliveries SET attempts=attempts+1, last_error=?,"
                      " state = CASE WHEN ?2 < 0 THEN 'dead' ELSE 'pending' END, next_attempt_at = MAX(?2, 0) WHERE id=?3");
    d.bind(1, reason).bind(2, next_attempt_at).bind(3, id).step();
    return 0;
  }));
}

Result<std::pair<std::string, int>> JobQueue::study_state(const std::string& uid) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return capture([&] {
    Stmt q(impl_->db, "SELECT state, analysis_count FROM studies WHERE study_instance_uid=?");
    q.bind(1, uid);
    std::pair<std::string, int> out{"", 0};
    if (q.step()) out = {q.text(0), static_cast<int>(q.integer(1))};
    return out;
  });
}

Result<QueueStatus> JobQueue::status() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return capture([&] { return collect_status(impl_->db); });
}

}  // namespace cxr::server
