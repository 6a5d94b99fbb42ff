// Documents from HTML pages: the page parsed within its budgets (html_parse.h), its article
// extracted (article_extractor.h) and its metadata made document fields.
//
// title: the article's title (page_metadata.h); body: the article's text; summary: the page's
// description; url: <link rel=canonical> (or og:url), else the address a site copier recorded;
// date: the publication date (ISO 8601); lang: <html lang>. Other fields (in `extra`): author,
// site_name, dir ("rtl"/"ltr" when the page says so or its language is written so).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>

#include "ingest/article_extractor.h"
#include "ingest/html_parse.h"
#include "ingest/ingest_internal.h"
#include "ingest/site_mirror.h"
#include "rasai/analysis.h"
#include "rasai/ingest.h"

namespace rasai {
namespace ingest_internal {

void AddExtra(Document* doc, const char* name, const std::string& value) {
  if (value.empty()) return;
  doc->extra.emplace_back(name, nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Document DocumentFromArticle(std::string_view id, ExtractedArticle&& x) {
  Document doc;
  doc.id = std::string(id);
  PageMetadata& m = x.meta;
  doc.title = std::move(m.title);
  doc.body = std::move(x.text);
  doc.summary = std::move(m.description);
  doc.url = !m.canonical.empty() ? std::move(m.canonical) : std::move(m.copied_from);
  doc.date = std::move(m.date);
  doc.lang = std::move(m.lang);
  std::string author = !m.author.empty() ? m.author : x.byline;
  AddExtra(&doc, "author", author);
  AddExtra(&doc, "site_name", m.site_name);
  std::string dir = m.dir;
  if (dir.empty()) {
    const std::string lang = !doc.lang.empty() ? doc.lang : DetectLanguage(std::string_view(doc.body).substr(0, 2000));
    if (!lang.empty()) dir = IsRightToLeft(lang) ? "rtl" : "ltr";
  }
  AddExtra(&doc, "dir", dir);
  return doc;
}

Document HtmlDocument(std::string_view id, std::string_view html, bool* repaired, HtmlNotes* notes,
                      ExtractionReport* report, PageFacts* facts) {
  HtmlParse parse(html, repaired, notes);
  if (!parse.root()) {
    Document doc;
    doc.id = std::string(id);
    return doc;
  }
  ExtractedArticle x = ExtractArticle(parse.root(), report != nullptr);
  if (report) *report = std::move(x.report);
  if (facts) *facts = x.facts;
  return DocumentFromArticle(id, std::move(x));
}

}  // namespace ingest_internal

Document DocumentFromHtml(std::string_view id, std::string_view html) {
  return ingest_internal::HtmlDocument(id, html, nullptr, nullptr);
}

Document ExplainHtml(std::string_view id, std::string_view html, ExtractionReport* report) {
  ingest_internal::PageFacts facts;
  ingest_internal::HtmlNotes notes;
  Document doc = ingest_internal::HtmlDocument(id, html, nullptr, &notes, report, &facts);
  if (report) {
    std::string why;
    report->page_kind = ingest_internal::ClassifyPage(id, facts, &why) == ingest_internal::PageKind::kArticle ? "article" : why;
    if (notes.too_complex) report->page_kind = "too complex to parse";
  }
  return doc;
}

}  // namespace rasai
