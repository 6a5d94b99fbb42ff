// Internal helpers shared by the ingest readers (not part of the public API).
#pragma once

#include <string>
#include <string_view>

#include "rasai/document.h"
#include "rasai/status.h"

namespace rasai::ingest_internal {

// ParseJsonDocument, also telling whether the line had to be repaired (broken UTF-8 replaced).
Result<Document> ParseJsonLine(std::string_view line, bool* repaired);

// Text with ill-formed UTF-8 replaced, a leading byte order mark removed and CR LF / CR turned
// into LF. Sets *repaired when broken UTF-8 was replaced.
std::string CleanText(std::string_view raw, bool* repaired);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// Runs of ASCII whitespace (and NBSP) collapsed to one space, trimmed.
std::string CollapseSpaces(std::string_view s);

}  // namespace rasai::ingest_internal
