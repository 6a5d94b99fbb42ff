// Class and id hints: what a block's class and id names say about it, in the conventions of
// English, Urdu and Arabic news sites (whose markup names are English or transliterated:
// "td-post-content", "news-detail", "khabar"). The hint sets follow the published methods
// (Readability's candidate, positive and negative names; boilerpipe's and trafilatura's lists of
// navigation, sharing and comment blocks) and add what news sites commonly name their
// "also read" lists, newsletter boxes, tag lists and ad slots.
//
// Every function takes the lower-cased "class id" string (Dom::MatchString) and matches names as
// substrings, as the published regular expressions do, unless said otherwise.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace rasai::ingest_internal {

// A block that is very unlikely to hold the article (menus, comments, sidebars, footers, share
// bars, related lists, …) and has no name that could mean content ("article", "body", "main",
// "content", …). Set `news` for the names this project adds to the published list.
bool IsUnlikelyCandidate(std::string_view match, bool news);
// The name hint that made IsUnlikelyCandidate true ("" when none): for explanations.
std::string_view UnlikelyHint(std::string_view match, bool news);

// +25 for a content name, -25 for a boilerplate name; class and id are weighed separately.
int ClassWeight(std::string_view cls, std::string_view id);

// A sharing block ("share", "sharedaddy" as a separate name part).
bool IsShareName(std::string_view match);
// A byline block ("byline", "author", "dateline", …).
bool IsBylineName(std::string_view match);
// Names this project adds: blocks of links to other articles, newsletter and subscription
// boxes, tag lists, comment forms, ad slots, print/font-size toolbars. Whole name parts only
// ("tags" matches "post-tags", not "stages").
bool IsNewsBoilerplateName(std::string_view match, std::string_view* hint = nullptr);

// ARIA roles of blocks that are not the article (menu, navigation, dialog, complementary, …).
bool IsUnlikelyRole(std::string_view role);

}  // namespace rasai::ingest_internal
