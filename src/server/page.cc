#include "server/page.h"

#include <vector>

#include "rasai/analysis.h"
#include "server/url.h"
#include "util/utf8.h"

namespace rasai::server {
namespace {

bool IsRtlCodePoint(char32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

bool IsLtrLetter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0x00C0 && c <= 0x024F) ||
         (c >= 0x0370 && c <= 0x052F) || (c >= 0x0900 && c <= 0x0DFF);
}

bool IsArabicDigitOrMark(char32_t c) {
  return (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9) || (c >= 0x064B && c <= 0x065F) ||
         c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED) || (c >= 0x0600 && c <= 0x0605);
}

// Splits the body into paragraphs at line breaks; blank lines are dropped.
std::vector<std::string_view> Paragraphs(std::string_view body) {
  std::vector<std::string_view> out;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Direction of one paragraph by its majority script; `fallback` when it has no letters.
const char* ParagraphDir(std::string_view text, const char* fallback) {
  size_t rtl = 0, ltr = 0;
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = DecodeUtf8(text, &i);
    if (IsArabicDigitOrMark(c)) continue;
    if (IsRtlCodePoint(c)) {
      ++rtl;
    } else if (IsLtrLetter(c)) {
      ++ltr;
    }
  }
  if (rtl == 0 && ltr == 0) return fallback;
  return rtl >= ltr ? "rtl" : "ltr";
}

// The day part of a stored date ("2016-07-01T10:00:00Z" -> "2016-07-01"): its first 10
// characters. Dates are stored as given, so they may hold Urdu digits or other multi-byte
// characters, which a cut at 10 bytes would split (invalid UTF-8 in the page).
std::string_view DayOf(std::string_view date) {
  size_t end = 0;
  for (int chars = 0; chars < 10 && end < date.size(); ++chars) DecodeUtf8(date, &end);
  return date.substr(0, end);
}

}  // namespace


bool LooksRtl(std::string_view text) {
  size_t rtl = 0, ltr = 0;
  size_t i = 0;
  const size_t limit = text.size() < 4096 ? text.size() : 4096;
  while (i < limit) {
    char32_t c = DecodeUtf8(text, &i);
    if (IsArabicDigitOrMark(c)) continue;
    if (IsRtlCodePoint(c)) {
      ++rtl;
    } else if (IsLtrLetter(c)) {
      ++ltr;
    }
  }
  return rtl > ltr;
}

LangDir DocumentLangDir(const Document& doc) {
  if (!doc.lang.empty()) return {doc.lang, IsRightToLeft(doc.lang) ? "rtl" : "ltr"};
  std::string sample = doc.title;
  sample += ' ';
  sample.append(doc.body, 0, 2048);
  if (LooksRtl(sample)) return {"ur", "rtl"};
  return {"", "ltr"};
}

std::string RenderReaderPage(const StaticFiles& files, const Document& doc) {
  LangDir ld = DocumentLangDir(doc);
  std::string body_html;
  if (!doc.summary.empty()) {
    body_html += "<p class=\"summary\" dir=\"" + std::string(ParagraphDir(doc.summary, ld.dir)) + "\">" +
                 HtmlEscape(doc.summary) + "</p>\n";
  }
  for (std::string_view p : Paragraphs(doc.body)) {
    body_html += "<p dir=\"";
    body_html += ParagraphDir(p, ld.dir);
    body_html += "\">";
    body_html += HtmlEscape(p);
    body_html += "</p>\n";
  }
  if (body_html.empty()) body_html = "<p class=\"empty\">—</p>";

  std::string meta;
  auto add_meta = [&meta](const char* cls, std::string_view value) {
    if (value.empty()) return;
    meta += "<span class=\"" + std::string(cls) + "\" dir=\"auto\">" + HtmlEscape(value) + "</span>";
  };
  add_meta("source", doc.source);
  add_meta("category", doc.category);
  if (!doc.date.empty()) {
    std::string_view date = DayOf(doc.date);
    meta += "<time datetime=\"" + HtmlEscape(date) + "\" dir=\"ltr\">" + HtmlEscape(date) + "</time>";
  }
  std::string origin;
  if (!doc.url.empty()) {
    origin = "<p class=\"origin\"><span class=\"label\">اصل ماخذ:</span> <span class=\"url\" dir=\"ltr\">" +
             HtmlEscape(doc.url) + "</span></p>";
  }
  std::string title = doc.title.empty() ? doc.id : doc.title;
  return files.RenderTemplate("/_reader.html", {
                                                   {"lang", HtmlEscape(ld.lang)},
                                                   {"dir", ld.dir},
                                                   {"title_dir", ParagraphDir(title, ld.dir)},
                                                   {"title", HtmlEscape(title)},
                                                   {"meta", meta},
                                                   {"body", body_html},
                                                   {"origin", origin},
                                                   {"id", HtmlEscape(doc.id)},
                                                   {"id_url", PercentEncode(doc.id)},
                                               });
}

std::string SafeSnippet(std::string_view snippet) {
  std::string out;
  out.reserve(snippet.size());
  for (size_t i = 0; i < snippet.size(); ++i) {
    if (snippet[i] == '<') {
      std::string_view rest = snippet.substr(i);
      if (rest.substr(0, 6) == "<mark>" || rest.substr(0, 7) == "</mark>") {
        out.push_back('<');
      } else {
        out += "&lt;";
      }
    } else {
      out.push_back(snippet[i]);
    }
  }
  return out;
}

std::string ResultsUrl(const ResultsView& view) {
  std::string url = "/search?q=" + PercentEncode(view.query);
  auto add = [&url](const char* name, const std::string& value) {
    if (!value.empty()) url += std::string("&") + name + "=" + PercentEncode(value);
  };
  add("sort", view.sort);
  add("source", view.source);
  add("category", view.category);
  add("lang", view.lang);
  add("year", view.year);
  if (view.page > 1) url += "&page=" + std::to_string(view.page);
  return url;
}

std::string RenderResultsPage(const StaticFiles& files, const ResultsView& view, const SearchResult* result) {
  std::string status, did_you_mean, hits, pager, filters;
  if (result) {
    if (result->total == 0) {
      status = "کوئی نتیجہ نہیں ملا۔ دوسرے الفاظ آزمائیے۔";
    } else {
      status = (result->total == 1 && result->total_exact ? std::string("ایک نتیجہ")
                                                          : std::to_string(result->total) + " نتائج");
      if (!result->total_exact) status = "تقریباً " + status;  // "about N results"
      if (view.page > 1) status += " — صفحہ " + std::to_string(view.page);
    }
    // A Roman Urdu query: what was searched, in Urdu script.
    if (!result->transliteration.empty())
      did_you_mean = "<p id=\"searched-as\" class=\"searched-as\">تلاش: <bdi lang=\"ur\" dir=\"rtl\">" +
                     HtmlEscape(result->transliteration) + "</bdi></p>";
    if (!result->suggestion.empty() && result->suggestion != view.query) {
      ResultsView s = view;
      s.query = result->suggestion;
      s.page = 1;
      did_you_mean += "<p class=\"did-you-mean\">کیا آپ کا مطلب تھا: <a id=\"suggestion-link\" dir=\"auto\" href=\"" +
                     HtmlEscape(ResultsUrl(s)) + "\">" + HtmlEscape(result->suggestion) + "</a></p>";
    }
    // An edited copy of an article on this page is a line under that article ("the same news
    // under another title"), not a result of its own; a copy of one on an earlier page shows
    // as any hit.
    std::vector<std::string> items(result->hits.size()), copies(result->hits.size());
    std::vector<int> under(result->hits.size(), -1);
    for (size_t i = 0; i < result->hits.size(); ++i)
      for (size_t j = 0; j < i && !result->hits[i].copy_of.empty(); ++j)
        if (under[j] < 0 && result->hits[j].id == result->hits[i].copy_of) under[i] = static_cast<int>(j);
    for (size_t i = 0; i < result->hits.size(); ++i) {
      const Hit& h = result->hits[i];
      const std::string title = HtmlEscape(h.title.empty() ? h.id : h.title);
      if (under[i] >= 0) {
        copies[static_cast<size_t>(under[i])] += "<p class=\"copy\">یہی خبر دوسرے عنوان سے: <a dir=\"auto\" href=\"/read/" +
                                                 PercentEncode(h.id) + "\">" + title + "</a></p>";
        continue;
      }
      bool rtl = h.lang.empty() ? LooksRtl(h.title + " " + h.snippet) : IsRightToLeft(h.lang);
      std::string lang = h.lang.empty() ? (rtl ? "ur" : "en") : h.lang;
      std::string& li = items[i];
      li += "<li class=\"hit\" lang=\"" + HtmlEscape(lang) + "\" dir=\"" + (rtl ? "rtl" : "ltr") + "\">";
      li += "<h3><a href=\"/read/" + PercentEncode(h.id) + "\">" + title + "</a></h3><p class=\"meta\">";
      if (!h.source.empty()) li += "<span dir=\"auto\">" + HtmlEscape(h.source) + "</span>";
      if (!h.category.empty()) li += "<span dir=\"auto\">" + HtmlEscape(h.category) + "</span>";
      if (!h.date.empty()) {
        std::string date = HtmlEscape(DayOf(h.date));
        li += "<time datetime=\"" + date + "\" dir=\"ltr\">" + date + "</time>";
      }
      li += "</p>";
      if (!h.snippet.empty()) li += "<p class=\"snippet\">" + SafeSnippet(h.snippet) + "</p>";
    }
    for (size_t i = 0; i < items.size(); ++i)
      if (!items[i].empty()) hits += items[i] + copies[i] + "</li>\n";
    uint64_t pages = (result->total + view.page_size - 1) / view.page_size;
    if (pages > 1 || view.page > 1) {
      pager = "<nav class=\"pager\" aria-label=\"صفحات\">";
      ResultsView prev = view, next = view;
      prev.page = view.page - 1;
      next.page = view.page + 1;
      if (view.page > 1) pager += "<a class=\"page-btn\" rel=\"prev\" href=\"" + HtmlEscape(ResultsUrl(prev)) + "\">→ پچھلا</a>";
      pager += "<span class=\"page-no\">صفحہ " + std::to_string(view.page) + " از " + std::to_string(pages ? pages : 1) + "</span>";
      if (view.page < pages) pager += "<a class=\"page-btn\" rel=\"next\" href=\"" + HtmlEscape(ResultsUrl(next)) + "\">اگلا ←</a>";
      pager += "</nav>";
    }
    // Sort links and the active filters (each links to the same search without it).
    static const std::pair<const char*, const char*> kSorts[] = {{"", "موزوں ترین"}, {"date", "تازہ ترین"}, {"date_asc", "قدیم ترین"}};
    filters = "<p class=\"chips\"><span class=\"label\">ترتیب:</span> ";
    for (const auto& [value, label] : kSorts) {
      ResultsView v = view;
      v.sort = value;
      v.page = 1;
      bool on = view.sort == value;
      filters += "<a class=\"chip" + std::string(on ? " on" : "") + "\" href=\"" + HtmlEscape(ResultsUrl(v)) + "\">" + label + "</a>";
    }
    filters += "</p>";
    struct Active { const char* label; std::string ResultsView::*field; };
    static const Active kActive[] = {{"ماخذ", &ResultsView::source}, {"زمرہ", &ResultsView::category},
                                     {"زبان", &ResultsView::lang}, {"سال", &ResultsView::year}};
    for (const Active& a : kActive) {
      if ((view.*a.field).empty()) continue;
      ResultsView v = view;
      v.*a.field = "";
      v.page = 1;
      filters += "<p class=\"chips\"><a class=\"chip on\" title=\"فلٹر ہٹائیے\" href=\"" + HtmlEscape(ResultsUrl(v)) + "\">" +
                 a.label + ": " + HtmlEscape(view.*a.field) + " ✕</a></p>";
    }
  }
  return files.RenderTemplate("/_results.html", {{"q", HtmlEscape(view.query)},
                                                 {"title", HtmlEscape(view.query.empty() ? "تلاش" : view.query)},
                                                 {"status", status},
                                                 {"did_you_mean", did_you_mean},
                                                 {"filters", filters},
                                                 {"hits", hits},
                                                 {"pager", pager}});
}

std::string RenderErrorPage(const StaticFiles& files, int status, std::string_view message) {
  return files.RenderTemplate("/_error.html", {{"status", std::to_string(status)}, {"message", HtmlEscape(message)}});
}

}  // namespace rasai::server
