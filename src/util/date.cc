#include "util/date.h"

#include <algorithm>

namespace rasai {
namespace {

// The `n` digits at `at` as a number; false when they are not all digits.
bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<CalendarDate> ParseDate(std::string_view s) {
  CalendarDate d;
  if (s.size() < 4 || !Digits(s, 0, 4, &d.year)) return std::nullopt;
  d.length = 4;
  int m = 0, day = 0;
  if (s.size() >= 7 && s[4] == '-' && Digits(s, 5, 2, &m) && m >= 1 && m <= 12) {
    d.month = m;
    d.length = 7;
    if (s.size() >= 10 && s[7] == '-' && Digits(s, 8, 2, &day) && day >= 1 && day <= 31) {
      d.day = day;
      d.length = 10;
    }
  }
  if (d.day == 0 || s.size() < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return d;
  int h = 0, min = 0, sec = 0;
  if (!Digits(s, 11, 2, &h) || h > 23 || s[13] != ':' || !Digits(s, 14, 2, &min) || min > 59) return d;
  if (s.size() >= 19 && s[16] == ':') {
    if (!Digits(s, 17, 2, &sec) || sec > 60) return d;  // 60: a leap second
    sec = std::min(sec, 59);
  }
  d.seconds = h * 3600 + min * 60 + sec;
  return d;
}

int32_t DateKey(std::string_view s) {
  const auto d = ParseDate(s);
  return d ? d->year * 10000 + d->month * 100 + d->day : 0;
}

int32_t TimeOfDay(std::string_view s) {
  const auto d = ParseDate(s);
  return d ? d->seconds : -1;
}

int32_t DateBoundKey(std::string_view s, bool upper) {
  const auto d = ParseDate(s);
  if (!d || d->year == 0) return 0;
  const int month = d->month ? d->month : (upper ? 12 : 0);
  const int day = d->day ? d->day : (upper ? 31 : 0);
  return d->year * 10000 + month * 100 + day;
}

bool IsDateFilter(std::string_view s) {
  const auto d = ParseDate(s);
  return d && d->length == s.size();
}

}  // namespace rasai
