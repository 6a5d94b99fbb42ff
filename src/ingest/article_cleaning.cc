// Article cleaning (contract in article_cleaning.h).
#include "ingest/article_cleaning.h"

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/boilerplate_phrases.h"
#include "ingest/class_hints.h"
#include "ingest/text_features.h"
#include "rasai/analysis.h"
#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

bool IsTextishTag(GumboTag t) {
  return t == GUMBO_TAG_SPAN || t == GUMBO_TAG_LI || t == GUMBO_TAG_TD || t == GUMBO_TAG_BLOCKQUOTE ||
         t == GUMBO_TAG_DL || t == GUMBO_TAG_DIV || t == GUMBO_TAG_IMG || t == GUMBO_TAG_OL || t == GUMBO_TAG_P ||
         t == GUMBO_TAG_PRE || t == GUMBO_TAG_TABLE || t == GUMBO_TAG_UL;
}

// Blocks the news rules look at.
bool IsRuleBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_LI: case GUMBO_TAG_TABLE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_DL: case GUMBO_TAG_FORM: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_STRONG: case GUMBO_TAG_B: case GUMBO_TAG_SPAN: case GUMBO_TAG_FIGURE:
      return true;
    default:
      return false;
  }
}

bool IsVideoUrl(std::string_view v) {
  const std::string s = LowerAscii(v);
  for (std::string_view host : {"dailymotion.com", "youtube.com", "youtube-nocookie.com", "player.vimeo.com",
                                "v.qq.com", "archive.org", "upload.wikimedia.org", "player.twitch.tv"})
    if (s.find(host) != std::string::npos) return true;
  return false;
}

bool HasVideoAttribute(const Dom& dom, int n) {
  const GumboElement* el = dom[n].el;
  if (!el) return false;
  for (unsigned i = 0; i < el->attributes.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(el->attributes.data[i]);
    if (a->value && IsVideoUrl(a->value)) return true;
  }
  return false;
}

class Cleaner {
 public:
  Cleaner(Dom* dom, int article, const ExtractFlags& flags, std::string_view lang, ExtractionReport* report)
      : dom_(*dom), article_(article), flags_(flags), report_(report), data_table_(dom->size(), 0) {
    // Stopword lists exist for Urdu and English; the language the page names, else its text's.
    std::string l = LowerAscii(lang.substr(0, 2));
    if (l.empty()) l = DetectLanguage(dom_.InnerText(article, 3000));
    stopword_lang_ = (l == "ur" || l == "en") ? l : "";
  }

  void Run() {
    MarkDataTables();
    CleanConditionally(GUMBO_TAG_FORM);
    CleanConditionally(GUMBO_TAG_FIELDSET);
    for (GumboTag t : {GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED, GUMBO_TAG_FOOTER, GUMBO_TAG_LINK, GUMBO_TAG_ASIDE})
      Clean(t);
    // Little blocks named "share" inside the article's top-level blocks.
    for (int top = dom_[article_].first; top >= 0; top = dom_[top].next) {
      if (!dom_.IsElement(top)) continue;
      for (int n = dom_[top].first; n >= 0;) {
        if (dom_.IsElement(n) && IsShareName(dom_.MatchString(n)) && dom_.TextLength(n) < 500) {
          const int next = dom_.Next(n, top, true);
          Remove(n, "share block");
          n = next;
          continue;
        }
        n = dom_.Next(n, top);
      }
    }
    for (GumboTag t : {GUMBO_TAG_IFRAME, GUMBO_TAG_INPUT, GUMBO_TAG_TEXTAREA, GUMBO_TAG_SELECT, GUMBO_TAG_BUTTON})
      Clean(t);
    for (int h : All({GUMBO_TAG_H1, GUMBO_TAG_H2}))
      if (Weight(h) < 0) Remove(h, "heading with boilerplate class/id names");
    NewsRules();
    CleanConditionally(GUMBO_TAG_TABLE);
    CleanConditionally(GUMBO_TAG_UL);
    CleanConditionally(GUMBO_TAG_DIV);
    if (!stopword_lang_.empty()) TrimEdges();
    TrimTrailingLinkLists();
    // Paragraphs with nothing in them.
    for (int p : All({GUMBO_TAG_P})) {
      if (dom_.TextLength(p) == 0 && dom_.CountTag(p, GUMBO_TAG_IMG) + dom_.CountTag(p, GUMBO_TAG_EMBED) +
                                             dom_.CountTag(p, GUMBO_TAG_OBJECT) + dom_.CountTag(p, GUMBO_TAG_IFRAME) ==
                                         0)
        dom_.Detach(p);
    }
  }

 private:
  std::vector<int> All(std::initializer_list<GumboTag> tags) const {
    std::vector<int> out;
    for (int n = dom_[article_].first; n >= 0; n = dom_.Next(n, article_)) {
      if (!dom_.IsElement(n)) continue;
      for (GumboTag t : tags)
        if (dom_.Tag(n) == t) out.push_back(n);
    }
    return out;
  }

  bool InArticle(int n) const {
    while (n >= 0 && n != article_) n = dom_[n].parent;
    return n == article_;
  }

  void Remove(int n, std::string reason) {
    ReportRemoved(dom_, n, std::move(reason), report_);
    dom_.Detach(n);
  }

  int Weight(int n) const {
    if (!flags_.weight_classes) return 0;
    return ClassWeight(LowerAscii(dom_.Attr(n, "class")), LowerAscii(dom_.Attr(n, "id")));
  }

  void Clean(GumboTag tag) {
    const bool embed = tag == GUMBO_TAG_OBJECT || tag == GUMBO_TAG_EMBED || tag == GUMBO_TAG_IFRAME;
    for (int n : All({tag})) {
      if (!InArticle(n)) continue;
      if (embed && HasVideoAttribute(dom_, n)) continue;
      Remove(n, "<" + dom_.TagName(n) + ">");
    }
  }

  void MarkDataTables() {
    for (int t : All({GUMBO_TAG_TABLE})) data_table_[static_cast<size_t>(t)] = IsDataTable(t) ? 1 : 0;
  }

  bool IsDataTable(int t) const {
    if (LowerAscii(dom_.Attr(t, "role")) == "presentation") return false;
    if (dom_.Attr(t, "datatable") == "0") return false;
    if (dom_.HasAttr(t, "summary")) return true;
    for (int c = dom_[t].first; c >= 0; c = dom_[c].next)
      if (dom_.Tag(c) == GUMBO_TAG_CAPTION && dom_[c].first >= 0) return true;
    int rows = 0, columns = 0;
    for (int n = dom_[t].first; n >= 0; n = dom_.Next(n, t)) {
      switch (dom_.Tag(n)) {
        case GUMBO_TAG_COL: case GUMBO_TAG_COLGROUP: case GUMBO_TAG_TFOOT: case GUMBO_TAG_THEAD: case GUMBO_TAG_TH:
          return true;
        case GUMBO_TAG_TABLE:
          return false;
        case GUMBO_TAG_TR: {
          const int span = std::max(1, std::atoi(std::string(dom_.Attr(n, "rowspan")).c_str()));
          rows += span;
          int cols = 0;
          for (int c = dom_[n].first; c >= 0; c = dom_[c].next)
            if (dom_.Tag(c) == GUMBO_TAG_TD) cols += std::max(1, std::atoi(std::string(dom_.Attr(c, "colspan")).c_str()));
          columns = std::max(columns, cols);
          break;
        }
        default:
          break;
      }
    }
    if (rows >= 10 || columns > 4) return true;
    return rows * columns > 10;
  }

  bool InDataTable(int n) const {
    for (int p = dom_[n].parent; p >= 0 && p != article_; p = dom_[p].parent)
      if (dom_.Tag(p) == GUMBO_TAG_TABLE && data_table_[static_cast<size_t>(p)]) return true;
    return false;
  }

  void CleanConditionally(GumboTag tag) {
    if (!flags_.clean_conditionally) return;
    std::vector<int> nodes = All({tag});
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
      const int n = *it;
      if (!InArticle(n)) continue;
      std::string why = ShouldRemove(n, tag);
      if (!why.empty()) Remove(n, why);
    }
  }

  // Why the block should go ("" to keep it).
  std::string ShouldRemove(int n, GumboTag tag) {
    const TextCounts counts = dom_.Count(n);
    bool is_list = tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL;
    if (!is_list && counts.chars > 0) {
      size_t list_chars = 0;
      for (int x = dom_[n].first; x >= 0;) {
        if (dom_.Tag(x) == GUMBO_TAG_UL || dom_.Tag(x) == GUMBO_TAG_OL) {
          list_chars += dom_.TextLength(x);
          x = dom_.Next(x, n, true);
        } else {
          x = dom_.Next(x, n);
        }
      }
      is_list = static_cast<double>(list_chars) / static_cast<double>(counts.chars) > 0.9;
    }
    if (tag == GUMBO_TAG_TABLE && data_table_[static_cast<size_t>(n)]) return "";
    if (InDataTable(n) || dom_.HasAncestor(n, GUMBO_TAG_CODE, 3)) return "";
    for (int x = dom_[n].first; x >= 0; x = dom_.Next(x, n))
      if (dom_.Tag(x) == GUMBO_TAG_TABLE && data_table_[static_cast<size_t>(x)]) return "";
    const int weight = Weight(n);
    if (weight < 0) return "boilerplate class/id names";
    if (counts.commas >= 10) return "";
    const int p = dom_.CountTag(n, GUMBO_TAG_P);
    const int img = dom_.CountTag(n, GUMBO_TAG_IMG);
    const int li = dom_.CountTag(n, GUMBO_TAG_LI) - 100;
    const int input = dom_.CountTag(n, GUMBO_TAG_INPUT);
    const double heading_density =
        dom_.TextDensity(n, {GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6});
    int embeds = 0;
    for (int x = dom_[n].first; x >= 0; x = dom_.Next(x, n)) {
      const GumboTag t = dom_.Tag(x);
      if (t != GUMBO_TAG_OBJECT && t != GUMBO_TAG_EMBED && t != GUMBO_TAG_IFRAME) continue;
      if (HasVideoAttribute(dom_, x)) return "";
      ++embeds;
    }
    const std::string text = dom_.InnerText(n, 64);
    const std::string lower = LowerAscii(text);
    for (std::string_view w : {"ad", "advertising", "advertisement", "pub", "publicité", "werb", "werbung",
                               "广告", "Реклама", "anuncio", "اشتہار", "إعلان", "loading", "loading…", "loading...",
                               "正在加载", "Загрузка", "chargement", "cargando"})
      if (lower == w) return "advertisement or loading notice";
    const size_t length = counts.chars;
    const double link_density = dom_.LinkDensity(n);
    const bool figure_child = dom_.HasAncestor(n, GUMBO_TAG_FIGURE, 3);
    std::string why;
    double text_density = 0;
    {
      size_t inside = 0;
      for (int x = dom_[n].first; x >= 0;) {
        if (dom_.IsElement(x) && IsTextishTag(dom_.Tag(x))) {
          inside += dom_.TextLength(x);
          x = dom_.Next(x, n, true);
        } else {
          x = dom_.Next(x, n);
        }
      }
      text_density = length ? static_cast<double>(inside) / static_cast<double>(length) : 0;
    }
    if (!figure_child && img > 1 && static_cast<double>(p) / img < 0.5) {
      why = "more images than paragraphs";
    } else if (!is_list && li > p) {
      why = "list items outside a list";
    } else if (input > p / 3) {
      why = "form fields";
    } else if (!is_list && !figure_child && heading_density < 0.9 && length < 25 && (img == 0 || img > 2) &&
               link_density > 0) {
      why = "short and linked";
    } else if (!is_list && weight < 25 && link_density > 0.2) {
      why = "link-dense";
    } else if (weight >= 25 && link_density > 0.5) {
      why = "mostly links";
    } else if ((embeds == 1 && length < 75) || embeds > 1) {
      why = "embedded objects";
    } else if (img == 0 && text_density == 0) {
      why = "no text blocks";
    }
    if (!why.empty() && is_list) {
      // A simple list of images stays.
      bool simple = true;
      for (int c = dom_[n].first; c >= 0 && simple; c = dom_[c].next)
        if (dom_.IsElement(c) && dom_.ElementChildren(c) > 1) simple = false;
      if (simple && img == dom_.CountTag(n, GUMBO_TAG_LI)) return "";
    }
    return why;
  }

  // Blocks opening with a boilerplate phrase, and the link lists after an "also read" title.
  void NewsRules() {
    for (int n = dom_[article_].first; n >= 0;) {
      if (!dom_.IsElement(n) || !IsRuleBlock(dom_.Tag(n))) {
        n = dom_.Next(n, article_);
        continue;
      }
      const size_t length = dom_.TextLength(n);
      const PhraseKind kind = length == 0 ? PhraseKind::kNone : BoilerplateOpening(dom_.InnerText(n, 160));
      if (kind == PhraseKind::kNone) {
        n = dom_.Next(n, article_);
        continue;
      }
      // A credit opens the figure it belongs to: only the credit goes, not the caption.
      if (kind == PhraseKind::kCredit && (dom_.Tag(n) == GUMBO_TAG_FIGURE || dom_.CountTag(n, GUMBO_TAG_FIGCAPTION) > 0 ||
                                          dom_.TextLength(n) > 120)) {
        n = dom_.Next(n, article_);
        continue;
      }
      // A byline is a short line that ends no sentence ("By the end of May, …" is prose).
      if (kind == PhraseKind::kByline) {
        const std::string text = dom_.InnerText(n, 200);
        if (length >= 60 || text.ends_with(".") || text.ends_with("\xDB\x94") || dom_.Tag(n) == GUMBO_TAG_LI) {
          n = dom_.Next(n, article_);
          continue;
        }
      }
      const double links = dom_.LinkDensity(n);
      const bool small = length < (kind == PhraseKind::kAlsoRead ? 300u : 200u) || (links > 0.5 && length < 600);
      if (!small) {
        n = dom_.Next(n, article_);
        continue;
      }
      // A title alone ("یہ بھی پڑھیے:", "Leave a Reply"): what follows it belongs to it.
      const bool title_only = length < 40 && dom_.CountTag(n, GUMBO_TAG_A) == 0;
      const int next = dom_.Next(n, article_, true);
      const std::string reason(PhraseKindName(kind));
      if (title_only && (kind == PhraseKind::kAlsoRead || kind == PhraseKind::kComments || kind == PhraseKind::kTags)) {
        RemoveFollowers(n, kind, reason);
      }
      const int after = dom_.Next(n, article_, true);
      Remove(n, reason);
      n = after >= 0 ? after : next;
      if (!InArticle(n)) n = -1;
    }
  }

  // Removes the siblings after `title` that belong to its block: links for an "also read" or
  // tags title; short blocks and forms for a comments title.
  void RemoveFollowers(int title, PhraseKind kind, const std::string& reason) {
    for (int s = dom_[title].next; s >= 0;) {
      const int next = dom_[s].next;
      if (!dom_.IsElement(s)) {
        s = next;
        continue;
      }
      const size_t length = dom_.TextLength(s);
      bool belongs;
      if (kind == PhraseKind::kComments) {
        belongs = length < 200 || dom_.CountTag(s, GUMBO_TAG_FORM) + dom_.CountTag(s, GUMBO_TAG_TEXTAREA) +
                                          dom_.CountTag(s, GUMBO_TAG_INPUT) >
                                      0 || dom_.Tag(s) == GUMBO_TAG_FORM;
      } else {
        belongs = length == 0 || (dom_.LinkDensity(s) > 0.5 && length < 400) || dom_.Tag(s) == GUMBO_TAG_A;
      }
      if (!belongs) break;
      Remove(s, reason);
      s = next;
    }
  }

  static bool IsLeafCandidate(GumboTag t) {
    switch (t) {
      case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
      case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_FIGCAPTION:
      case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_TD: case GUMBO_TAG_PRE: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
      case GUMBO_TAG_SECTION: case GUMBO_TAG_HEADER: case GUMBO_TAG_TABLE: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
      case GUMBO_TAG_FIGURE: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_CENTER:
        return true;
      default:
        return false;
    }
  }

  // The innermost blocks with text, in document order.
  std::vector<int> LeafBlocks() const {
    std::vector<int> out;
    for (int n = dom_[article_].first; n >= 0;) {
      if (!dom_.IsElement(n) || !IsLeafCandidate(dom_.Tag(n)) || dom_.TextLength(n) == 0) {
        n = dom_.Next(n, article_, !dom_.IsElement(n) || dom_.TextLength(n) == 0);
        continue;
      }
      bool inner = false;
      for (int x = dom_[n].first; x >= 0 && !inner; x = dom_.Next(x, n))
        inner = dom_.IsElement(x) && IsLeafCandidate(dom_.Tag(x)) && dom_.TextLength(x) > 0;
      if (inner) {
        n = dom_.Next(n, article_);
        continue;
      }
      out.push_back(n);
      n = dom_.Next(n, article_, true);
    }
    return out;
  }

  // A short line at the article's start or end that is no prose: a counter, a date, a credit,
  // a lone link or label (jusText's short blocks without stopwords).
  bool IsEdgeJunk(int n) const {
    const GumboTag t = dom_.Tag(n);
    // Headings, captions, code and table cells are content whatever their words.
    if (t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 ||
        t == GUMBO_TAG_H6 || t == GUMBO_TAG_FIGCAPTION || t == GUMBO_TAG_PRE || t == GUMBO_TAG_TD ||
        t == GUMBO_TAG_DT || t == GUMBO_TAG_DD || dom_.HasAncestor(n, GUMBO_TAG_FIGURE, 3) ||
        dom_.HasAncestor(n, GUMBO_TAG_TABLE, 3) || dom_.HasAncestor(n, GUMBO_TAG_PRE, 3))
      return false;
    if (dom_.TextLength(n) >= 80) return false;
    const std::string text = dom_.InnerText(n, 400);
    for (std::string_view end : {".", "\xDB\x94", "?", "\xD8\x9F", "!", "\"", "\xE2\x80\x9D", ":"})
      if (text.ends_with(end)) return false;
    const TextFeatures f = MeasureText(text);
    return f.words <= 12 && f.StopwordDensity() < 0.15;
  }

  void TrimEdges() {
    const std::vector<int> blocks = LeafBlocks();
    // Only an article with prose has edges to trim (a page of a few lines is kept as it is).
    int prose = 0;
    for (size_t i = 0; i < blocks.size() && prose < 3; ++i) {
      const TextFeatures f = MeasureText(dom_.InnerText(blocks[i], 400));
      prose += f.words >= 8 && f.StopwordDensity() >= 0.2;
    }
    if (prose < 3) return;
    size_t front = 0;
    for (; front < blocks.size() && IsEdgeJunk(blocks[front]); ++front) Remove(blocks[front], "short line without prose at the article's start");
    for (size_t back = blocks.size(); back > front + 1 && IsEdgeJunk(blocks[back - 1]); --back)
      Remove(blocks[back - 1], "short line without prose at the article's end");
  }

  // Lists of links that end the article (related stories, topics, "more from"), with the short
  // heading above them: at least two items that are all link.
  void TrimTrailingLinkLists() {
    const std::vector<int> blocks = LeafBlocks();
    size_t end = blocks.size();
    while (end > 0) {
      const int b = blocks[end - 1];
      if (!(dom_.Tag(b) == GUMBO_TAG_LI || dom_.HasAncestor(b, GUMBO_TAG_LI, 2)) || dom_.LinkDensity(b) < 0.8) break;
      --end;
    }
    if (blocks.size() - end < 2 || end < 2) return;
    int title = -1;
    if (const int h = blocks[end - 1]; dom_.TextLength(h) < 60 && dom_.CountTag(h, GUMBO_TAG_A) == 0) {
      const std::string t = dom_.InnerText(h, 200);
      if (!t.ends_with(".") && !t.ends_with("\xDB\x94")) title = h;
    }
    for (size_t i = end; i < blocks.size(); ++i) Remove(blocks[i], "list of links ending the article");
    if (title >= 0) Remove(title, "title of the links ending the article");
  }

  Dom& dom_;
  const int article_;
  const ExtractFlags flags_;
  std::string stopword_lang_;  // "ur", "en" or "" (no prose test)
  ExtractionReport* report_;
  std::vector<uint8_t> data_table_;
};

}  // namespace

void CleanArticle(Dom* dom, int article, const ExtractFlags& flags, std::string_view lang, ExtractionReport* report) {
  Cleaner(dom, article, flags, lang, report).Run();
}

}  // namespace rasai::ingest_internal
