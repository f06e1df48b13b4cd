// A fixed pool of worker threads for the fast CPU backend's parallel loops.
// Built with OpenMP (CXR_HAVE_OPENMP), the pool is an OpenMP team: the same threads oneDNN's
// matmuls run on, so the two never compete for cores (each spinning while the other works).
// Otherwise it owns threads - 1 std::threads woken through a condition variable.
//
// Thread-safety: parallel_for may be called from any number of threads; calls are serialised (one
// parallel loop runs at a time, using every worker), so concurrent encodes share the cores instead
// of oversubscribing them. fn must not call parallel_for on the same pool (no nesting).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cxr::kernels {

class ThreadPool {
 public:
  // threads: total threads that run tasks, including the caller (>= 1); threads - 1 workers start.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return threads_; }

  // Runs fn(task, thread) for every task in [0, tasks) and returns when all are done. Tasks are
  // handed out dynamically; thread in [0, size()) identifies the executing thread (for scratch).
  // The first exception thrown by fn is rethrown here after all tasks stopped.
  void parallel_for(int tasks, const std::function<void(int task, int thread)>& fn);

 private:
  int threads_ = 1;
  void worker_loop(int thread);
  void run_tasks(int thread);

  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // serialises parallel_for callers

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int, int)>* job_ = nullptr;
  int job_tasks_ = 0;
  std::atomic<int> next_task_{0};
  int busy_workers_ = 0;
  unsigned generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace cxr::kernels
