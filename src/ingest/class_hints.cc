// Class and id hints (contract in class_hints.h).
#include "ingest/class_hints.h"

#include <initializer_list>
#include <string_view>

namespace rasai::ingest_internal {
namespace {

template <typename Words>
bool ContainsAny(std::string_view s, const Words& words, std::string_view* which = nullptr) {
  for (std::string_view w : words) {
    if (s.find(w) != std::string_view::npos) {
      if (which) *which = w;
      return true;
    }
  }
  return false;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// `w` in `s` between name-part boundaries: start, end, space, '-' or '_'.
bool HasPart(std::string_view s, std::string_view w) {
  for (size_t at = s.find(w); at != std::string_view::npos; at = s.find(w, at + 1)) {
    const bool start = at == 0 || s[at - 1] == ' ' || s[at - 1] == '-' || s[at - 1] == '_';
    const size_t e = at + w.size();
    const bool end = e == s.size() || s[e] == ' ' || s[e] == '-' || s[e] == '_';
    if (start && end) return true;
  }
  return false;
}

// The published list of unlikely names (menus, comments, sidebars, …).
constexpr std::string_view kUnlikely[] = {
    "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap", "disqus", "extra",
    "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar",
    "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
    "yom-remote"};
// Names that may mean content, which keep an unlikely-looking block.
constexpr std::string_view kMaybe[] = {"and", "article", "body", "column", "content", "main",
                                                            "shadow"};
constexpr std::string_view kStrongContent[] = {"article", "body", "content", "main", "story",
                                                                    "entry", "post-text", "detail"};
constexpr std::string_view kPositive[] = {
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination", "post", "text", "blog",
    "story",
    // Urdu and Arabic news sites: "news-detail", "detail-page", transliterated "khabar" (news),
    // "matn" (text), "tafseel" (details).
    "detail", "khabar", "matn", "tafseel"};
constexpr std::string_view kNegative[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media",
    "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
    "shopping", "tags", "widget"};

// Whole name parts of news boilerplate, with what each is.
constexpr std::string_view kNewsParts[] = {
    // links to other articles
    "related", "also-read", "alsoread", "read-also", "readalso", "more-news", "more-stories", "morenews",
    "recommended", "recommendations", "you-may-like", "trending", "most-read", "mostread", "most-popular",
    "mostpopular", "popular-posts", "popular-news", "latest-news", "top-stories", "outbrain", "taboola", "zergnet",
    "next-post", "prev-post", "previous-post", "post-navigation", "nav-links", "yarpp", "jp-relatedposts",
    "relatedposts", "related-posts", "related-news", "read-next", "readnext", "up-next",
    // newsletter and subscription boxes
    "newsletter", "subscribe", "subscription", "signup", "sign-up", "mc4wp", "optin", "paywall",
    // tag and category lists
    "tags", "tag-list", "taglist", "post-tags", "entry-tags", "tagcloud", "tag-cloud", "tags-links", "cat-links",
    // comments
    "comments", "comment-respond", "comment-form", "commentform", "respond", "disqus", "fb-comments",
    // ads
    "ad", "ads", "advert", "advertisement", "adsbygoogle", "ad-slot", "adslot", "ad-container", "adunit", "dfp",
    "gpt-ad", "sponsored",
    // tool bars, sharing and following
    "share", "sharing", "share-buttons", "sharedaddy", "addthis", "sharethis", "a2a_kit", "social", "follow-us",
    "print-button", "font-size", "fontsize", "toolbar",
    // notices
    "cookie", "cookies", "consent",
    // author boxes
    "author-box", "about-author", "author-bio", "author-info", "authorbox"};

}  // namespace

std::string_view UnlikelyHint(std::string_view match, bool news) {
  if (match.empty()) return {};
  std::string_view which;
  if (ContainsAny(match, kUnlikely, &which) && !ContainsAny(match, kMaybe)) return which;
  if (news && IsNewsBoilerplateName(match, &which) && !ContainsAny(match, kStrongContent)) return which;
  return {};
}

bool IsUnlikelyCandidate(std::string_view match, bool news) { return !UnlikelyHint(match, news).empty(); }

int ClassWeight(std::string_view cls, std::string_view id) {
  auto weigh = [](std::string_view s) {
    if (s.empty()) return 0;
    int w = 0;
    // "hid" as a whole space-separated name is negative too.
    if (ContainsAny(s, kNegative) || HasPart(s, "hid")) w -= 25;
    if (ContainsAny(s, kPositive)) w += 25;
    return w;
  };
  return weigh(cls) + weigh(id);
}

bool IsShareName(std::string_view match) {
  for (std::string_view w : {std::string_view("share"), std::string_view("sharedaddy")}) {
    for (size_t at = match.find(w); at != std::string_view::npos; at = match.find(w, at + 1)) {
      const bool start = at == 0 || !IsWordChar(match[at - 1]) || match[at - 1] == '_';
      const size_t e = at + w.size();
      const bool end = e == match.size() || !IsWordChar(match[e]) || match[e] == '_';
      if (start && end) return true;
    }
  }
  return false;
}

bool IsBylineName(std::string_view match) {
  static constexpr std::string_view kByline[] = {"byline", "author", "dateline", "writtenby", "p-author"};
  return ContainsAny(match, kByline);
}

bool IsNewsBoilerplateName(std::string_view match, std::string_view* hint) {
  if (match.empty()) return false;
  for (std::string_view w : kNewsParts) {
    if (HasPart(match, w)) {
      if (hint) *hint = w;
      return true;
    }
  }
  return false;
}

bool IsUnlikelyRole(std::string_view role) {
  for (std::string_view r : {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"})
    if (role == r) return true;
  return false;
}

}  // namespace rasai::ingest_internal
