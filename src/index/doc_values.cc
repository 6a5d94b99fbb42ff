// Dates as doc values.
#include "index/doc_values.h"

#include <algorithm>

namespace rasai {

int32_t ParseDateKey(std::string_view s) {
  if (s.size() < 4) return 0;
  auto digits = [&](size_t at, size_t n, int* out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, &y)) return 0;
  if (s.size() >= 7 && s[4] == '-' && digits(5, 2, &m) && m >= 1 && m <= 12) {
    if (s.size() >= 10 && s[7] == '-' && digits(8, 2, &d) && d >= 1 && d <= 31) return y * 10000 + m * 100 + d;
    return y * 10000 + m * 100;
  }
  return y * 10000;
}

int32_t ParseTimeOfDay(std::string_view s) {
  if (ParseDateKey(s) % 100 == 0 || s.size() < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return -1;
  auto two = [&](size_t at, int max) {
    if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return -1;
    const int v = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return v <= max ? v : -1;
  };
  const int h = two(11, 23), m = s[13] == ':' ? two(14, 59) : -1;
  if (h < 0 || m < 0) return -1;
  int sec = 0;
  if (s.size() >= 19 && s[16] == ':') {
    sec = two(17, 60);  // 60: a leap second
    if (sec < 0) return -1;
    sec = std::min(sec, 59);
  }
  return h * 3600 + m * 60 + sec;
}

}  // namespace rasai
