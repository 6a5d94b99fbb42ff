// HtmlParse: an HTML page parsed by gumbo within the hostile-input protections every page gets.
// Bytes are taken as UTF-8 (a declared legacy charset such as windows-1256 is converted first;
// broken UTF-8 is replaced), start tags nested more than 512 levels deep are blanked (browsers
// stop nesting too), and the parser's allocations are budgeted: a page over its budget is parsed
// again without its formatting tags (<a>, <b>, <font>, …; their text kept), and given up only if
// that is over budget too. gumbo's own recursive destructor is never called: the arena frees
// everything, so no nesting depth can exhaust the stack.
//
// Ownership: an HtmlParse owns the tree and the text it points into; node pointers are valid for
// its lifetime. Thread-safety: one object per thread; parsing touches no shared state.
#pragma once

#include <gumbo.h>

#include <memory>
#include <string>
#include <string_view>

namespace rasai::ingest_internal {

struct HtmlNotes;
class TrackingArena;

class HtmlParse {
 public:
  // Parses `html`; sets *repaired when broken UTF-8 was replaced, and fills *notes (either may be
  // null). root() is null when the page was too complex even without its formatting tags.
  HtmlParse(std::string_view html, bool* repaired, HtmlNotes* notes);
  ~HtmlParse();
  HtmlParse(const HtmlParse&) = delete;
  HtmlParse& operator=(const HtmlParse&) = delete;

  // The document node (GUMBO_NODE_DOCUMENT), or null.
  const GumboNode* root() const { return output_ ? output_->document : nullptr; }

 private:
  std::string converted_;  // the page converted from its declared charset
  std::string text_;       // the text parsed (decoded, nesting limited)
  std::string plain_;      // text_ without formatting tags, when that was parsed instead
  std::unique_ptr<TrackingArena> arena_;
  GumboOutput* output_ = nullptr;
};

}  // namespace rasai::ingest_internal
