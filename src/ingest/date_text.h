// Dates as pages write them: ISO 8601 ("2024-03-05T10:00:00+05:00"), e-mail style ("Tue, 05
// Mar 2024 10:00:00 GMT"), and the visible forms of English, Urdu and Arabic news pages ("March
// 5, 2024", "5 Mar 2024", «5 مارچ 2024», «۵ مارچ ۲۰۲۴», «مارچ 5، 2024», «5 مارس 2024»), in
// ASCII, Arabic-Indic or Urdu (Extended Arabic-Indic) digits.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace rasai::ingest_internal {

// `s` (a metadata value: the whole string is a date) as ISO 8601: "YYYY-MM-DD", with the time
// ("YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]") when `s` has one in ISO or e-mail form. "" when `s` is no
// date or an impossible one (month 13, day 32, a year before 1900 or after 2100).
std::string NormalizeDate(std::string_view s);

// The first date written in running text (a dateline, "Published 5 March 2024"), as
// "YYYY-MM-DD"; "" when there is none.
std::string FindDateInText(std::string_view text);

}  // namespace rasai::ingest_internal
