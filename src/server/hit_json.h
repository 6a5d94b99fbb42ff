// The JSON of a search hit, the one shape the HTTP API (/api/search, /api/related) and
// `rasai search --json` give: id, score, title, snippet, url, date, lang, source, category, in
// that order, and copy_of for an edited copy of an earlier hit (rasai/search.h, Hit).
//
// Thread-safety: a pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "rasai/search.h"

namespace rasai {

nlohmann::ordered_json HitJson(const Hit& hit);

}  // namespace rasai
