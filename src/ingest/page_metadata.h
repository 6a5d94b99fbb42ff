// Page metadata: what a page says about its article besides the text. Read from <meta> tags
// (Open Graph, Dublin Core, Twitter, Parse.ly, article:*, itemprop), JSON-LD (schema.org Article
// types, also inside @graph), <link rel=canonical>, <html lang/dir>, <title>, the page's <h1>s,
// <time> elements and the comments site copiers leave ("Mirrored from … by HTTrack", "saved from
// url=…").
//
// Title: JSON-LD headline or name, then dc:title, og:title, twitter:title, parsely-title, then
// <title> without the site's name (cut at the last " | ", " - ", " » " … when what is left has
// enough words; a <title> without separators that is very short or long gives way to the only
// <h1>), as Readability chooses it.
// Thread-safety: pure functions.
#pragma once

#include <gumbo.h>

#include <string>

namespace rasai::ingest_internal {

struct PageMetadata {
  std::string title;        // the article's title
  std::string html_title;   // <title> as written (collapsed)
  std::string author;       // byline from metadata ("" when none)
  std::string date;         // publication date, ISO 8601 ("" when none)
  std::string modified;     // last modification, ISO 8601
  std::string canonical;    // <link rel=canonical> or og:url
  std::string copied_from;  // the URL a site copier recorded (HTTrack, "saved from url=")
  std::string site_name;    // og:site_name, JSON-LD publisher
  std::string description;  // meta description / og:description
  std::string lang;         // <html lang> (or xml:lang, Content-Language)
  std::string dir;          // "rtl" / "ltr" when the page says so (<html dir>, <body dir>)
  std::string og_type;      // og:type ("article", "website", …)
  bool article_type = false;  // JSON-LD or og:type names an article
  bool robots_noindex = false;
  int h1_count = 0;
  std::string first_h1;
  std::string time_datetime;  // the first <time datetime> (or itemprop=datePublished) in the body
  std::string json_ld_body;   // JSON-LD articleBody (pages that draw their text by script carry it)
};

PageMetadata ReadPageMetadata(const GumboNode* document);

// The title inside <title> without the site's name, as Readability cuts it; `h1`/`h2` text of
// the page's headings decides some cases (see page_metadata.cc).
std::string TitleFromHtmlTitle(const PageMetadata& meta, const GumboNode* document);

// `s` with HTML character references decoded (&amp; &lt; &gt; &quot; &apos; &#NN; &#xNN;), as
// metadata values sometimes carry them escaped twice.
std::string UnescapeEntities(std::string_view s);

}  // namespace rasai::ingest_internal
