// Strict parsing of request targets: path and query string, percent-decoding.
// Thread-safety: free functions, no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rasai::server {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`). Returns nullopt for a
// malformed escape ("%", "%4", "%zz") or an encoded NUL.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);

// Percent-encodes everything except unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string PercentEncode(std::string_view s);

struct ParsedTarget {
  std::string raw_path;  // path as sent (still percent-encoded)
  std::vector<std::pair<std::string, std::string>> params;  // decoded, in order
  // The first value of `name`, or nullptr.
  const std::string* Param(std::string_view name) const;
};

// Splits "path?query#fragment" and decodes the query ("a=1&b=x+y"). Returns nullopt when the
// target does not start with '/' or the query has a malformed escape.
std::optional<ParsedTarget> ParseTarget(std::string_view target);

}  // namespace rasai::server
