// Internal: the per-document values a segment keeps for filters, sorting and duplicate
// collapsing (`.dv`): the date as a sortable key and the time of day.
// Format: docs/format/README.md.
#pragma once

#include <cstdint>
#include <string_view>

namespace rasai {

int32_t ParseDateKey(std::string_view iso);  // yyyymmdd or 0
int32_t ParseTimeOfDay(std::string_view iso);  // seconds after midnight of "yyyy-mm-ddThh:mm[:ss]", or -1

}  // namespace rasai
