#include "util/ordered_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>

namespace rasai {
namespace {

// Tasks that finish out of order come back in the order they were submitted, whatever the
// thread count (0: all on the owner's thread), and no more than `window` are ever pending.
TEST(OrderedPool, ResultsComeBackInSubmissionOrder) {
  for (int threads : {0, 1, 2, 4}) {
    OrderedPool<int> pool(threads, 6);
    std::atomic<int> running{0}, most{0};
    std::vector<int> got;
    std::mt19937 rng(threads);
    for (int i = 0; i < 200; ++i) {
      while (pool.full()) got.push_back(pool.Take());
      const int sleep_us = static_cast<int>(rng() % 300);
      pool.Submit([i, sleep_us, &running, &most] {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
        --running;
        return i;
      });
      EXPECT_LE(pool.pending(), 6u);
      while (pool.pending() > 0 && pool.Ready()) got.push_back(pool.Take());
    }
    while (pool.pending() > 0) got.push_back(pool.Take());
    ASSERT_EQ(got.size(), 200u) << threads;
    for (int i = 0; i < 200; ++i) ASSERT_EQ(got[i], i) << "threads " << threads;
    EXPECT_LE(most.load(), std::max(threads, 1) + 1) << threads;  // the workers, and the owner helping
    EXPECT_EQ(pool.threads(), threads);
  }
}

// With no worker, a task runs on the owner's thread when its result is taken.
TEST(OrderedPool, WithoutWorkersTheOwnerRunsTheTasks) {
  OrderedPool<std::thread::id> pool(0, 2);
  pool.Submit([] { return std::this_thread::get_id(); });
  pool.Submit([] { return std::this_thread::get_id(); });
  EXPECT_TRUE(pool.full());
  EXPECT_FALSE(pool.Ready());
  EXPECT_EQ(pool.Take(), std::this_thread::get_id());
  EXPECT_EQ(pool.Take(), std::this_thread::get_id());
  EXPECT_EQ(pool.pending(), 0u);
}

// Destroying a pool with tasks still pending waits for the running ones and drops the rest.
TEST(OrderedPool, DestroyedWithPendingTasks) {
  std::atomic<int> ran{0};
  {
    OrderedPool<int> pool(2, 50);
    for (int i = 0; i < 50; ++i)
      pool.Submit([&ran] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return ++ran;
      });
  }
  EXPECT_LE(ran.load(), 50);
}

}  // namespace
}  // namespace rasai
