// Dom: a mutable view of a parsed page's <body> for the article extractor. Elements and text
// nodes are numbered; children are linked lists, so that nodes can be removed, moved, wrapped in
// new elements and renamed as the extractor works, while the gumbo tree underneath (attributes,
// text) stays untouched. Scripts, styles, templates, comments and <noscript> are left out.
// Every walk is iterative: no nesting depth can exhaust the stack.
//
// Ownership: a Dom points into the HtmlParse it was built from, which must outlive it.
// Thread-safety: one object per thread.
#pragma once

#include <gumbo.h>

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace rasai::ingest_internal {

enum class NodeKind : uint8_t { kElement, kText, kWhitespace };

struct DomNode {
  int parent = -1, first = -1, last = -1, next = -1, prev = -1;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  NodeKind kind = NodeKind::kElement;
  bool scored = false;                // content_scoring: has a score
  const GumboElement* el = nullptr;   // null for text and for elements the extractor made
  std::string_view text;              // text nodes
  double score = 0;                   // content_scoring
};

// Text measured like a browser's textContent, trimmed, with runs of white space counted as one
// character; lengths in UTF-16 code units (what the published heuristics' thresholds assume).
struct TextCounts {
  size_t chars = 0;   // length of the collapsed text
  size_t commas = 0;  // commas of any script: , ، ，﹐ …
};

// A stretch of text as Count measures it; stretches side by side combine (a monoid), so that
// an element's counts are its children's combined.
struct TextPiece {
  uint32_t chars = 0, commas = 0;
  bool content = false;  // has a character that is not white space
  bool lead = false;     // starts with white space (or is only white space)
  bool trail = false;    // ends with white space (or is only white space)
};

class Dom {
 public:
  // From the document node of a gumbo tree; the Dom holds <body> and what is under it.
  explicit Dom(const GumboNode* document);

  int body() const { return body_; }
  size_t size() const { return nodes_.size(); }
  const DomNode& operator[](int i) const { return nodes_[static_cast<size_t>(i)]; }
  DomNode& operator[](int i) { return nodes_[static_cast<size_t>(i)]; }
  bool IsElement(int n) const { return nodes_[static_cast<size_t>(n)].kind == NodeKind::kElement; }
  GumboTag Tag(int n) const { return IsElement(n) ? nodes_[static_cast<size_t>(n)].tag : GUMBO_TAG_UNKNOWN; }

  // An attribute's value ("" when absent or for nodes the extractor made).
  std::string_view Attr(int n, const char* name) const;
  bool HasAttr(int n, const char* name) const;
  // "class id", lower-cased: what class and id hints are matched against.
  std::string_view MatchString(int n) const;
  // The tag's name, lower-cased ("div"; the written name of unknown elements).
  std::string TagName(int n) const;

  // Structure. A removed node keeps its own children (for reports) but has no parent.
  int NewElement(GumboTag tag);
  void Detach(int n);
  void AppendChild(int parent, int child);
  void InsertBefore(int ref, int n);  // n becomes ref's previous sibling
  void ReplaceWith(int old_node, int new_node);
  void SetTag(int n, GumboTag tag) { nodes_[static_cast<size_t>(n)].tag = tag; }
  bool Attached(int n) const;  // still under <body>
  // The next node in document order within `root`'s subtree; -1 at its end.
  int Next(int n, int root, bool skip_children = false) const;
  int ElementChildren(int n) const;
  bool HasAncestor(int n, GumboTag tag, int max_depth = -1) const;

  // Text.
  TextCounts Count(int n) const;
  size_t TextLength(int n) const { return Count(n).chars; }
  // Trimmed, white space collapsed, <br>, images and block boundaries as spaces; at most `max_bytes` (cut between
  // characters).
  std::string InnerText(int n, size_t max_bytes = std::string::npos) const;
  // Characters inside links over all characters (links to "#…" count 0.3).
  double LinkDensity(int n) const;
  // Characters inside elements with one of `tags` over all characters.
  double TextDensity(int n, std::initializer_list<GumboTag> tags) const;
  // Elements with tag `tag` in the subtree, `n` excluded.
  int CountTag(int n, GumboTag tag) const;

 private:
  int Add(DomNode node);
  std::string_view WithShortSpaces(std::string_view text);
  void Touch() { ++generation_; }
  const TextPiece& Piece(int n) const;
  std::vector<DomNode> nodes_;
  mutable std::vector<std::string> match_;  // per node, made on first use
  mutable std::vector<uint8_t> match_made_;
  int body_ = -1;
  std::deque<std::string> owned_;  // text nodes' text with long runs of white space shortened
  // Counts per node, valid while piece_gen_[n] == generation_ (any change of the tree bumps it).
  mutable std::vector<TextPiece> piece_;
  mutable std::vector<uint32_t> piece_gen_;
  uint32_t generation_ = 1;
};

// True for characters JavaScript's \s matches (ASCII space, NBSP, the Unicode spaces), given the
// UTF-8 bytes starting at s[i]; sets *len to the character's length.
bool IsSpaceAt(std::string_view s, size_t i, size_t* len);

}  // namespace rasai::ingest_internal
