// Site mirrors: a folder tree as `wget --mirror` or HTTrack leave a news site. Its article pages
// are indexed; listing pages (the home page, section and category fronts, tag, author and
// archive pages, search results, login and registration forms, page 2, 3, … of a listing) are
// recognised and skipped with the reason; copies of one page (the same canonical URL, print and
// AMP versions, `index.html?page=2` saved beside `index.html`) are indexed once; a document's
// url is the page's original URL when the mirror records it (<link rel=canonical>, og:url,
// HTTrack's "Mirrored from" comment), else its path in the mirror.
//
// A page is judged by its address (path segments such as /tag/, /category/, /page/2/, queries
// such as ?s= or ?page=) and by its content (an article type in its metadata; a password field;
// a page made of headline links with little running text).
// Thread-safety: a SiteMirror is used by one thread, pages in walk order.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "rasai/document.h"

namespace rasai::ingest_internal {

// What the reader saw of a page, for telling articles from other pages.
struct PageFacts {
  std::string canonical;       // <link rel=canonical> or og:url ("" when none)
  std::string copied_from;     // the URL a site copier recorded
  std::string og_type;         // og:type
  bool article_type = false;   // JSON-LD or og:type names an article
  bool has_password = false;   // an <input type=password>
  bool search_form = false;    // a form with a search field
  size_t article_chars = 0;    // characters of the extracted article
  size_t page_chars = 0;       // characters of the page's visible text
  size_t link_chars = 0;       // of which inside links
  int headline_links = 0;      // links of 25 characters or more (headlines of other pages)
  size_t headline_chars = 0;   // characters of those links
  int paragraphs = 0;          // paragraphs of 150 characters or more in the article
};

enum class PageKind { kArticle, kListing, kTag, kCategory, kAuthor, kArchive, kSearch, kLogin, kPagination };

// The kind of the page at `path` (its path in the mirror, '/'-separated, query included as
// wget saves it: "index.html?page=2"), and why, for the summary.
PageKind ClassifyPage(std::string_view path, const PageFacts& facts, std::string* why);

class SiteMirror {
 public:
  // For one HTML page of a folder walk: "" when the page is to be indexed (doc->url is then set:
  // the original URL, else `path`), else why it is skipped ("tag page (/tag/ in its address)",
  // "a copy of news/a.html (same canonical URL)").
  std::string Admit(std::string_view path, const PageFacts& facts, Document* doc);

 private:
  std::unordered_map<std::string, std::string> seen_;  // page key -> path of the page indexed
};

// The key under which copies of one page meet: its URL (or path) without scheme, "www.",
// query, fragment, index.html, print/AMP markers and trailing slash, lower-cased.
std::string PageKey(std::string_view url_or_path);

}  // namespace rasai::ingest_internal
