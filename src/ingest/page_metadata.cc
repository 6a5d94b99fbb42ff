// Page metadata (contract in page_metadata.h).
#include "ingest/page_metadata.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/content_scoring.h"
#include "ingest/date_text.h"
#include "ingest/ingest_internal.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai::ingest_internal {
namespace {

using Json = nlohmann::json;

std::string_view Attr(const GumboElement& el, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
  return a && a->value ? std::string_view(a->value) : std::string_view();
}

// All the text under `node`, as textContent (a <br> or an image counts as a space).
std::string RawText(const GumboNode* node) {
  std::string out;
  std::vector<const GumboNode*> stack = {node};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      out += n->v.text.text;
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (n->v.element.tag == GUMBO_TAG_BR || n->v.element.tag == GUMBO_TAG_IMG) out.push_back(' ');
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = kids.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
  }
  return out;
}

bool IsArticleType(std::string_view type) {
  if (type.starts_with("Article")) return true;
  for (std::string_view t : {"AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
                             "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle",
                             "Report", "SatiricalArticle", "ScholarlyArticle", "MedicalScholarlyArticle",
                             "SocialMediaPosting", "BlogPosting", "LiveBlogPosting", "DiscussionForumPosting",
                             "TechArticle"})
    if (type.find(t) != std::string_view::npos) return true;
  return type.ends_with("APIReference");
}

bool TypeMatches(const Json& j) {
  return j.is_object() && j.contains("@type") && j["@type"].is_string() && IsArticleType(j["@type"].get_ref<const std::string&>());
}

bool IsSchemaOrg(const Json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  return s == "http://schema.org" || s == "https://schema.org" || s == "http://schema.org/" || s == "https://schema.org/";
}

std::string StringField(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string TrimCopy(std::string_view s) { return std::string(Trim(s)); }

// Deepest nesting of `s`'s brackets outside strings, stopping past `limit`.
int JsonDepth(std::string_view s, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i; else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') { if (++depth > max_depth && (max_depth = depth) > limit) return max_depth; }
    else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return max_depth;
}

struct JsonLd {
  bool found = false;
  std::string title, name, headline, byline, excerpt, site_name, published, modified, body;
};

struct Collected {
  std::map<std::string, std::string> values;  // Readability's meta keys: "og:title", "author", …
  std::map<std::string, std::string> extra;   // other date and URL keys this project reads
  std::vector<std::string> ld_scripts;
  std::vector<std::string> headings;          // h1 and h2 text, collapsed (at most 2,000)
  std::vector<std::string> date_texts;        // text of elements named "date", "time", …
  PageMetadata meta;
};

// Readability's property pattern: (article|dc|dcterm|og|twitter):(author|creator|description|
// published_time|title|site_name), anywhere in the attribute.
std::string PropertyKey(std::string_view property) {
  const std::string p = LowerAscii(property);
  for (std::string_view prefix : {"article", "dcterm", "dc", "og", "twitter"}) {
    for (size_t at = p.find(prefix); at != std::string::npos; at = p.find(prefix, at + 1)) {
      size_t i = at + prefix.size();
      while (i < p.size() && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n')) ++i;
      if (i >= p.size() || p[i] != ':') continue;
      ++i;
      while (i < p.size() && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n')) ++i;
      for (std::string_view field : {"author", "creator", "description", "published_time", "title", "site_name"}) {
        if (p.compare(i, field.size(), field) == 0) return std::string(prefix) + ":" + std::string(field);
      }
    }
  }
  return "";
}

// Readability's name pattern: an optional (dc|dcterm|og|twitter|parsely|weibo:article|
// weibo:webpage) and separator, then author|creator|pub-date|description|title|site_name.
std::string NameKey(std::string_view name) {
  std::string n;
  for (char c : LowerAscii(name))
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') n.push_back(c == '.' ? ':' : c);
  for (std::string_view field : {"author", "creator", "pub-date", "description", "title", "site_name"}) {
    if (n == field) return n;
    if (!n.ends_with(field) || n.size() < field.size() + 2) continue;
    const std::string_view head = std::string_view(n).substr(0, n.size() - field.size() - 1);
    const char sep = n[n.size() - field.size() - 1];
    if (sep != '-' && sep != ':') continue;
    for (std::string_view prefix : {"dc", "dcterm", "og", "twitter", "parsely", "weibo:article", "weibo:webpage"})
      if (head == prefix) return n;
  }
  return "";
}

void ReadMeta(const GumboElement& el, Collected* c) {
  const std::string_view content = Attr(el, "content");
  const std::string_view name = Attr(el, "name"), property = Attr(el, "property"), itemprop = Attr(el, "itemprop");
  const std::string_view http_equiv = Attr(el, "http-equiv");
  if (content.empty()) return;
  const std::string value = TrimCopy(content);
  bool matched = false;
  if (!property.empty()) {
    const std::string key = PropertyKey(property);
    if (!key.empty()) {
      c->values[key] = value;
      matched = true;
    }
  }
  if (!matched && !name.empty()) {
    const std::string key = NameKey(name);
    if (!key.empty()) c->values[key] = value;
  }
  // Further keys for dates, URLs and types (first value wins).
  for (std::string_view k : {name, property, itemprop, http_equiv}) {
    if (k.empty()) continue;
    std::string key = LowerAscii(Trim(k));
    c->extra.emplace(std::move(key), value);
  }
}

void ReadElement(const GumboNode* n, Collected* c) {
  const GumboElement& el = n->v.element;
  PageMetadata& m = c->meta;
  switch (el.tag) {
    case GUMBO_TAG_HTML:
      if (m.lang.empty()) {
        std::string_view lang = Trim(Attr(el, "lang"));
        if (lang.empty()) lang = Trim(Attr(el, "xml:lang"));
        m.lang = CollapseSpaces(lang);
      }
      if (m.dir.empty()) m.dir = LowerAscii(Trim(Attr(el, "dir")));
      break;
    case GUMBO_TAG_BODY:
      if (m.dir.empty()) m.dir = LowerAscii(Trim(Attr(el, "dir")));
      break;
    case GUMBO_TAG_TITLE:
      if (m.html_title.empty()) m.html_title = CollapseSpaces(RawText(n));
      break;
    case GUMBO_TAG_META:
      ReadMeta(el, c);
      break;
    case GUMBO_TAG_LINK: {
      const std::string rel = LowerAscii(Trim(Attr(el, "rel")));
      if (m.canonical.empty() && rel == "canonical") m.canonical = CollapseSpaces(Attr(el, "href"));
      break;
    }
    case GUMBO_TAG_SCRIPT:
      if (Trim(Attr(el, "type")) == "application/ld+json" && c->ld_scripts.size() < 16) c->ld_scripts.push_back(RawText(n));
      break;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: {
      std::string text = CollapseSpaces(RawText(n));
      if (el.tag == GUMBO_TAG_H1) {
        if (m.h1_count++ == 0) m.first_h1 = text;
      }
      if (c->headings.size() < 2000) c->headings.push_back(std::move(text));
      break;
    }
    case GUMBO_TAG_TIME:
      if (m.time_datetime.empty()) m.time_datetime = TrimCopy(Attr(el, "datetime"));
      break;
    default:
      if (c->date_texts.size() < 12) {
        const std::string names = LowerAscii(std::string(Attr(el, "class")) + " " + std::string(Attr(el, "id")));
        if (names.find("date") != std::string::npos || names.find("time") != std::string::npos ||
            names.find("publish") != std::string::npos || names.find("posted") != std::string::npos) {
          std::string text = CollapseSpaces(RawText(n));
          if (!text.empty() && text.size() < 300) c->date_texts.push_back(std::move(text));
        }
      }
      if (m.time_datetime.empty() && Trim(Attr(el, "itemprop")) == "datePublished") {
        std::string_view v = Attr(el, "content");
        if (v.empty()) v = Attr(el, "datetime");
        m.time_datetime = v.empty() ? CollapseSpaces(RawText(n)) : TrimCopy(v);
      }
      break;
  }
}

// "<!-- Mirrored from example.com/a/b.html by HTTrack Website Copier/3.x […] -->" and
// "<!-- saved from url=(0042)https://example.com/a/b.html -->".
void ReadComment(std::string_view text, PageMetadata* m) {
  if (!m->copied_from.empty()) return;
  text = Trim(text);
  if (text.starts_with("Mirrored from ")) {
    text.remove_prefix(14);
    const size_t by = text.find(" by HTTrack");
    if (by == std::string_view::npos) return;
    std::string url(Trim(text.substr(0, by)));
    if (url.empty() || url.find(' ') != std::string::npos) return;
    if (url.find("://") == std::string::npos) url = "http://" + url;
    m->copied_from = url;
  } else if (text.starts_with("saved from url=")) {
    text.remove_prefix(15);
    if (text.starts_with("(")) {
      const size_t close = text.find(')');
      if (close == std::string_view::npos) return;
      text.remove_prefix(close + 1);
    }
    const size_t end = text.find_first_of(" \t\n");
    m->copied_from = std::string(text.substr(0, end));
  }
}

JsonLd ReadJsonLd(const std::vector<std::string>& scripts, const PageMetadata& meta, const GumboNode* document) {
  JsonLd out;
  for (const std::string& raw : scripts) {
    std::string_view text = Trim(raw);
    if (text.starts_with("<![CDATA[")) text.remove_prefix(9);
    if (text.ends_with("]]>")) text.remove_suffix(3);
    if (text.size() > (1u << 20) || JsonDepth(text, 64) > 64) continue;
    Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) continue;
    if (parsed.is_array()) {
      Json found;
      for (const Json& it : parsed)
        if (TypeMatches(it)) {
          found = it;
          break;
        }
      if (found.is_null()) continue;
      parsed = std::move(found);
    }
    if (!parsed.is_object()) continue;
    const Json* context = parsed.contains("@context") ? &parsed["@context"] : nullptr;
    const bool schema = context && (IsSchemaOrg(*context) || (context->is_object() && context->contains("@vocab") &&
                                                              IsSchemaOrg((*context)["@vocab"])));
    if (!schema) continue;
    if (!parsed.contains("@type") && parsed.contains("@graph") && parsed["@graph"].is_array()) {
      Json found;
      for (const Json& it : parsed["@graph"])
        if (TypeMatches(it)) {
          found = it;
          break;
        }
      parsed = std::move(found);
    }
    if (!TypeMatches(parsed)) continue;
    out.found = true;
    const std::string name = StringField(parsed, "name"), headline = StringField(parsed, "headline");
    const bool has_name = parsed.contains("name") && parsed["name"].is_string();
    const bool has_headline = parsed.contains("headline") && parsed["headline"].is_string();
    if (has_name && has_headline && name != headline) {
      const std::string title = TitleFromHtmlTitle(meta, document);
      const bool name_matches = TextSimilarity(name, title) > 0.75;
      const bool headline_matches = TextSimilarity(headline, title) > 0.75;
      out.title = headline_matches && !name_matches ? headline : name;
    } else if (has_name) {
      out.title = TrimCopy(name);
    } else if (has_headline) {
      out.title = TrimCopy(headline);
    }
    if (parsed.contains("author")) {
      const Json& a = parsed["author"];
      if (a.is_object() && a.contains("name") && a["name"].is_string()) {
        out.byline = TrimCopy(a["name"].get<std::string>());
      } else if (a.is_array() && !a.empty() && a[0].is_object() && a[0].contains("name") && a[0]["name"].is_string()) {
        for (const Json& one : a) {
          if (!one.is_object() || !one.contains("name") || !one["name"].is_string()) continue;
          if (!out.byline.empty()) out.byline += ", ";
          out.byline += TrimCopy(one["name"].get<std::string>());
        }
      }
    }
    out.excerpt = TrimCopy(StringField(parsed, "description"));
    if (parsed.contains("publisher")) out.site_name = TrimCopy(StringField(parsed["publisher"], "name"));
    out.published = TrimCopy(StringField(parsed, "datePublished"));
    out.modified = TrimCopy(StringField(parsed, "dateModified"));
    out.body = TrimCopy(StringField(parsed, "articleBody"));
    break;
  }
  return out;
}

// Words as JavaScript's str.split(/\s+/).length counts them (empty ends count).
size_t WordCount(std::string_view s) {
  size_t n = 1;
  bool in_space = false;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    const bool space = IsSpaceAt(s, i, &len);
    if (space && !in_space) ++n;
    in_space = space;
    i += len;
  }
  return n;
}

bool IsTitleSeparator(std::string_view s, size_t i, size_t* len) {
  *len = 1;
  const char c = s[i];
  if (c == '|' || c == '-' || c == '\\' || c == '/' || c == '>') return true;
  for (std::string_view u : {"\xC2\xBB", "\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (s.substr(i).starts_with(u)) {
      *len = u.size();
      return true;
    }
  }
  return false;
}

bool IsHierarchical(std::string_view s, size_t i) {
  return s[i] == '\\' || s[i] == '/' || s[i] == '>' || s.substr(i).starts_with("\xC2\xBB");
}

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

bool IsUrl(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

// "Story - Site" without " - Site" when another signal agrees: the part after the last separator
// is the site's name, or the part before it is the page's <h1>.
std::string WithoutSiteName(const std::string& t, const std::string& site_name, const std::string& h1) {
  size_t best = std::string::npos, sep_len = 0;
  for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " \xC2\xBB "}) {
    const size_t p = t.rfind(sep);
    if (p != std::string::npos && p > 0 && (best == std::string::npos || p > best)) {
      best = p;
      sep_len = sep.size();
    }
  }
  if (best == std::string::npos) return t;
  const std::string_view head = std::string_view(t).substr(0, best);
  const std::string_view tail = std::string_view(t).substr(best + sep_len);
  if ((!site_name.empty() && EqualsIgnoreCaseAscii(tail, site_name)) || (!h1.empty() && head == h1))
    return std::string(head);
  return t;
}

}  // namespace

std::string UnescapeEntities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    std::string rep;
    if (ent == "amp") rep = "&";
    else if (ent == "lt") rep = "<";
    else if (ent == "gt") rep = ">";
    else if (ent == "quot") rep = "\"";
    else if (ent == "apos") rep = "'";
    else if (ent.size() > 1 && ent[0] == '#') {
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string digits(ent.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long cp = digits.empty() ? 0 : std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && end && *end == 0 && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(static_cast<uint32_t>(cp), &rep);
      }
    }
    if (rep.empty()) {
      out.push_back('&');
      continue;
    }
    out += rep;
    i = semi;
  }
  return out;
}

std::string TitleFromHtmlTitle(const PageMetadata& meta, const GumboNode* document) {
  const std::string& orig = meta.html_title;
  std::string cur = orig;
  bool hierarchical = false;
  // " | ", " - ", " » " … : the last part is the site's name, unless too little is left.
  size_t last_sep = std::string::npos, first_sep_end = std::string::npos;
  for (size_t i = 1; i + 1 < orig.size(); ++i) {
    size_t len = 0;
    if (orig[i - 1] != ' ' || !IsTitleSeparator(orig, i, &len) || i + len >= orig.size() || orig[i + len] != ' ')
      continue;
    last_sep = i - 1;
    if (IsHierarchical(orig, i)) hierarchical = true;
  }
  if (last_sep != std::string::npos) {
    cur = orig.substr(0, last_sep);
    if (WordCount(cur) < 3) {
      // The first part instead: everything up to the first separator character goes.
      for (size_t i = 0; i < orig.size(); ++i) {
        size_t len = 0;
        if (IsTitleSeparator(orig, i, &len)) {
          first_sep_end = i + len;
          break;
        }
      }
      if (first_sep_end != std::string::npos) cur = orig.substr(first_sep_end);
    }
  } else if (orig.find(": ") != std::string::npos) {
    std::vector<std::string> headings;
    bool match = false;
    // A heading that is the whole title keeps it.
    std::vector<const GumboNode*> stack = {document};
    while (!stack.empty() && !match) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type == GUMBO_NODE_DOCUMENT) {
        for (unsigned i = 0; i < n->v.document.children.length; ++i)
          stack.push_back(static_cast<const GumboNode*>(n->v.document.children.data[i]));
        continue;
      }
      if (n->type != GUMBO_NODE_ELEMENT) continue;
      if (n->v.element.tag == GUMBO_TAG_H1 || n->v.element.tag == GUMBO_TAG_H2) {
        match = CollapseSpaces(RawText(n)) == orig;
        continue;
      }
      for (unsigned i = 0; i < n->v.element.children.length; ++i)
        stack.push_back(static_cast<const GumboNode*>(n->v.element.children.data[i]));
    }
    if (!match) {
      cur = orig.substr(orig.rfind(':') + 1);
      if (WordCount(cur) < 3) {
        cur = orig.substr(orig.find(':') + 1);
      } else if (WordCount(orig.substr(0, orig.find(':'))) > 5) {
        cur = orig;
      }
    }
  } else {
    const size_t units = Utf16Length(orig);
    if ((units > 150 || units < 15) && meta.h1_count == 1) cur = meta.first_h1;
  }
  cur = CollapseSpaces(cur);
  const size_t words = WordCount(cur);
  if (words <= 4) {
    std::string without;
    for (size_t i = 0; i < orig.size();) {
      size_t len = 0;
      if (IsTitleSeparator(orig, i, &len)) {
        i += len;
        continue;
      }
      without.push_back(orig[i++]);
    }
    if (!hierarchical || words != WordCount(without) - 1) cur = orig;
  }
  return cur;
}

PageMetadata ReadPageMetadata(const GumboNode* document) {
  Collected c;
  std::vector<const GumboNode*> stack = {document};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_DOCUMENT) {
      const GumboVector& kids = n->v.document.children;
      for (unsigned i = kids.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
      continue;
    }
    if (n->type == GUMBO_NODE_COMMENT) {
      ReadComment(n->v.text.text, &c.meta);
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    ReadElement(n, &c);
    const GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_TITLE || t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2)
      continue;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = kids.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
  }
  PageMetadata m = std::move(c.meta);
  const JsonLd ld = ReadJsonLd(c.ld_scripts, m, document);
  auto value = [&](const char* key) -> std::string {
    auto it = c.values.find(key);
    return it == c.values.end() ? "" : it->second;
  };
  auto extra = [&](std::initializer_list<const char*> keys) -> std::string {
    for (const char* k : keys) {
      auto it = c.extra.find(k);
      if (it != c.extra.end() && !it->second.empty()) return it->second;
    }
    return "";
  };
  std::string title = ld.title;
  for (const char* k : {"dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title", "title",
                        "twitter:title", "parsely-title"}) {
    if (!title.empty()) break;
    title = value(k);
  }
  const bool from_html_title = title.empty();
  if (title.empty()) title = TitleFromHtmlTitle(m, document);
  if (title.empty()) title = m.first_h1;
  m.title = CollapseSpaces(UnescapeEntities(title));

  std::string author = ld.byline;
  for (const char* k : {"dc:creator", "dcterm:creator", "author", "parsely-author"}) {
    if (!author.empty()) break;
    author = value(k);
  }
  if (author.empty() && !IsUrl(value("article:author"))) author = value("article:author");
  m.author = CollapseSpaces(UnescapeEntities(author));

  std::string description = ld.excerpt;
  for (const char* k : {"dc:description", "dcterm:description", "og:description", "weibo:article:description",
                        "weibo:webpage:description", "description", "twitter:description"}) {
    if (!description.empty()) break;
    description = value(k);
  }
  m.description = CollapseSpaces(UnescapeEntities(description));
  m.json_ld_body = ld.body;
  m.site_name = CollapseSpaces(UnescapeEntities(!ld.site_name.empty() ? ld.site_name : value("og:site_name")));
  // A title the page's metadata gives is the article's as it is; one read from <title> may end
  // with the site's name even where Readability keeps it (titles of four words or fewer).
  if (from_html_title) m.title = WithoutSiteName(m.title, m.site_name, m.first_h1);

  // Publication date: JSON-LD and the meta tags sites use, then <time>.
  for (const std::string& d :
       {ld.published, value("article:published_time"), value("parsely-pub-date"),
        extra({"og:published_time", "article:published", "datepublished", "pubdate", "publishdate", "publish-date",
               "publish_date", "published_time", "dc.date.issued", "dc.date", "dcterms.date", "dcterms.created",
               "dcterms.issued", "sailthru.date", "date", "article.published", "cxenseparse:recs:publishtime"}),
        m.time_datetime}) {
    if (!m.date.empty()) break;
    m.date = NormalizeDate(d);
  }
  for (const std::string& t : c.date_texts) {
    if (!m.date.empty()) break;
    m.date = FindDateInText(t);
  }
  m.modified = NormalizeDate(!ld.modified.empty() ? ld.modified
                                                  : extra({"article:modified_time", "og:updated_time", "datemodified",
                                                           "dcterms.modified", "last-modified"}));
  if (m.canonical.empty()) m.canonical = CollapseSpaces(extra({"og:url"}));
  if (m.lang.empty()) m.lang = CollapseSpaces(extra({"content-language", "dc.language", "language"}));
  m.og_type = LowerAscii(Trim(extra({"og:type"})));
  m.article_type = ld.found || m.og_type == "article";
  m.robots_noindex = LowerAscii(extra({"robots"})).find("noindex") != std::string::npos;
  if (m.dir != "rtl" && m.dir != "ltr") m.dir.clear();
  return m;
}

}  // namespace rasai::ingest_internal
