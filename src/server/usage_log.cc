#include "server/usage_log.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <limits>

#include <nlohmann/json.hpp>

#include "util/crc32c.h"
#include "util/file.h"
#include "util/utf8.h"

namespace rasai::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kMagic = "rasai-usage 1";

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

json TableJson(const UsageLog::Table& t) {
  json out = json::array();
  for (const auto& [q, c] : t.counts()) out.push_back(json::array({q, c}));
  return out;
}

json BucketJson(const UsageLog::Bucket& b, bool with_hour) {
  json j = {{"searches", b.searches},
            {"found_nothing", b.found_nothing},
            {"searched", TableJson(b.searched)},
            {"nothing", TableJson(b.nothing)}};
  if (with_hour) j["hour"] = b.hour;
  return j;
}

bool ReadTable(const json& j, size_t capacity, UsageLog::Table* t) {
  if (!j.is_array()) return false;
  for (const json& e : j) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number_unsigned()) return false;
    t->Add(e[0].get<std::string>(), e[1].get<uint64_t>(), capacity);
  }
  return true;
}

bool ReadBucket(const json& j, size_t capacity, bool with_hour, UsageLog::Bucket* b) {
  if (!j.is_object()) return false;
  const json* s = j.contains("searches") ? &j["searches"] : nullptr;
  const json* z = j.contains("found_nothing") ? &j["found_nothing"] : nullptr;
  if (!s || !z || !s->is_number_unsigned() || !z->is_number_unsigned()) return false;
  b->searches = s->get<uint64_t>();
  b->found_nothing = z->get<uint64_t>();
  if (with_hour) {
    if (!j.contains("hour") || !j["hour"].is_number_integer()) return false;
    b->hour = j["hour"].get<int64_t>();
  }
  return j.contains("searched") && j.contains("nothing") && ReadTable(j["searched"], capacity, &b->searched) &&
         ReadTable(j["nothing"], capacity, &b->nothing);
}

// The n largest of `counts`, most first, ties by text.
std::vector<UsageLog::Entry> Largest(const std::unordered_map<std::string, uint64_t>& counts, size_t n) {
  std::vector<UsageLog::Entry> all;
  all.reserve(counts.size());
  for (const auto& [q, c] : counts) all.push_back({q, c});
  auto before = [](const UsageLog::Entry& a, const UsageLog::Entry& b) {
    return a.count != b.count ? a.count > b.count : a.query < b.query;
  };
  if (all.size() > n) {
    std::partial_sort(all.begin(), all.begin() + static_cast<ptrdiff_t>(n), all.end(), before);
    all.resize(n);
  } else {
    std::sort(all.begin(), all.end(), before);
  }
  return all;
}

}  // namespace

void UsageLog::Table::Add(const std::string& query, uint64_t count, size_t capacity) {
  auto it = counts_.find(query);
  if (it != counts_.end()) {
    it->second += count;
    return;
  }
  if (capacity == 0) return;
  if (counts_.size() < capacity) {
    counts_.emplace(query, count);
    return;
  }
  auto least = counts_.begin();
  for (auto i = counts_.begin(); i != counts_.end(); ++i)
    if (i->second < least->second || (i->second == least->second && i->first > least->first)) least = i;
  const uint64_t floor = least->second;
  counts_.erase(least);
  counts_.emplace(query, floor + count);
}

std::string UsageLog::Normalize(std::string_view query) {
  const std::string text = RepairUtf8(query);
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  if (out.size() > kMaxQueryBytes) {
    size_t cut = kMaxQueryBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out.resize(cut);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

Result<std::unique_ptr<UsageLog>> UsageLog::Open(Options options, std::string* warning) {
  std::unique_ptr<UsageLog> log(new UsageLog(std::move(options)));
  const std::string& path = log->options_.path;
  std::error_code ec;
  if (!path.empty() && fs::exists(path, ec)) {
    Result<std::string> text = ReadWholeFile(path);
    if (!text.ok()) return text.status();
    Status st = log->Decode(*text);
    if (!st.ok()) {
      const std::string aside = path + ".damaged";
      fs::rename(path, aside, ec);
      if (warning) {
        *warning = "the usage figures in " + path + " are damaged (" + st.message() + "); they were moved to " +
                   aside + " and counting starts again";
      }
      log->all_ = Bucket();
      log->hours_.clear();
    }
  }
  if (!path.empty() && log->options_.flush_seconds > 0) log->flusher_ = std::thread([l = log.get()] { l->FlushLoop(); });
  return log;
}

UsageLog::~UsageLog() { Close(); }

void UsageLog::Record(std::string_view query, bool found_nothing, int64_t now) {
  const std::string q = Normalize(query);
  if (q.empty()) return;
  const int64_t hour = now / 3600;
  std::lock_guard<std::mutex> l(mu_);
  if (hours_.empty() || hours_.back().hour < hour) {
    hours_.emplace_back();
    hours_.back().hour = hour;
  }
  while (hours_.size() > 1 && hours_.front().hour <= hours_.back().hour - kHoursKept) hours_.pop_front();
  Bucket& b = hours_.back();  // a clock set back counts into the latest hour
  for (Bucket* t : {&b, &all_}) {
    const size_t capacity = t == &all_ ? options_.all_capacity : options_.hour_capacity;
    ++t->searches;
    t->searched.Add(q, 1, capacity);
    if (found_nothing) {
      ++t->found_nothing;
      t->nothing.Add(q, 1, capacity);
    }
  }
  dirty_ = true;
}

UsageLog::Report UsageLog::Top(Period period, size_t n, int64_t now) const {
  Report r;
  std::lock_guard<std::mutex> l(mu_);
  if (period == Period::kAll) {
    r.searches = all_.searches;
    r.found_nothing = all_.found_nothing;
    r.top = Largest(all_.searched.counts(), n);
    r.nothing = Largest(all_.nothing.counts(), n);
    return r;
  }
  const int64_t hours = period == Period::kDay ? 24 : kHoursKept;
  const int64_t after = now / 3600 - hours;  // buckets of the last `hours` hours, this one included
  std::unordered_map<std::string, uint64_t> searched, nothing;
  for (const Bucket& b : hours_) {
    if (b.hour <= after) continue;
    r.searches += b.searches;
    r.found_nothing += b.found_nothing;
    for (const auto& [q, c] : b.searched.counts()) searched[q] += c;
    for (const auto& [q, c] : b.nothing.counts()) nothing[q] += c;
  }
  r.top = Largest(searched, n);
  r.nothing = Largest(nothing, n);
  return r;
}

std::string UsageLog::EncodeLocked() const {
  json hours = json::array();
  for (const Bucket& b : hours_) hours.push_back(BucketJson(b, true));
  const json j = {{"saved", UnixNow()}, {"all", BucketJson(all_, false)}, {"hours", std::move(hours)}};
  const std::string body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  char head[64];
  std::snprintf(head, sizeof head, "%.*s %08" PRIx32 " %zu\n", static_cast<int>(kMagic.size()), kMagic.data(),
                Crc32c(0, body.data(), body.size()), body.size());
  return head + body;
}

Status UsageLog::Decode(std::string_view text) {
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos || !text.starts_with(kMagic) || nl < kMagic.size() + 1)
    return Status::Corruption("not a usage file");
  unsigned crc = 0;
  size_t length = 0;
  const std::string head(text.substr(kMagic.size(), nl - kMagic.size()));
  if (std::sscanf(head.c_str(), " %8x %zu", &crc, &length) != 2) return Status::Corruption("bad header");
  const std::string_view body = text.substr(nl + 1);
  if (body.size() != length) return Status::Corruption("truncated");
  if (Crc32c(0, body.data(), body.size()) != crc) return Status::Corruption("checksum mismatch");
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("all") || !j.contains("hours") || !j["hours"].is_array())
    return Status::Corruption("bad structure");
  Bucket all;
  if (!ReadBucket(j["all"], options_.all_capacity, false, &all)) return Status::Corruption("bad totals");
  std::deque<Bucket> hours;
  for (const json& h : j["hours"]) {
    Bucket b;
    if (!ReadBucket(h, options_.hour_capacity, true, &b)) return Status::Corruption("bad hour");
    if (!hours.empty() && b.hour <= hours.back().hour) return Status::Corruption("hours out of order");
    hours.push_back(std::move(b));
  }
  while (hours.size() > static_cast<size_t>(kHoursKept)) hours.pop_front();
  std::lock_guard<std::mutex> l(mu_);
  all_ = std::move(all);
  hours_ = std::move(hours);
  return Status::OK();
}

Status UsageLog::Flush() {
  if (options_.path.empty()) return Status::OK();
  std::lock_guard<std::mutex> one(flush_mu_);
  std::string data;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!dirty_) return Status::OK();
    data = EncodeLocked();
    dirty_ = false;
  }
  const fs::path path(options_.path);
  auto fail = [&](const Status& st) {
    std::lock_guard<std::mutex> l(mu_);
    dirty_ = true;  // try again at the next flush
    return st;
  };
  auto dir = OpenPosixDirectory(path.parent_path().empty() ? "." : path.parent_path().string(), false);
  if (!dir.ok()) return fail(dir.status());
  const std::string name = path.filename().string(), tmp = name + ".tmp";
  Status st = (*dir)->WriteFileSync(tmp, data);
  if (st.ok()) st = (*dir)->Rename(tmp, name);
  if (st.ok()) st = (*dir)->SyncDir();
  return st.ok() ? st : fail(st);
}

void UsageLog::FlushLoop() {
  std::unique_lock<std::mutex> l(flush_mu_);
  while (!closing_) {
    cv_.wait_for(l, std::chrono::seconds(options_.flush_seconds), [&] { return closing_; });
    if (closing_) break;
    l.unlock();
    Status st = Flush();
    if (!st.ok()) std::fprintf(stderr, "rasai: cannot save the usage figures: %s\n", st.ToString().c_str());
    l.lock();
  }
}

void UsageLog::Close() {
  {
    std::lock_guard<std::mutex> l(flush_mu_);
    if (closing_ && !flusher_.joinable()) return;
    closing_ = true;
  }
  cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  Status st = Flush();
  if (!st.ok()) std::fprintf(stderr, "rasai: cannot save the usage figures: %s\n", st.ToString().c_str());
}

}  // namespace rasai::server
