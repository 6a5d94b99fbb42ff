// UsageLog: what visitors search for, aggregated. Per query text (spaces collapsed, ASCII letters
// lower-cased, at most kMaxQueryBytes), how many times it was searched and how many of those
// searches found nothing, per hour for the last 7 days and for all time. Nothing else is kept: no
// address, no time of a single search, no sequence of one visitor's searches.
//
// Bounded: each hour keeps at most hour_capacity queries per count, all time all_capacity. When a
// table is full, a new query takes the place of the least counted one and starts from its count
// plus one (Space-Saving, Metwally et al. 2005): a query searched more often than 1/capacity of
// the table's searches is always kept, and a count is exact until its table has been full.
//
// Durable: the tables are written to one file (`path`) every flush_seconds when they changed and
// when the log closes, as a new file renamed over the old one after an fsync, so a power cut
// loses at most the last flush_seconds and leaves the previous file whole. The file carries a
// checksum; a damaged one is set aside (path + ".damaged") and the log starts empty.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "rasai/status.h"

namespace rasai::server {

class UsageLog {
 public:
  static constexpr size_t kMaxQueryBytes = 200;
  static constexpr int64_t kHoursKept = 7 * 24;

  struct Options {
    std::string path;            // "" = kept in memory only
    size_t hour_capacity = 256;  // queries per table per hour
    size_t all_capacity = 4096;  // queries per table, all time
    int flush_seconds = 60;      // 0 = only on Flush() and when closing
  };
  enum class Period { kDay, kWeek, kAll };  // the last 24 hours, the last 7 days, all time

  struct Entry {
    std::string query;
    uint64_t count = 0;
  };
  struct Report {
    uint64_t searches = 0;       // searches recorded in the period
    uint64_t found_nothing = 0;  // of which found nothing
    std::vector<Entry> top;      // most searched first (ties: by text)
    std::vector<Entry> nothing;  // most searched of those that found nothing
  };

  // Loads `options.path` when it exists. A damaged file is renamed aside and described in
  // *warning (the log then starts empty); a file that cannot be read is an error.
  static Result<std::unique_ptr<UsageLog>> Open(Options options, std::string* warning);
  ~UsageLog();  // Close()

  // Counts one search at `now` (Unix seconds). Empty queries (after trimming) are not counted.
  void Record(std::string_view query, bool found_nothing, int64_t now);
  // The n most searched queries, and the n most searched that found nothing, in `period` up to `now`.
  Report Top(Period period, size_t n, int64_t now) const;

  // Writes the file now when anything changed since the last write.
  Status Flush();
  // Stops the periodic flush and flushes. Idempotent.
  void Close();

  // The query as it is counted: whitespace runs become one space, ends trimmed, ASCII lower-cased,
  // cut to kMaxQueryBytes on a character boundary; broken UTF-8 is replaced.
  static std::string Normalize(std::string_view query);

  // A table of query -> count bounded by `capacity` (Space-Saving). Public for the file codec.
  class Table {
   public:
    void Add(const std::string& query, uint64_t count, size_t capacity);
    const std::unordered_map<std::string, uint64_t>& counts() const { return counts_; }

   private:
    std::unordered_map<std::string, uint64_t> counts_;
  };
  struct Bucket {
    int64_t hour = 0;  // Unix time / 3600
    uint64_t searches = 0, found_nothing = 0;
    Table searched, nothing;
  };

 private:
  explicit UsageLog(Options options) : options_(std::move(options)) {}
  void FlushLoop();
  std::string EncodeLocked() const;
  Status Decode(std::string_view text);

  Options options_;
  mutable std::mutex mu_;
  Bucket all_;                  // hour unused
  std::deque<Bucket> hours_;    // oldest first, at most kHoursKept, hours increasing
  bool dirty_ = false;
  std::mutex flush_mu_;         // one file write at a time
  std::condition_variable cv_;
  bool closing_ = false;
  std::thread flusher_;
};

}  // namespace rasai::server
