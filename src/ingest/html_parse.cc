// HtmlParse: gumbo within budgets and a nesting limit (contract in html_parse.h).
//
// Robustness: gumbo's own (recursive) tree destructor is never called: every allocation gumbo
// makes is tracked and released here, so a page nested a million levels deep cannot exhaust the
// stack. Nor can it take minutes: gumbo looks through the open elements at each start tag, so
// 200,000 nested <div> took 158 s; start tags past kMaxNesting levels are blanked before parsing
// (LimitNesting), as browsers stop nesting too.
#include "ingest/html_parse.h"

#include <algorithm>
#include <csetjmp>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/ingest_internal.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai::ingest_internal {

// Owns every block gumbo allocates; frees what gumbo did not free itself. Allocation is
// budgeted: gumbo clones the open formatting elements (<b>, <font>, …) into each new block, so
// "<div><b id=1></div><div><b id=2></div>…" makes a number of elements quadratic in the page
// (a 3 MB page: 145 s and 24 GB). Past the budget, Allocate jumps back to ParseWithin (longjmp
// over gumbo's C frames only) and the arena frees what gumbo held; HtmlDocument then parses the
// page again without its formatting elements, and gives it up only if that is over budget too.
class TrackingArena {
 public:
  explicit TrackingArena(size_t budget) : budget_(budget) {}
  TrackingArena(const TrackingArena&) = delete;
  TrackingArena& operator=(const TrackingArena&) = delete;
  ~TrackingArena() {
    for (Header* h : live_) std::free(h);
  }
  static void* Allocate(void* self, size_t size) {
    auto* arena = static_cast<TrackingArena*>(self);
    if (size > arena->budget_ - arena->allocated_) std::longjmp(arena->over_budget, 1);
    arena->allocated_ += size;
    auto* h = static_cast<Header*>(std::malloc(sizeof(Header) + size));
    if (!h) std::abort();  // gumbo cannot recover from a failed allocation either
    h->index = arena->live_.size();
    arena->live_.push_back(h);
    return h + 1;
  }
  static void Deallocate(void* self, void* p) {
    if (!p) return;
    auto* arena = static_cast<TrackingArena*>(self);
    Header* h = static_cast<Header*>(p) - 1;
    const size_t i = h->index;
    if (i >= arena->live_.size() || arena->live_[i] != h) return;  // not a live block of ours
    arena->live_[i] = arena->live_.back();
    arena->live_[i]->index = i;
    arena->live_.pop_back();
    std::free(h);
  }
  std::jmp_buf over_budget;  // set by HtmlDocument around the parse

 private:
  // Before each block: its place in live_, so that freeing is O(1) without a hash table (the
  // set of live blocks cost a quarter of the time of parsing and extracting a page).
  struct alignas(16) Header {
    size_t index;
  };
  std::vector<Header*> live_;
  const size_t budget_;
  size_t allocated_ = 0;  // in all, freed blocks included: a bound on the parser's work too
};

namespace {

// The parser's allocation budget for a page of `bytes`. For the 200 pages of ../shared/data/html
// gumbo allocated 6 times the page at the median, 34 times at most (a page of 54 bytes), 4.8 MB
// at most (for the largest page, 1.2 MB).
size_t ParserBudget(size_t bytes) { return (size_t{16} << 20) + 16 * bytes; }
// The budget of a second parse, without the formatting elements (which cannot then be copied):
// markup made only of tiny elements costs most per byte, since each element costs the same few
// hundred bytes: 25 times the page for a table of 100,000 rows, 61 for "<li>x" and 78 for
// "<p>x" repeated. 96 times leaves every such page its parse.
size_t DenseParserBudget(size_t bytes) { return (size_t{16} << 20) + 96 * bytes; }

// Nesting kept (Chromium's parser nests at most 512 levels and adds deeper elements as siblings).
constexpr int kMaxNesting = 512;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Elements that add no nesting level to LimitNesting's estimate: void ones, and those the next
// sibling closes («<p>a<p>b» is two paragraphs, not one in the other).
bool AddsNoLevel(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
      "wbr", "keygen", "basefont", "bgsound", "frame", "image", "p", "li", "dt", "dd", "tr", "td", "th",
      "option", "optgroup", "rb", "rt", "rtc", "rp", "thead", "tbody", "tfoot", "colgroup", "caption"};
  return kNames.count(name) > 0;
}

// Elements whose content is text up to their end tag (a "<div>" inside a script is no tag).
bool IsRawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" || name == "xmp" ||
         name == "iframe" || name == "noembed" || name == "noframes" || name == "plaintext";
}

// Calls fn(begin, close, name, end) for each tag of `s` in order: `begin` at its '<', `close` at
// its '>', `name` lowercased, `end` for an end tag. Comments and the content of raw-text
// elements (script, style, ...) are skipped. A '<' before a tag's '>' makes that tag text (which
// keeps the pass linear on "<a<a<a…>"). `fn` may change the bytes up to `close`.
template <typename Fn>
void ForEachTag(const std::string& s, Fn&& fn) {
  const size_t n = s.size();
  std::string name;
  for (size_t i = s.find('<'); i != std::string::npos && i + 1 < n; i = s.find('<', i)) {
    if (s.compare(i, 4, "<!--") == 0) {
      const size_t e = s.find("-->", i + 4);
      if (e == std::string::npos) break;
      i = e + 3;
      continue;
    }
    const bool end = s[i + 1] == '/';
    size_t at = i + (end ? 2 : 1), stop = at;
    if (at >= n || !IsAsciiAlpha(s[at])) {
      ++i;
      continue;
    }
    while (stop < n && s[stop] != '>' && s[stop] != '/' && s[stop] != ' ' && s[stop] != '\t' && s[stop] != '\n' &&
           s[stop] != '\r' && s[stop] != '\f')
      ++stop;
    name = LowerAscii(std::string_view(s).substr(at, stop - at));
    const size_t close = s.find_first_of("<>", stop);
    if (close == std::string::npos) break;
    if (s[close] == '<') {
      i = close;
      continue;
    }
    fn(i, close, static_cast<const std::string&>(name), end);
    if (!end && IsRawText(name)) {
      // Past the matching end tag (any case), which closes no level; or to the end of the page.
      size_t e = close + 1;
      for (;; ++e) {
        e = s.find("</", e);
        if (e == std::string::npos ||
            (e + 2 + name.size() <= n && EqualsIgnoreCaseAscii(std::string_view(s).substr(e + 2, name.size()), name)))
          break;
      }
      const size_t gt = e == std::string::npos ? e : s.find('>', e);
      if (gt == std::string::npos) break;
      i = gt + 1;
      continue;
    }
    i = close + 1;
  }
}

// Blanks (with spaces) the start tags of `html` that would open an element more than kMaxNesting
// levels deep, by an estimate from the tags alone: a start tag opens a level unless AddsNoLevel
// or written "<x/>"; an end tag closes one. Comments and raw-text elements are skipped. The text
// stays; the blanked elements' end tags close outer ones early, which keeps the depth bounded.
// One pass; true when a tag was blanked.
bool LimitNesting(std::string* html) {
  std::string& s = *html;
  bool blanked = false;
  int depth = 0;
  ForEachTag(s, [&](size_t begin, size_t close, const std::string& name, bool end) {
    if (end) {
      if (!AddsNoLevel(name) && depth > 0) --depth;
    } else if (!IsRawText(name) && !AddsNoLevel(name) && s[close - 1] != '/') {
      if (depth < kMaxNesting) {
        ++depth;
      } else {
        std::fill(s.begin() + static_cast<std::ptrdiff_t>(begin), s.begin() + static_cast<std::ptrdiff_t>(close) + 1, ' ');
        blanked = true;
      }
    }
  });
  return blanked;
}

// The HTML formatting elements, which the parser reopens in every new block while they are
// open (the HTML standard's "list of active formatting elements").
bool IsFormatting(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {"a",     "b",      "big",    "code", "em",
                                                              "font",  "i",      "nobr",   "s",    "small",
                                                              "strike", "strong", "tt",     "u"};
  return kNames.count(name) > 0;
}

// `html` without the start and end tags of formatting elements (their text stays): what is
// parsed again when a page is too complex as it is, since only those elements are copied into
// every block.
std::string WithoutFormattingTags(const std::string& html) {
  std::string out;
  out.reserve(html.size());
  size_t from = 0;
  ForEachTag(html, [&](size_t begin, size_t close, const std::string& name, bool) {
    if (!IsFormatting(name)) return;
    out.append(html, from, begin - from);
    from = close + 1;
  });
  out.append(html, from, std::string::npos);
  return out;
}

// Parses `text` with allocations from `arena`; null when the arena's budget ran out.
GumboOutput* ParseWithin(TrackingArena* arena, const std::string& text) {
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &TrackingArena::Allocate;
  options.deallocator = &TrackingArena::Deallocate;
  options.userdata = arena;
  options.max_errors = 0;  // parse errors are not reported; do not spend memory on them
  // gumbo takes a length but stops at nothing special; NUL bytes are handled by its tokenizer.
  // Nothing automatic is changed between setjmp and a longjmp back to it.
  if (setjmp(arena->over_budget) != 0) return nullptr;
  return gumbo_parse_with_options(&options, text.data(), text.size());
}

}  // namespace

HtmlParse::HtmlParse(std::string_view html, bool* repaired, HtmlNotes* notes) {
  // A page that is not UTF-8 but declares its charset (windows-1256 is common on older Urdu and
  // Arabic sites) is converted; a page that is valid UTF-8 is taken as such whatever it declares.
  if (!html.starts_with("\xFF\xFE") && !html.starts_with("\xFE\xFF") && !IsValidUtf8(html)) {
    const std::string charset = SniffHtmlCharset(html);
    if (!charset.empty() && charset != "utf-8" && charset != "utf8" && ConvertToUtf8(html, charset, &converted_)) {
      html = converted_;
    }
  }
  text_ = DecodeText(html, repaired);
  const bool flattened = LimitNesting(&text_);
  if (notes) notes->flattened = flattened;
  // On the heap: ParseWithin's longjmp leaves no automatic object changed after its setjmp.
  arena_ = std::make_unique<TrackingArena>(ParserBudget(text_.size()));
  output_ = ParseWithin(arena_.get(), text_);
  if (!output_) {
    // Over budget: formatting elements copied into every block, or a page of many tiny elements.
    // Again without the formatting elements, with the budget of the densest markup.
    plain_ = WithoutFormattingTags(text_);
    arena_ = std::make_unique<TrackingArena>(DenseParserBudget(plain_.size()));
    output_ = ParseWithin(arena_.get(), plain_);
    if (!output_) {
      if (notes) notes->too_complex = true;
      return;
    }
    if (notes && plain_.size() != text_.size()) notes->unformatted = true;
  }
}

// No gumbo_destroy_output(): it recurses once per nesting level; the arena frees everything.
HtmlParse::~HtmlParse() = default;

}  // namespace rasai::ingest_internal
