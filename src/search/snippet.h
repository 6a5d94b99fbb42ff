// Internal: snippets — the best passage of a stored text for a set of query terms, cut on word
// boundaries, HTML-escaped, with the matching words in <mark>. Built from stored plain text and
// the analyzer's token offsets (no HTML is parsed at query time).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace rasai {

// `terms` are analyzed terms. Returns "" when text is empty. `max_words` bounds the passage.
std::string BuildSnippet(std::string_view text, const std::unordered_set<std::string>& terms, size_t max_words = 32);

}  // namespace rasai
