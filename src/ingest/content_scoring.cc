// Content scoring (contract in content_scoring.h).
#include "ingest/content_scoring.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/class_hints.h"
#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

constexpr size_t kTopCandidates = 5;

bool IsHeading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 ||
         t == GUMBO_TAG_H6;
}

bool IsScoredTag(GumboTag t) {
  return t == GUMBO_TAG_SECTION || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 ||
         t == GUMBO_TAG_H6 || t == GUMBO_TAG_P || t == GUMBO_TAG_TD || t == GUMBO_TAG_PRE;
}

// Elements that make a <div> more than a paragraph.
bool IsDivToPBlock(GumboTag t) {
  return t == GUMBO_TAG_BLOCKQUOTE || t == GUMBO_TAG_DL || t == GUMBO_TAG_DIV || t == GUMBO_TAG_IMG ||
         t == GUMBO_TAG_OL || t == GUMBO_TAG_P || t == GUMBO_TAG_PRE || t == GUMBO_TAG_TABLE || t == GUMBO_TAG_UL;
}

bool IsPhrasingTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ABBR: case GUMBO_TAG_AUDIO: case GUMBO_TAG_B: case GUMBO_TAG_BDO: case GUMBO_TAG_BR:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_CITE: case GUMBO_TAG_CODE: case GUMBO_TAG_DATA: case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_DFN: case GUMBO_TAG_EM: case GUMBO_TAG_EMBED: case GUMBO_TAG_I: case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT: case GUMBO_TAG_KBD: case GUMBO_TAG_LABEL: case GUMBO_TAG_MARK: case GUMBO_TAG_MATH:
    case GUMBO_TAG_METER: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_OBJECT: case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_PROGRESS: case GUMBO_TAG_Q: case GUMBO_TAG_RUBY: case GUMBO_TAG_SAMP: case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_SMALL: case GUMBO_TAG_SPAN: case GUMBO_TAG_STRONG: case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_TIME: case GUMBO_TAG_VAR: case GUMBO_TAG_WBR:
    // Presentational inline elements of older pages (a <font> is a <span> to the reader).
    case GUMBO_TAG_FONT: case GUMBO_TAG_U: case GUMBO_TAG_S: case GUMBO_TAG_STRIKE: case GUMBO_TAG_TT:
    case GUMBO_TAG_BIG:
      return true;
    default:
      return false;
  }
}

bool IsWhitespaceNode(const Dom& dom, int n) {
  return dom[n].kind == NodeKind::kWhitespace || dom.Tag(n) == GUMBO_TAG_BR;
}

std::string LowerTrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return LowerAscii(s);
}

bool ProbablyVisible(const Dom& dom, int n) {
  const std::string_view style = dom.Attr(n, "style");
  if (!style.empty()) {
    std::string compact;
    for (char c : style)
      if (c != ' ' && c != '\t' && c != '\n') compact.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    if (compact.find("display:none") != std::string::npos || compact.find("visibility:hidden") != std::string::npos)
      return false;
  }
  if (dom.HasAttr(n, "hidden")) return false;
  if (dom.HasAttr(n, "aria-hidden") && LowerTrim(dom.Attr(n, "aria-hidden")) == "true" &&
      dom.Attr(n, "class").find("fallback-image") == std::string_view::npos)
    return false;
  return true;
}

bool IsElementWithoutContent(const Dom& dom, int n) {
  if (dom.TextLength(n) != 0) return false;
  int children = 0, breaks = 0;
  for (int c = dom[n].first; c >= 0; c = dom[c].next) {
    if (!dom.IsElement(c)) continue;
    ++children;
  }
  if (children == 0) return true;
  breaks = dom.CountTag(n, GUMBO_TAG_BR) + dom.CountTag(n, GUMBO_TAG_HR);
  return children == breaks;
}

bool HasSingleTagInside(const Dom& dom, int n, GumboTag tag) {
  int only = -1, count = 0;
  for (int c = dom[n].first; c >= 0; c = dom[c].next) {
    if (dom.IsElement(c)) {
      ++count;
      only = c;
    } else if (dom[c].kind == NodeKind::kText) {
      // Text with something in it (JavaScript's /\S$/: its last character is not a space).
      std::string_view t = dom[c].text;
      size_t len = 0;
      if (!t.empty() && !IsSpaceAt(t, t.size() - 1, &len) &&
          !(t.size() >= 2 && IsSpaceAt(t, t.size() - 2, &len) && len == 2))
        return false;
    }
  }
  return count == 1 && dom.Tag(only) == tag;
}

bool HasChildBlockElement(const Dom& dom, int n) {
  for (int x = dom[n].first; x >= 0; x = dom.Next(x, n))
    if (dom.IsElement(x) && IsDivToPBlock(dom.Tag(x))) return true;
  return false;
}

// Words for TextSimilarity: runs of letters and digits (any byte >= 0x80 counts as a letter,
// except the common Unicode punctuation), lower-cased.
std::vector<std::string> SimilarityWords(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 1;
    bool word;
    if (c < 0x80) {
      word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    } else {
      len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      const std::string_view ch = s.substr(i, len);
      size_t sp = 0;
      word = !IsSpaceAt(s, i, &sp) && ch != "\xD8\x8C" && ch != "\xDB\x94" && ch != "\xD8\x9F" && ch != "\xC2\xAB" &&
             ch != "\xC2\xBB" && ch != "\xE2\x80\x94" && ch != "\xE2\x80\x93" && ch != "\xE2\x80\x9C" &&
             ch != "\xE2\x80\x9D" && ch != "\xE2\x80\x98" && ch != "\xE2\x80\x99" && ch != "\xC2\xB7" &&
             ch != "\xE2\x80\xA6" && ch != "\xC2\xA6" && ch != "\xC2\xA0";
    }
    if (word) {
      for (size_t k = 0; k < len && i + k < s.size(); ++k) {
        const char b = s[i + k];
        cur.push_back(b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b);
      }
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
    i += len;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Names of the titles of link lists: related, also read, more, most read, trending, tags, …
bool IsListTitleHint(std::string_view hint) {
  for (std::string_view w : {"related", "read", "more", "recommend", "trend", "popular", "latest", "top-stories", "tag",
                             "outbrain", "taboola", "zergnet", "next"})
    if (hint.find(w) != std::string_view::npos) return true;
  return false;
}

bool IsArticleBodyAttr(std::string_view itemprop) { return itemprop.find("articleBody") != std::string_view::npos; }

}  // namespace

bool IsPhrasing(const Dom& dom, int n) {
  if (!dom.IsElement(n)) return true;
  const GumboTag t = dom.Tag(n);
  if (IsPhrasingTag(t)) return true;
  if (t == GUMBO_TAG_A || t == GUMBO_TAG_DEL || t == GUMBO_TAG_INS) {
    for (int c = dom[n].first; c >= 0; c = dom[c].next)
      if (!IsPhrasing(dom, c)) return false;
    return true;
  }
  return false;
}

double TextSimilarity(std::string_view a, std::string_view b) {
  const std::vector<std::string> ta = SimilarityWords(a), tb = SimilarityWords(b);
  if (ta.empty() || tb.empty()) return 0;
  size_t all = 0, unique = 0;
  for (const auto& w : tb) {
    all += w.size() + 1;
    if (std::find(ta.begin(), ta.end(), w) == ta.end()) unique += w.size() + 1;
  }
  return 1.0 - static_cast<double>(unique) / static_cast<double>(all);
}

bool ContentScoring::IsArticleBody(int node) const { return IsArticleBodyAttr(dom_.Attr(node, "itemprop")); }

int ContentScoring::RemoveAndNext(int node, std::string_view reason) {
  const int next = dom_.Next(node, dom_.body(), /*skip_children=*/true);
  ReportRemoved(dom_, node, std::string(reason), report_);
  dom_.Detach(node);
  return next;
}

bool ContentScoring::IsByline(int node, std::string_view match) {
  if (!byline_.empty()) return false;
  const std::string_view rel = dom_.Attr(node, "rel");
  const std::string_view itemprop = dom_.Attr(node, "itemprop");
  if (!(rel == "author" || itemprop.find("author") != std::string_view::npos || IsBylineName(match))) return false;
  const size_t len = dom_.TextLength(node);
  if (len == 0 || len >= 100) return false;
  byline_ = dom_.InnerText(node);
  return true;
}

// Runs of phrasing content directly in a <div> become paragraphs.
void ContentScoring::WrapPhrasing(int div) {
  int p = -1;
  for (int c = dom_[div].first; c >= 0;) {
    const int next = dom_[c].next;
    if (IsPhrasing(dom_, c)) {
      if (p >= 0) {
        dom_.AppendChild(p, c);
      } else if (!IsWhitespaceNode(dom_, c)) {
        p = dom_.NewElement(GUMBO_TAG_P);
        dom_.ReplaceWith(c, p);
        dom_.AppendChild(p, c);
      }
    } else if (p >= 0) {
      while (dom_[p].last >= 0 && IsWhitespaceNode(dom_, dom_[p].last)) dom_.Detach(dom_[p].last);
      p = -1;
    }
    c = next;
  }
  if (p >= 0)
    while (dom_[p].last >= 0 && IsWhitespaceNode(dom_, dom_[p].last)) dom_.Detach(dom_[p].last);
}

void ContentScoring::InitializeNode(int node) {
  DomNode& d = dom_[node];
  d.scored = true;
  d.score = 0;
  switch (d.tag) {
    case GUMBO_TAG_DIV: d.score += 5; break;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: d.score += 3; break;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM: d.score -= 3; break;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_TH: d.score -= 5; break;
    default: break;
  }
  if (flags_.weight_classes) d.score += ClassWeight(LowerAscii(dom_.Attr(node, "class")), LowerAscii(dom_.Attr(node, "id")));
}

// The next sibling that is not white space (-1 when none).
static int NextNonSpace(const Dom& dom, int n) {
  while (n >= 0 && dom[n].kind == NodeKind::kWhitespace) n = dom[n].next;
  return n;
}

void ContentScoring::ReplaceBrs() {
  // Runs of two or more <br> separate paragraphs: the first becomes a <p> holding the phrasing
  // content up to the next run, the others go.
  std::vector<int> brs;
  for (int n = dom_.body(); n >= 0; n = dom_.Next(n, dom_.body()))
    if (dom_.Tag(n) == GUMBO_TAG_BR) brs.push_back(n);
  for (int br : brs) {
    if (dom_[br].parent < 0) continue;  // removed as part of an earlier run
    bool replaced = false;
    for (int next = NextNonSpace(dom_, dom_[br].next); next >= 0 && dom_.Tag(next) == GUMBO_TAG_BR;
         next = NextNonSpace(dom_, dom_[br].next)) {
      replaced = true;
      dom_.Detach(next);
    }
    if (!replaced) continue;
    const int p = dom_.NewElement(GUMBO_TAG_P);
    dom_.ReplaceWith(br, p);
    for (int next = dom_[p].next; next >= 0;) {
      if (dom_.Tag(next) == GUMBO_TAG_BR) {
        const int after = NextNonSpace(dom_, dom_[next].next);
        if (after >= 0 && dom_.Tag(after) == GUMBO_TAG_BR) break;
      }
      if (!IsPhrasing(dom_, next)) break;
      const int sibling = dom_[next].next;
      dom_.AppendChild(p, next);
      next = sibling;
    }
    while (dom_[p].last >= 0 && IsWhitespaceNode(dom_, dom_[p].last)) dom_.Detach(dom_[p].last);
    if (const int parent = dom_[p].parent; parent >= 0 && dom_.Tag(parent) == GUMBO_TAG_P) dom_.SetTag(parent, GUMBO_TAG_DIV);
  }
}

int ContentScoring::GrabArticle() {
  const int body = dom_.body();
  ReplaceBrs();
  std::vector<int> to_score;
  bool remove_title_header = !title_.empty();
  for (int node = body; node >= 0;) {
    if (!dom_.IsElement(node)) {
      node = dom_.Next(node, body);
      continue;
    }
    const GumboTag tag = dom_.Tag(node);
    const std::string_view match = dom_.MatchString(node);
    if (node != body && !ProbablyVisible(dom_, node)) {
      node = RemoveAndNext(node, "hidden");
      continue;
    }
    if (LowerTrim(dom_.Attr(node, "aria-modal")) == "true" && LowerTrim(dom_.Attr(node, "role")) == "dialog") {
      node = RemoveAndNext(node, "dialog");
      continue;
    }
    if (node != body && IsByline(node, match)) {
      node = RemoveAndNext(node, "byline");
      continue;
    }
    if (remove_title_header && (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2) &&
        TextSimilarity(title_, dom_.InnerText(node)) > 0.75) {
      remove_title_header = false;
      node = RemoveAndNext(node, "the title");
      continue;
    }
    if (flags_.strip_unlikely && node != body) {
      std::string_view hint = UnlikelyHint(match, /*news=*/false);
      // The news names (share, related, tags, newsletter, ad, …) mark small or link-dense blocks;
      // a container of the article may carry one too ("gigya-share-btns-2_gig_containerParent").
      if (hint.empty() && IsUnlikelyCandidate(match, /*news=*/true) && !IsArticleBody(node) &&
          (dom_.TextLength(node) < 500 || dom_.LinkDensity(node) > 0.33))
        hint = UnlikelyHint(match, /*news=*/true);
      if (!hint.empty() && !dom_.HasAncestor(node, GUMBO_TAG_TABLE, 3) && !dom_.HasAncestor(node, GUMBO_TAG_CODE, 3) &&
          tag != GUMBO_TAG_A) {
        const std::string reason = "class/id names '" + std::string(hint) + "'";
        // A title so named ("also-read", "related-topics") takes the link lists after it along.
        if (IsListTitleHint(hint) && dom_.TextLength(node) < 40 && dom_.CountTag(node, GUMBO_TAG_A) == 0) {
          for (int s = dom_[node].next; s >= 0;) {
            const int next = dom_[s].next;
            if (dom_.IsElement(s)) {
              const size_t len = dom_.TextLength(s);
              if (len == 0 || len >= 400 || dom_.LinkDensity(s) <= 0.5) break;
              ReportRemoved(dom_, s, reason + ", the links after it", report_);
              dom_.Detach(s);
            }
            s = next;
          }
        }
        node = RemoveAndNext(node, reason);
        continue;
      }
      if (tag == GUMBO_TAG_NAV) {
        node = RemoveAndNext(node, "<nav>");
        continue;
      }
      const std::string role = LowerTrim(dom_.Attr(node, "role"));
      if (IsUnlikelyRole(role)) {
        node = RemoveAndNext(node, "role '" + role + "'");
        continue;
      }
    }
    if ((tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_HEADER || IsHeading(tag)) &&
        node != body && IsElementWithoutContent(dom_, node)) {
      node = RemoveAndNext(node, "empty");
      continue;
    }
    if (IsScoredTag(tag)) to_score.push_back(node);
    if (tag == GUMBO_TAG_DIV) {
      WrapPhrasing(node);
      // A <div> holding one paragraph is that paragraph; one without blocks is a paragraph.
      if (HasSingleTagInside(dom_, node, GUMBO_TAG_P) && dom_.LinkDensity(node) < 0.25) {
        int only = dom_[node].first;
        while (!dom_.IsElement(only)) only = dom_[only].next;
        dom_.ReplaceWith(node, only);
        node = only;
        to_score.push_back(node);
      } else if (!HasChildBlockElement(dom_, node)) {
        dom_.SetTag(node, GUMBO_TAG_P);
        to_score.push_back(node);
      }
    }
    node = dom_.Next(node, body);
  }

  // Score paragraphs into their ancestors.
  std::vector<int> candidates;
  for (int el : to_score) {
    const int parent = dom_[el].parent;
    if (parent < 0 || !dom_.Attached(el)) continue;
    const TextCounts tc = dom_.Count(el);
    if (tc.chars < 25) continue;
    const double score = 1.0 + static_cast<double>(tc.commas + 1) + std::min<double>(std::floor(static_cast<double>(tc.chars) / 100.0), 3.0);
    int level = 0;
    for (int a = parent; a >= 0 && level < 5; a = dom_[a].parent, ++level) {
      if (!dom_[a].scored) {
        InitializeNode(a);
        candidates.push_back(a);
      }
      const double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
      dom_[a].score += score / divider;
    }
  }
  return ChooseTopCandidate(&candidates);
}

int ContentScoring::ChooseTopCandidate(std::vector<int>* candidates) {
  const int body = dom_.body();
  std::vector<int> top;
  for (int c : *candidates) {
    dom_[c].score *= 1.0 - dom_.LinkDensity(c);
    auto at = std::find_if(top.begin(), top.end(), [&](int t) { return dom_[c].score > dom_[t].score; });
    if (static_cast<size_t>(at - top.begin()) < kTopCandidates) {
      top.insert(at, c);
      if (top.size() > kTopCandidates) top.pop_back();
    }
  }
  int topc = top.empty() ? -1 : top[0];
  bool created = false;
  if (topc < 0 || dom_.Tag(topc) == GUMBO_TAG_BODY) {
    // No block stands out: the whole body is the candidate.
    topc = dom_.NewElement(GUMBO_TAG_DIV);
    while (dom_[body].first >= 0) dom_.AppendChild(topc, dom_[body].first);
    dom_.AppendChild(body, topc);
    InitializeNode(topc);
    created = true;
  } else {
    // Near-ties (75% of the best) sharing an ancestor: that ancestor holds the article.
    std::vector<std::vector<int>> alternatives;
    for (size_t i = 1; i < top.size(); ++i) {
      if (dom_[top[i]].score / dom_[topc].score < 0.75) continue;
      std::vector<int> chain;
      for (int a = dom_[top[i]].parent; a >= 0; a = dom_[a].parent) chain.push_back(a);
      alternatives.push_back(std::move(chain));
    }
    if (alternatives.size() >= 3) {
      for (int p = dom_[topc].parent; p >= 0 && p != body; p = dom_[p].parent) {
        int lists = 0;
        for (const auto& chain : alternatives) lists += std::find(chain.begin(), chain.end(), p) != chain.end();
        if (lists >= 3) {
          topc = p;
          break;
        }
      }
    }
    if (!dom_[topc].scored) InitializeNode(topc);
    // A parent that scores higher than the candidate (and not much lower on the way) wins.
    double last = dom_[topc].score;
    const double threshold = last / 3;
    for (int p = dom_[topc].parent; p >= 0 && p != body; p = dom_[p].parent) {
      if (!dom_[p].scored) continue;
      if (dom_[p].score < threshold) break;
      if (dom_[p].score > last) {
        topc = p;
        break;
      }
      last = dom_[p].score;
    }
    // An only child stands for its parent.
    for (int p = dom_[topc].parent; p >= 0 && p != body && dom_.ElementChildren(p) == 1; p = dom_[p].parent) topc = p;
    if (!dom_[topc].scored) InitializeNode(topc);
  }
  top_ = topc;
  top_score_ = dom_[topc].score;
  for (int a = dom_[topc].parent; a >= 0; a = dom_[a].parent) ancestors_.push_back(a);
  if (report_) {
    report_->container = DescribeElement(dom_, topc);
    report_->score = top_score_;
  }

  // Siblings that score well, or read like prose, join the article.
  const int article = dom_.NewElement(GUMBO_TAG_DIV);
  const int parent = dom_[topc].parent;
  const double threshold = std::max(10.0, dom_[topc].score * 0.2);
  const std::string_view top_class = dom_.Attr(topc, "class");
  for (int s = parent >= 0 ? dom_[parent].first : topc; s >= 0;) {
    const int next = dom_[s].next;
    if (!dom_.IsElement(s)) {
      s = next;
      continue;
    }
    bool append = s == topc;
    if (!append) {
      double bonus = 0;
      if (!top_class.empty() && dom_.Attr(s, "class") == top_class) bonus += dom_[topc].score * 0.2;
      if (dom_[s].scored && dom_[s].score + bonus >= threshold) {
        append = true;
      } else if (dom_.Tag(s) == GUMBO_TAG_P) {
        const double density = dom_.LinkDensity(s);
        const std::string text = dom_.InnerText(s);
        const size_t len = dom_.TextLength(s);
        if (len > 80 && density < 0.25) {
          append = true;
        } else if (len < 80 && len > 0 && density == 0) {
          // Ends a sentence: ". " or "." at the end (also the Urdu and Arabic full stops).
          for (std::string_view stop : {".", "\xDB\x94", "\xD8\x9F", "?", "!"}) {
            for (size_t at = text.find(stop); at != std::string::npos && !append; at = text.find(stop, at + 1)) {
              const size_t e = at + stop.size();
              append = e == text.size() || text[e] == ' ';
            }
          }
        }
      }
    }
    if (append) {
      const GumboTag t = dom_.Tag(s);
      if (t != GUMBO_TAG_DIV && t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_SECTION && t != GUMBO_TAG_P)
        dom_.SetTag(s, GUMBO_TAG_DIV);
      dom_.AppendChild(article, s);
    }
    if (parent < 0) break;
    s = next;
  }
  (void)created;
  return article;
}

}  // namespace rasai::ingest_internal
