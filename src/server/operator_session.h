// OperatorSessions: the operator's logins to the pages under /operator/. Logging in with the
// operator token gives a session: a random id in an HttpOnly, SameSite=Strict cookie, and a
// random CSRF token that every change made through the pages must carry (a form field or the
// X-CSRF-Token header). Sessions live in memory (a restart logs the operator out), end after
// idle_seconds without use or on logout, and at most max_sessions exist (the least recently
// used goes first). Failed logins are limited to max_failures_per_minute for the whole server.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/http_types.h"

namespace rasai::server {

struct OperatorSession {
  std::string id;    // 64 hex digits, the cookie's value
  std::string csrf;  // 64 hex digits
};

class OperatorSessions {
 public:
  static constexpr std::string_view kCookie = "rasai_operator";
  struct Options {
    int64_t idle_seconds = 12 * 3600;
    size_t max_sessions = 64;
    int max_failures_per_minute = 30;
  };
  enum class Login { kOk, kWrong, kThrottled, kDisabled };

  OperatorSessions() : OperatorSessions(Options()) {}
  explicit OperatorSessions(Options options) : options_(options) {}

  // A new session when `given` equals `operator_token` (compared in constant time; an empty
  // operator token disables logins).
  Login LogIn(std::string_view given, std::string_view operator_token, int64_t now, OperatorSession* out);
  // The live session with this id (its idle time restarts), or nullopt.
  std::optional<OperatorSession> Find(std::string_view id, int64_t now);
  void LogOut(std::string_view id);

  // The session cookie's value in the request's Cookie header ("" when absent).
  static std::string CookieOf(const HttpRequest& request);
  // Set-Cookie values that start and end a session.
  std::string SetCookie(const OperatorSession& session) const;
  static std::string ClearCookie();

 private:
  struct Entry {
    OperatorSession session;
    int64_t last_used = 0;
    std::list<std::string>::iterator lru;
  };
  Options options_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> sessions_;
  std::list<std::string> lru_;  // most recently used first
  int64_t failure_minute_ = 0;
  int failures_ = 0;
};

// True when a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEqual(std::string_view a, std::string_view b);
// 32 random bytes from the kernel as 64 hex digits.
std::string RandomHex32();

}  // namespace rasai::server
