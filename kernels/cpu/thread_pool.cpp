#include "thread_pool.h"

#include <algorithm>

#ifdef CXR_HAVE_OPENMP
#include <omp.h>
#endif

namespace cxr::kernels {

#ifdef CXR_HAVE_OPENMP

ThreadPool::ThreadPool(int threads) : threads_(std::max(threads, 1)) {}
ThreadPool::~ThreadPool() = default;
void ThreadPool::worker_loop(int) {}
void ThreadPool::run_tasks(int) {}

// Tasks are handed out dynamically from one counter; an exception stops the hand-out and the first
// one is rethrown after the team joined (none may escape an OpenMP region).
void ThreadPool::parallel_for(int tasks, const std::function<void(int, int)>& fn) {
  if (tasks <= 0) return;
  if (threads_ == 1 || tasks == 1) {
    for (int task = 0; task < tasks; ++task) fn(task, 0);
    return;
  }
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  std::atomic<int> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
#pragma omp parallel num_threads(std::min(threads_, tasks))
  {
    const int thread = omp_get_thread_num();
    for (int task = next.fetch_add(1); task < tasks; task = next.fetch_add(1)) {
      try {
        fn(task, thread);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(tasks);
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

#else  // std::thread workers

ThreadPool::ThreadPool(int threads) : threads_(std::max(threads, 1)) {
  for (int t = 1; t < std::max(threads, 1); ++t) workers_.emplace_back([this, t] { worker_loop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::run_tasks(int thread) {
  for (int task = next_task_.fetch_add(1); task < job_tasks_; task = next_task_.fetch_add(1)) {
    try {
      (*job_)(task, thread);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      next_task_.store(job_tasks_);  // stop handing out tasks
    }
  }
}

void ThreadPool::worker_loop(int thread) {
  unsigned seen_generation = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen_generation; });
      if (stopping_) return;
      seen_generation = generation_;
    }
    run_tasks(thread);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_workers_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::parallel_for(int tasks, const std::function<void(int, int)>& fn) {
  if (tasks <= 0) return;
  if (workers_.empty() || tasks == 1) {
    for (int task = 0; task < tasks; ++task) fn(task, 0);
    return;
  }
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_tasks_ = tasks;
    next_task_.store(0);
    busy_workers_ = static_cast<int>(workers_.size());
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  run_tasks(0);
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return busy_workers_ == 0; });
    job_ = nullptr;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

#endif  // CXR_HAVE_OPENMP

}  // namespace cxr::kernels
