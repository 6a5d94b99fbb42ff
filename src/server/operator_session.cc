#include "server/operator_session.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

namespace rasai::server {

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::string RandomHex32() {
  unsigned char bytes[32];
  size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");  // caught by the router: a 500, never a weak id
    }
    got += static_cast<size_t>(n);
  }
  std::string out(64, '0');
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof bytes; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

OperatorSessions::Login OperatorSessions::LogIn(std::string_view given, std::string_view operator_token, int64_t now,
                                                OperatorSession* out) {
  if (operator_token.empty()) return Login::kDisabled;
  std::lock_guard<std::mutex> l(mu_);
  if (now / 60 != failure_minute_) {
    failure_minute_ = now / 60;
    failures_ = 0;
  }
  if (failures_ >= options_.max_failures_per_minute) return Login::kThrottled;
  if (!ConstantTimeEqual(given, operator_token)) {
    ++failures_;
    return Login::kWrong;
  }
  while (sessions_.size() >= options_.max_sessions && !lru_.empty()) {
    sessions_.erase(lru_.back());
    lru_.pop_back();
  }
  OperatorSession s{RandomHex32(), RandomHex32()};
  lru_.push_front(s.id);
  sessions_[s.id] = Entry{s, now, lru_.begin()};
  *out = std::move(s);
  return Login::kOk;
}

std::optional<OperatorSession> OperatorSessions::Find(std::string_view id, int64_t now) {
  if (id.size() != 64) return std::nullopt;
  std::lock_guard<std::mutex> l(mu_);
  auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_used > options_.idle_seconds) {
    lru_.erase(it->second.lru);
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.session;
}

void OperatorSessions::LogOut(std::string_view id) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = sessions_.find(std::string(id));
  if (it == sessions_.end()) return;
  lru_.erase(it->second.lru);
  sessions_.erase(it);
}

std::string OperatorSessions::CookieOf(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name.size() != 6 || (name[0] | 0x20) != 'c') continue;
    std::string lower;
    for (char c : name) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    if (lower != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == kCookie) return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

std::string OperatorSessions::SetCookie(const OperatorSession& session) const {
  return std::string(kCookie) + "=" + session.id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(options_.idle_seconds);
}

std::string OperatorSessions::ClearCookie() {
  return std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

}  // namespace rasai::server
