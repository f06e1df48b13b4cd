// cxr/server/node.h — the PACS node: storage SCP -> durable queue -> analysis when a study is
// quiet -> delivery with retries -> dead-letter folder. Used by `cxr serve` (listening) and
// `cxr pull` (no listener: instances arrive through C-GET into sink()).
//
// Threads: the SCP's (one per association), `analysis.workers` analysis threads, one delivery thread.
// Shutdown (stop(), e.g. on SIGTERM): stop accepting associations and let open ones finish (grace),
// let running analyses finish, stop delivering; whatever is unfinished stays in the queue and
// resumes at the next start.
#pragma once

#include "cxr/dicom/net.h"
#include "cxr/result.h"
#include "cxr/server/config.h"
#include "cxr/server/log.h"
#include "cxr/server/queue.h"
#include "cxr/server/study_analyzer.h"

#include <memory>

namespace cxr::server {

class Node {
 public:
  // Opens the queue (recovering interrupted work), starts workers and, when listen, the SCP.
  static Result<std::unique_ptr<Node>> start(const ServerConfig& config, std::shared_ptr<const StudyAnalyzer> analyzer,
                                             Logger& log, bool listen = true);
  virtual ~Node() = default;
  // Graceful stop (idempotent); grace_s bounds how long open associations may continue.
  virtual void stop(int grace_s = 10) = 0;
  // Where instances go (the SCP uses it; `cxr pull` passes it to get_study).
  virtual cxr::dicom::net::StoreSink& sink() = 0;
  virtual JobQueue& queue() = 0;
};

}  // namespace cxr::server
