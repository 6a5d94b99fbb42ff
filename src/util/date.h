// Dates as Rasai reads them, in every layer: the index keys a document's `date` with them
// (DateKey, TimeOfDay: DocValues), search turns date filters into bounds (DateBoundKey), the
// server checks the filters it is given (IsDateFilter). What is read: an ISO 8601 calendar date
// or its prefix ("2016", "2016-07", "2016-07-01"), then optionally a time of day after T, t or a
// space ("T16:30", "T16:30:55Z"; the offset is not applied). A part that is not well formed ends
// the date there: "2016-13-01" is the year 2016, "2016-07-01T25:00" a day without a time.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rasai {

struct CalendarDate {
  int year = 0;          // 0000-9999
  int month = 0;         // 1-12; 0 when not written
  int day = 0;           // 1-31; 0 when not written (never without a month)
  int32_t seconds = -1;  // seconds after midnight (a leap second as :59); -1 when no time of day
  size_t length = 0;     // bytes of `s` read for year, month and day (the time not counted)
};

// The date at the start of `s`; nullopt when `s` does not start with four digits.
std::optional<CalendarDate> ParseDate(std::string_view s);

// The date as one number ordered like time, yyyymmdd (month and day 0 when not written); 0 when
// there is none.
int32_t DateKey(std::string_view s);
// Seconds after midnight of a date with a day and a time of day; -1 otherwise.
int32_t TimeOfDay(std::string_view s);
// A date filter's inclusive bound as a DateKey: the written date, its missing month and day as
// 12 and 31 for an upper bound, as 0 for a lower one; 0 (no bound) when `s` is no date or the
// year 0000.
int32_t DateBoundKey(std::string_view s, bool upper);
// Whether `s` is exactly "YYYY", "YYYY-MM" or "YYYY-MM-DD", well formed.
bool IsDateFilter(std::string_view s);

}  // namespace rasai
