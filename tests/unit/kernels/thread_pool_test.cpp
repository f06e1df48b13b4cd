// The fast backend's thread pool: every task runs exactly once, exceptions come back to the caller,
// and concurrent callers are serialised without losing tasks.
#include "thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cxr::kernels {
namespace {

TEST(ThreadPool, RunsEveryTaskOnce) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.size(), 3);
  for (int tasks : {0, 1, 2, 5, 1000}) {
    std::vector<std::atomic<int>> hits(tasks);
    std::atomic<int> bad_thread{0};
    pool.parallel_for(tasks, [&](int task, int thread) {
      hits[task]++;
      if (thread < 0 || thread >= 3) bad_thread++;
    });
    for (int t = 0; t < tasks; ++t) EXPECT_EQ(hits[t].load(), 1) << "task " << t << " of " << tasks;
    EXPECT_EQ(bad_thread.load(), 0);
  }
}

TEST(ThreadPool, PropagatesExceptions) {
  ThreadPool pool(2);
  EXPECT_THROW(pool.parallel_for(100, [](int task, int) { if (task == 37) throw std::runtime_error("boom"); }),
               std::runtime_error);
  std::atomic<int> count{0};
  pool.parallel_for(10, [&](int, int) { count++; });  // still usable afterwards
  EXPECT_EQ(count.load(), 10);
}

TEST(ThreadPool, ConcurrentCallers) {
  ThreadPool pool(2);
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) pool.parallel_for(20, [&](int task, int) { total += task; });
    });
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4L * 50 * (19 * 20 / 2));
}

}  // namespace
}  // namespace cxr::kernels
