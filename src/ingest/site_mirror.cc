// Site mirrors (contract in site_mirror.h).
#include "ingest/site_mirror.h"

#include <algorithm>
#include <string>
#include <vector>

#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      if (i > start) out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The file name without its extension ("wp-login.php" -> "wp-login").
std::string Stem(const std::string& name) {
  const size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

bool IsIndexFile(const std::string& name) {
  const std::string stem = Stem(name);
  return stem == "index" || stem == "default" || stem == "home";
}

// Query parameters that do not name another page.
bool IsPresentationParam(std::string_view key) {
  return key == "page" || key == "paged" || key == "pg" || key == "print" || key == "printable" || key == "output" ||
         key == "amp" || key == "outputtype" || key == "fbclid" || key == "gclid" || key == "replytocom" ||
         key == "ref" || key == "share" || key == "mode" || key == "view" || key.starts_with("utm_");
}

struct Address {
  std::vector<std::string> segments;                      // lower-cased path segments
  std::vector<std::pair<std::string, std::string>> query;  // lower-cased keys
};

Address Parse(std::string_view s) {
  Address a;
  const size_t hash = s.find('#');
  if (hash != std::string_view::npos) s = s.substr(0, hash);
  const size_t q = s.find('?');
  const std::string_view path = s.substr(0, q);
  for (auto& seg : Split(LowerAscii(path), '/')) a.segments.push_back(seg);
  if (q != std::string_view::npos) {
    std::string_view query = s.substr(q + 1);
    // wget --adjust-extension appends ".html" to a saved query: "index.html?page=2.html".
    if (query.ends_with(".html")) query.remove_suffix(5);
    for (const auto& kv : Split(query, '&')) {
      const size_t eq = kv.find('=');
      a.query.emplace_back(LowerAscii(kv.substr(0, eq)), eq == std::string::npos ? "" : kv.substr(eq + 1));
    }
  }
  return a;
}

bool HasSegment(const Address& a, std::initializer_list<std::string_view> names, bool need_next) {
  for (size_t i = 0; i < a.segments.size(); ++i) {
    const std::string& s = a.segments[i];
    for (std::string_view n : names) {
      if (s != n && Stem(s) != n) continue;
      if (!need_next || (i + 1 < a.segments.size() && !IsIndexFile(a.segments[i + 1]))) return true;
    }
  }
  return false;
}

std::string QueryValue(const Address& a, std::string_view key) {
  for (const auto& [k, v] : a.query)
    if (k == key) return v.empty() ? "1" : v;
  return "";
}

}  // namespace

std::string PageKey(std::string_view s) {
  for (std::string_view scheme : {"https://", "http://", "//"})
    if (s.starts_with(scheme)) {
      s.remove_prefix(scheme.size());
      break;
    }
  if (s.starts_with("www.")) s.remove_prefix(4);
  const Address a = Parse(s);
  std::vector<std::string> segs;
  for (const std::string& seg : a.segments)
    if (seg != "print" && seg != "amp" && seg != "printable") segs.push_back(seg);
  if (!segs.empty() && IsIndexFile(segs.back()) && segs.size() > 1) segs.pop_back();
  std::string key;
  for (const auto& seg : segs) {
    if (!key.empty()) key += '/';
    key += seg;
  }
  for (std::string_view suffix : {"-print", "_print", ".amp", "-amp"})
    if (key.ends_with(suffix)) key.resize(key.size() - suffix.size());
  std::vector<std::string> params;
  for (const auto& [k, v] : a.query)
    if (!IsPresentationParam(k)) params.push_back(k + "=" + v);
  std::sort(params.begin(), params.end());
  for (size_t i = 0; i < params.size(); ++i) key += (i == 0 ? "?" : "&") + params[i];
  return key;
}

PageKind ClassifyPage(std::string_view path, const PageFacts& f, std::string* why) {
  const Address a = Parse(path);
  auto say = [&](PageKind k, std::string w) {
    if (why) *why = std::move(w);
    return k;
  };
  // The address first: these pages are never articles, whatever their markup claims.
  if (HasSegment(a, {"tag", "tags", "label", "topic", "topics", "keyword"}, /*need_next=*/true))
    return say(PageKind::kTag, "tag page (/tag/ in its address)");
  if (HasSegment(a, {"category", "categories", "cat"}, /*need_next=*/true))
    return say(PageKind::kCategory, "category page (/category/ in its address)");
  if (HasSegment(a, {"author", "authors"}, /*need_next=*/true))
    return say(PageKind::kAuthor, "author page (/author/ in its address)");
  if (HasSegment(a, {"login", "log-in", "signin", "sign-in", "register", "signup", "sign-up", "wp-login",
                     "my-account", "lostpassword"},
                 /*need_next=*/false))
    return say(PageKind::kLogin, "login or registration page (its address)");
  if (HasSegment(a, {"search"}, /*need_next=*/false) || !QueryValue(a, "s").empty() ||
      !QueryValue(a, "q").empty() || !QueryValue(a, "search").empty() || !QueryValue(a, "query").empty())
    return say(PageKind::kSearch, "search results (its address)");
  for (size_t i = 0; i + 1 < a.segments.size(); ++i)
    if (a.segments[i] == "page" && AllDigits(a.segments[i + 1]))
      return say(PageKind::kPagination, "page " + a.segments[i + 1] + " of a listing (/page/N/ in its address)");
  for (std::string_view key : {"page", "paged", "pg"}) {
    const std::string v = QueryValue(a, key);
    if (AllDigits(v) && v != "1" && v != "0") return say(PageKind::kPagination, "page " + v + " of a listing (?" + std::string(key) + "=)");
  }
  // An archive by date: /2021/, /2021/04/, /2021/04/27/ with no article name after.
  {
    std::vector<std::string> segs = a.segments;
    if (!segs.empty() && IsIndexFile(segs.back())) segs.pop_back();
    if (!segs.empty() && AllDigits(segs.back()) && segs.back().size() <= 4) {
      size_t n = 0;
      for (auto it = segs.rbegin(); it != segs.rend() && AllDigits(*it) && it->size() <= 4; ++it) ++n;
      const std::string& first = segs[segs.size() - n];
      if (first.size() == 4 && n <= 3) return say(PageKind::kArchive, "archive of a date (its address)");
    }
    if (HasSegment(a, {"archive", "archives"}, false) && f.paragraphs < 2)
      return say(PageKind::kArchive, "archive page (its address)");
  }
  // Then what the page holds.
  if (f.has_password && f.article_chars < 1500) return say(PageKind::kLogin, "login form (a password field)");
  if (f.article_type && (f.paragraphs >= 1 || f.article_chars >= 300)) return PageKind::kArticle;
  const double links = f.page_chars ? static_cast<double>(f.link_chars) / static_cast<double>(f.page_chars) : 0;
  // Headlines of other pages and hardly any running text: a front, section or archive page.
  if (f.headline_links >= 10 && (f.paragraphs < 2 || (f.paragraphs < 3 && f.headline_chars >= 2 * f.article_chars)))
    return say(PageKind::kListing, "listing (" + std::to_string(f.headline_links) + " headline links, " +
                                       std::to_string(f.paragraphs) + " paragraphs of running text)");
  if (f.paragraphs < 2 && links > 0.6 && f.article_chars < 2000 && f.headline_links >= 3)
    return say(PageKind::kListing, "listing (" + std::to_string(static_cast<int>(links * 100 + 0.5)) +
                                       "% of its text in links)");
  return PageKind::kArticle;
}

std::string SiteMirror::Admit(std::string_view path, const PageFacts& facts, Document* doc) {
  std::string why;
  if (ClassifyPage(path, facts, &why) != PageKind::kArticle) return why;
  const std::string& original = !facts.canonical.empty() ? facts.canonical : facts.copied_from;
  std::vector<std::pair<std::string, const char*>> keys;
  if (!original.empty()) keys.emplace_back(PageKey(original), "same canonical URL");
  keys.emplace_back(PageKey(path), "same page in another form");
  for (const auto& [key, reason] : keys) {
    auto it = seen_.find(key);
    if (it != seen_.end()) return "a copy of " + it->second + " (" + reason + ")";
  }
  for (const auto& [key, reason] : keys) seen_.emplace(key, std::string(path));
  const bool absolute = original.starts_with("http://") || original.starts_with("https://");
  doc->url = absolute ? original : std::string(path);
  return "";
}

}  // namespace rasai::ingest_internal
