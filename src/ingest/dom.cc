// Dom: the extractor's mutable view of a parsed page (contract in dom.h).
#include "ingest/dom.h"

#include <algorithm>
#include <utility>

#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

bool Dropped(const GumboNode* n) {
  if (n->type == GUMBO_NODE_COMMENT || n->type == GUMBO_NODE_TEMPLATE) return true;
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_BASE:
      return true;
    default:
      return false;
  }
}

// UTF-16 length of the UTF-8 character starting with byte c.
size_t Utf16Units(unsigned char c) { return c >= 0xF0 ? 2 : 1; }
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

bool IsCommaAt(std::string_view s, size_t i) {
  if (s[i] == ',') return true;
  auto at = [&](const char* u) { return s.substr(i).starts_with(u); };
  // ، ﹐ ︐ ︑ ⹁ ⸴ ⸲ ，
  return at("\xD8\x8C") || at("\xEF\xB9\x90") || at("\xEF\xB8\x90") || at("\xEF\xB8\x91") || at("\xE2\xB9\x81") ||
         at("\xE2\xB8\xB4") || at("\xE2\xB8\xB2") || at("\xEF\xBC\x8C");
}

// The piece of one text node: textContent.trim().replace(/\s{2,}/g, " ") measures it.
TextPiece PieceOf(std::string_view s) {
  TextPiece p;
  bool in_space = false;
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    if (IsSpaceAt(s, i, &len)) {
      if (!p.content) p.lead = true;
      in_space = true;
      i += len;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (!IsContinuation(c)) {
      if (in_space && p.content) ++p.chars;
      in_space = false;
      p.content = true;
      p.chars += static_cast<uint32_t>(Utf16Units(c));
      if (c == ',' || c >= 0xD8) p.commas += IsCommaAt(s, i) ? 1 : 0;
    }
    ++i;
  }
  p.trail = in_space;
  return p;
}

TextPiece Combine(const TextPiece& a, const TextPiece& b) {
  if (!a.content && !b.content) return {0, 0, false, a.lead || a.trail || b.lead, a.trail || b.lead || b.trail};
  if (!a.content) {
    TextPiece r = b;
    r.lead = b.lead || a.lead || a.trail;
    return r;
  }
  if (!b.content) {
    TextPiece r = a;
    r.trail = a.trail || b.lead || b.trail;
    return r;
  }
  TextPiece r;
  r.content = true;
  r.chars = a.chars + b.chars + ((a.trail || b.lead) ? 1 : 0);
  r.commas = a.commas + b.commas;
  r.lead = a.lead;
  r.trail = b.trail;
  return r;
}

bool SeparatesWords(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_BR: case GUMBO_TAG_IMG: case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_LI:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_TR: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_HR:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool IsSpaceAt(std::string_view s, size_t i, size_t* len) {
  const auto c = static_cast<unsigned char>(s[i]);
  *len = 1;
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return true;
  if (c < 0xC2) return false;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *len = 2;
    return true;
  }
  if ((c == 0xE2 || c == 0xE3 || c == 0xEF || c == 0xE1) && i + 2 < s.size()) {
    const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
    bool space = false;
    if (c == 0xE2 && b1 == 0x80) space = (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF;
    if (c == 0xE2 && b1 == 0x81) space = b2 == 0x9F;
    if (c == 0xE3 && b1 == 0x80) space = b2 == 0x80;
    if (c == 0xEF && b1 == 0xBB) space = b2 == 0xBF;
    if (c == 0xE1 && b1 == 0x9A) space = b2 == 0x80;
    if (space) *len = 3;
    return space;
  }
  return false;
}

Dom::Dom(const GumboNode* document) {
  nodes_.reserve(1024);
  // Find <body> under <html>.
  const GumboNode* body = nullptr;
  const GumboVector& top = document->v.document.children;
  for (unsigned i = 0; i < top.length && !body; ++i) {
    const auto* h = static_cast<const GumboNode*>(top.data[i]);
    if (h->type != GUMBO_NODE_ELEMENT || h->v.element.tag != GUMBO_TAG_HTML) continue;
    const GumboVector& kids = h->v.element.children;
    for (unsigned k = 0; k < kids.length; ++k) {
      const auto* b = static_cast<const GumboNode*>(kids.data[k]);
      if (b->type == GUMBO_NODE_ELEMENT && b->v.element.tag == GUMBO_TAG_BODY) body = b;
    }
  }
  DomNode root;
  root.tag = GUMBO_TAG_BODY;
  root.el = body ? &body->v.element : nullptr;
  body_ = Add(root);
  if (!body) return;
  // (gumbo node, parent in the Dom), children pushed in reverse to come out in order.
  std::vector<std::pair<const GumboNode*, int>> stack;
  for (unsigned i = body->v.element.children.length; i > 0; --i)
    stack.emplace_back(static_cast<const GumboNode*>(body->v.element.children.data[i - 1]), body_);
  while (!stack.empty()) {
    auto [g, parent] = stack.back();
    stack.pop_back();
    if (Dropped(g)) continue;
    DomNode d;
    if (g->type == GUMBO_NODE_ELEMENT) {
      d.tag = g->v.element.tag;
      d.el = &g->v.element;
    } else {
      d.kind = g->type == GUMBO_NODE_WHITESPACE ? NodeKind::kWhitespace : NodeKind::kText;
      d.text = WithShortSpaces(g->v.text.text);
    }
    const int n = Add(d);
    AppendChild(parent, n);
    if (g->type == GUMBO_NODE_ELEMENT) {
      const GumboVector& kids = g->v.element.children;
      for (unsigned i = kids.length; i > 0; --i) stack.emplace_back(static_cast<const GumboNode*>(kids.data[i - 1]), n);
    }
  }
}

std::string_view Dom::WithShortSpaces(std::string_view text) {
  // Long runs of white space (blanked tags of a flattened page: megabytes of them) become one
  // character, a line break if they held one, so that reading a block's text costs its text.
  size_t run = 0, longest = 0;
  for (char c : text) {
    run = (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  if (longest < 64) return text;
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    bool newline = false;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r' || text[j] == '\f')) {
      newline = newline || text[j] == '\n';
      ++j;
    }
    if (j - i >= 64) {
      out.push_back(newline ? '\n' : ' ');
      i = j;
    } else if (j > i) {
      out.append(text.substr(i, j - i));
      i = j;
    } else {
      out.push_back(text[i++]);
    }
  }
  owned_.push_back(std::move(out));
  return owned_.back();
}

int Dom::Add(DomNode node) {
  nodes_.push_back(node);
  piece_.emplace_back();
  piece_gen_.push_back(0);
  match_.emplace_back();
  match_made_.push_back(0);
  return static_cast<int>(nodes_.size() - 1);
}

std::string_view Dom::Attr(int n, const char* name) const {
  const GumboElement* el = nodes_[static_cast<size_t>(n)].el;
  if (!el || !IsElement(n)) return {};
  const GumboAttribute* a = gumbo_get_attribute(&el->attributes, name);
  return a && a->value ? std::string_view(a->value) : std::string_view();
}

bool Dom::HasAttr(int n, const char* name) const {
  const GumboElement* el = nodes_[static_cast<size_t>(n)].el;
  return el && IsElement(n) && gumbo_get_attribute(&el->attributes, name) != nullptr;
}

std::string_view Dom::MatchString(int n) const {
  const auto i = static_cast<size_t>(n);
  if (!match_made_[i]) {
    match_made_[i] = 1;
    const std::string_view cls = Attr(n, "class"), id = Attr(n, "id");
    if (!cls.empty() || !id.empty()) {
      match_[i] = LowerAscii(cls);
      match_[i] += ' ';
      match_[i] += LowerAscii(id);
    }
  }
  return match_[i];
}

std::string Dom::TagName(int n) const {
  if (!IsElement(n)) return "#text";
  const DomNode& d = nodes_[static_cast<size_t>(n)];
  if (d.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(d.tag);
  if (!d.el) return "div";
  GumboStringPiece piece = d.el->original_tag;
  gumbo_tag_from_original_text(&piece);
  return LowerAscii(std::string_view(piece.data, piece.length));
}

int Dom::NewElement(GumboTag tag) {
  DomNode d;
  d.tag = tag;
  return Add(d);
}

void Dom::Detach(int n) {
  Touch();
  DomNode& d = nodes_[static_cast<size_t>(n)];
  if (d.parent < 0) return;
  DomNode& p = nodes_[static_cast<size_t>(d.parent)];
  if (d.prev >= 0) nodes_[static_cast<size_t>(d.prev)].next = d.next; else p.first = d.next;
  if (d.next >= 0) nodes_[static_cast<size_t>(d.next)].prev = d.prev; else p.last = d.prev;
  d.parent = d.prev = d.next = -1;
}

void Dom::AppendChild(int parent, int child) {
  Touch();
  Detach(child);
  DomNode& p = nodes_[static_cast<size_t>(parent)];
  DomNode& c = nodes_[static_cast<size_t>(child)];
  c.parent = parent;
  c.prev = p.last;
  c.next = -1;
  if (p.last >= 0) nodes_[static_cast<size_t>(p.last)].next = child; else p.first = child;
  p.last = child;
}

void Dom::InsertBefore(int ref, int n) {
  Touch();
  Detach(n);
  DomNode& r = nodes_[static_cast<size_t>(ref)];
  DomNode& d = nodes_[static_cast<size_t>(n)];
  d.parent = r.parent;
  d.next = ref;
  d.prev = r.prev;
  if (r.prev >= 0) nodes_[static_cast<size_t>(r.prev)].next = n; else nodes_[static_cast<size_t>(r.parent)].first = n;
  r.prev = n;
}

void Dom::ReplaceWith(int old_node, int new_node) {
  if (nodes_[static_cast<size_t>(old_node)].parent < 0) return;
  InsertBefore(old_node, new_node);
  Detach(old_node);
}

bool Dom::Attached(int n) const {
  while (n >= 0 && n != body_) n = nodes_[static_cast<size_t>(n)].parent;
  return n == body_;
}

int Dom::Next(int n, int root, bool skip_children) const {
  const DomNode& d = nodes_[static_cast<size_t>(n)];
  if (!skip_children && d.first >= 0) return d.first;
  while (n >= 0 && n != root) {
    const DomNode& x = nodes_[static_cast<size_t>(n)];
    if (x.next >= 0) return x.next;
    n = x.parent;
  }
  return -1;
}

int Dom::ElementChildren(int n) const {
  int count = 0;
  for (int c = nodes_[static_cast<size_t>(n)].first; c >= 0; c = nodes_[static_cast<size_t>(c)].next) count += IsElement(c);
  return count;
}

bool Dom::HasAncestor(int n, GumboTag tag, int max_depth) const {
  int depth = 0;
  for (int p = nodes_[static_cast<size_t>(n)].parent; p >= 0; p = nodes_[static_cast<size_t>(p)].parent) {
    if (max_depth > 0 && depth > max_depth) return false;
    if (Tag(p) == tag) return true;
    ++depth;
  }
  return false;
}

const TextPiece& Dom::Piece(int n) const {
  const auto i = static_cast<size_t>(n);
  if (piece_gen_[i] == generation_) return piece_[i];
  // Post-order over the nodes of the subtree whose counts are out of date.
  std::vector<std::pair<int, bool>> stack = {{n, false}};
  while (!stack.empty()) {
    auto [x, exit] = stack.back();
    stack.pop_back();
    const auto xi = static_cast<size_t>(x);
    if (!exit) {
      if (piece_gen_[xi] == generation_) continue;
      if (!IsElement(x)) {
        piece_[xi] = PieceOf(nodes_[xi].text);
        piece_gen_[xi] = generation_;
        continue;
      }
      stack.emplace_back(x, true);
      for (int c = nodes_[xi].first; c >= 0; c = nodes_[static_cast<size_t>(c)].next) stack.emplace_back(c, false);
      continue;
    }
    TextPiece p;
    for (int c = nodes_[xi].first; c >= 0; c = nodes_[static_cast<size_t>(c)].next)
      p = Combine(p, piece_[static_cast<size_t>(c)]);
    piece_[xi] = p;
    piece_gen_[xi] = generation_;
  }
  return piece_[i];
}

TextCounts Dom::Count(int n) const {
  const TextPiece& p = Piece(n);
  return {p.chars, p.commas};
}

std::string Dom::InnerText(int n, size_t max_bytes) const {
  std::string out;
  bool space = false;
  auto add = [&](std::string_view s) {
    for (size_t i = 0; i < s.size() && out.size() < max_bytes;) {
      size_t len = 1;
      if (IsSpaceAt(s, i, &len)) {
        space = !out.empty();
        i += len;
        continue;
      }
      if (space) out.push_back(' ');
      space = false;
      out.push_back(s[i]);
      ++i;
    }
  };
  if (!IsElement(n)) {
    add(nodes_[static_cast<size_t>(n)].text);
  } else {
    for (int x = nodes_[static_cast<size_t>(n)].first; x >= 0 && out.size() < max_bytes; x = Next(x, n)) {
      if (!IsElement(x)) {
        add(nodes_[static_cast<size_t>(x)].text);
      } else if (SeparatesWords(Tag(x))) {
        space = !out.empty();  // a line break or a new block keeps the words on either side apart
      }
    }
  }
  // Do not end inside a character when cut: drop an incomplete last sequence.
  if (out.size() >= max_bytes) {
    size_t lead = out.size();
    while (lead > 0 && IsContinuation(static_cast<unsigned char>(out[lead - 1]))) --lead;
    if (lead > 0) {
      const auto c = static_cast<unsigned char>(out[lead - 1]);
      const size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (out.size() - (lead - 1) < need) out.resize(lead - 1);
    }
  }
  return out;
}

double Dom::LinkDensity(int n) const {
  const size_t total = TextLength(n);
  if (total == 0) return 0;
  double links = 0;
  for (int x = nodes_[static_cast<size_t>(n)].first; x >= 0;) {
    if (Tag(x) == GUMBO_TAG_A) {
      const std::string_view href = Attr(x, "href");
      const double weight = href.size() > 1 && href[0] == '#' ? 0.3 : 1.0;
      links += weight * static_cast<double>(TextLength(x));
      x = Next(x, n, /*skip_children=*/true);
      continue;
    }
    x = Next(x, n);
  }
  return links / static_cast<double>(total);
}

double Dom::TextDensity(int n, std::initializer_list<GumboTag> tags) const {
  const size_t total = TextLength(n);
  if (total == 0) return 0;
  size_t inside = 0;
  for (int x = nodes_[static_cast<size_t>(n)].first; x >= 0;) {
    bool match = false;
    if (IsElement(x))
      for (GumboTag t : tags) match = match || Tag(x) == t;
    if (match) {
      inside += TextLength(x);
      x = Next(x, n, /*skip_children=*/true);
      continue;
    }
    x = Next(x, n);
  }
  return static_cast<double>(inside) / static_cast<double>(total);
}

int Dom::CountTag(int n, GumboTag tag) const {
  int count = 0;
  for (int x = nodes_[static_cast<size_t>(n)].first; x >= 0; x = Next(x, n)) count += Tag(x) == tag;
  return count;
}

}  // namespace rasai::ingest_internal
