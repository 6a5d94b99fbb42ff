#include "search/snippet.h"

#include <algorithm>

#include "rasai/index.h"
#include "rasai/analysis.h"
#include "util/text.h"

namespace rasai {

namespace {

// Bidi controls, all encoded E2 80 xx or E2 81 xx.
enum class Bidi { kNone, kOpenEmbed, kCloseEmbed, kOpenIsolate, kCloseIsolate };
Bidi BidiAt(std::string_view s, size_t i) {
  if (i + 2 >= s.size() || static_cast<unsigned char>(s[i]) != 0xE2) return Bidi::kNone;
  const unsigned char b = static_cast<unsigned char>(s[i + 1]), c = static_cast<unsigned char>(s[i + 2]);
  if (b == 0x80 && (c == 0xAA || c == 0xAB || c == 0xAD || c == 0xAE)) return Bidi::kOpenEmbed;  // LRE RLE LRO RLO
  if (b == 0x80 && c == 0xAC) return Bidi::kCloseEmbed;                                           // PDF
  if (b == 0x81 && c >= 0xA6 && c <= 0xA8) return Bidi::kOpenIsolate;                             // LRI RLI FSI
  if (b == 0x81 && c == 0xA9) return Bidi::kCloseIsolate;                                         // PDI
  return Bidi::kNone;
}

bool IsContinuation(std::string_view s, size_t i) {
  return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
}

}  // namespace

void BalanceBidiControls(std::string* html) {
  std::string_view s = *html;
  size_t i = 0;
  while ((i = s.find('\xE2', i)) != std::string_view::npos && BidiAt(s, i) == Bidi::kNone) ++i;
  if (i == std::string_view::npos) return;  // no bidi control: nothing to balance
  std::string out(s.substr(0, i));
  std::vector<bool> open;  // true = isolate, false = embedding/override
  while (i < s.size()) {
    const Bidi k = BidiAt(s, i);
    if (k == Bidi::kNone) {
      out.push_back(s[i++]);
      continue;
    }
    if (k == Bidi::kOpenEmbed || k == Bidi::kOpenIsolate) {
      open.push_back(k == Bidi::kOpenIsolate);
    } else if (k == Bidi::kCloseIsolate) {
      // A PDI closes its isolate and every embedding opened inside it.
      auto it = std::find(open.rbegin(), open.rend(), true);
      if (it == open.rend()) {
        i += 3;
        continue;
      }
      while (!open.back()) {
        out += "\u202C";
        open.pop_back();
      }
      open.pop_back();
    } else {  // PDF: closes the innermost embedding, if it is not outside an open isolate
      if (open.empty() || open.back()) {
        i += 3;
        continue;
      }
      open.pop_back();
    }
    out.append(s.substr(i, 3));
    i += 3;
  }
  while (!open.empty()) {
    out += open.back() ? "\u2069" : "\u202C";
    open.pop_back();
  }
  *html = std::move(out);
}

void KeepPhraseMatches(const std::vector<char>& single, const std::vector<std::vector<uint32_t>>& phrases,
                       std::vector<SnippetMatch>* matches) {
  std::vector<SnippetMatch>& m = *matches;
  if (std::all_of(m.begin(), m.end(), [&](const SnippetMatch& x) { return x.term < single.size() && single[x.term]; })) return;
  std::vector<char> keep(m.size(), 0);
  for (size_t i = 0; i < m.size(); ++i) keep[i] = m[i].term < single.size() && single[m[i].term];
  // The match of term t at position p, or m.size().
  auto find = [&](uint32_t p, uint32_t t) {
    auto it = std::lower_bound(m.begin(), m.end(), p, [](const SnippetMatch& x, uint32_t v) { return x.position < v; });
    for (; it != m.end() && it->position == p; ++it)
      if (it->term == t) return static_cast<size_t>(it - m.begin());
    return m.size();
  };
  std::vector<size_t> at;
  for (const auto& ph : phrases) {
    if (ph.empty()) continue;
    for (size_t i = 0; i < m.size(); ++i) {
      if (m[i].term != ph[0]) continue;
      at.assign(1, i);
      for (size_t k = 1; k < ph.size() && at.size() == k; ++k) {
        const size_t j = find(m[i].position + static_cast<uint32_t>(k), ph[k]);
        if (j < m.size()) at.push_back(j);
      }
      if (at.size() == ph.size())
        for (size_t j : at) keep[j] = 1;
    }
  }
  size_t out = 0;
  for (size_t i = 0; i < m.size(); ++i)
    if (keep[i]) m[out++] = m[i];
  m.resize(out);
}

std::string BuildSnippet(std::string_view text, const std::unordered_set<std::string>& terms, size_t max_words,
                         const SnippetPhrases& phrases) {
  if (text.empty()) return "";
  // Bound the work on very long texts: look at the first 64 KiB (cut on a UTF-8 boundary).
  constexpr size_t kScan = 64 << 10;
  if (text.size() > kScan) {
    size_t cut = kScan;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  // Matches by position (term ids local to this call), spans by position.
  std::vector<std::string_view> ids;
  std::vector<SnippetMatch> matches;
  std::vector<TokenSpan> spans;
  auto wanted = [&](const std::string& term) {
    if (terms.count(term)) return true;
    for (const auto& ph : phrases)
      if (std::find(ph.begin(), ph.end(), term) != ph.end()) return true;
    return false;
  };
  for (const Token& t : toks) {
    if (t.position < spans.size()) {
      if (!spans.empty() && wanted(t.term)) {
        auto it = std::find(ids.begin(), ids.end(), t.term);
        if (it == ids.end()) it = ids.insert(ids.end(), t.term);
        matches.push_back({static_cast<uint32_t>(spans.size() - 1), static_cast<uint32_t>(it - ids.begin())});
      }
      continue;
    }
    while (spans.size() < t.position) spans.push_back(spans.empty() ? TokenSpan{} : TokenSpan{spans.back().begin, spans.back().begin});
    spans.push_back(TokenSpan{t.begin, t.end});
    if (wanted(t.term)) {
      auto it = std::find(ids.begin(), ids.end(), t.term);
      if (it == ids.end()) it = ids.insert(ids.end(), t.term);
      matches.push_back({t.position, static_cast<uint32_t>(it - ids.begin())});
    }
  }
  if (!phrases.empty()) {
    std::vector<char> single(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) single[i] = terms.count(std::string(ids[i])) > 0;
    std::vector<std::vector<uint32_t>> phrase_ids;
    for (const auto& ph : phrases) {
      std::vector<uint32_t> p;
      for (const auto& w : ph) {
        auto it = std::find(ids.begin(), ids.end(), w);
        if (it == ids.end()) break;
        p.push_back(static_cast<uint32_t>(it - ids.begin()));
      }
      if (p.size() == ph.size()) phrase_ids.push_back(std::move(p));
    }
    KeepPhraseMatches(single, phrase_ids, &matches);
  }
  const uint32_t npos = static_cast<uint32_t>(spans.size());
  uint32_t start = 0, end = 0;
  ChooseSnippetWindow(npos, matches, max_words, &start, &end);
  while (end < npos && end > start && spans[end].begin == spans[end - 1].begin) ++end;
  std::vector<TokenSpan> window(spans.begin() + start, spans.begin() + end);
  std::string out;
  if (!RenderSnippet(text, start, end, npos, window, matches, &out).ok()) return "";
  return out;
}

void ChooseSnippetWindow(uint32_t npos, const std::vector<SnippetMatch>& matches, size_t max_words,
                         uint32_t* start, uint32_t* end) {
  const uint32_t w = static_cast<uint32_t>(std::min<size_t>(max_words, npos));
  *start = 0;
  *end = w;
  if (w == 0 || matches.empty()) return;
  uint32_t nterms = 0;
  for (const auto& m : matches) nterms = std::max(nterms, m.term + 1);
  std::vector<uint32_t> count(nterms, 0);
  uint32_t distinct = 0, total = 0, best = 0, best_score = 0, best_last = 0;
  size_t lo = 0, hi = 0;
  // Candidate windows start at 0 or on a match; near the end they slide back to fit the text.
  auto consider = [&](uint32_t c) {
    while (hi < matches.size() && matches[hi].position < static_cast<uint64_t>(c) + w) {
      if (count[matches[hi].term]++ == 0) ++distinct;
      ++total;
      ++hi;
    }
    while (lo < hi && matches[lo].position < c) {
      if (--count[matches[lo].term] == 0) --distinct;
      --total;
      ++lo;
    }
    const uint32_t score = distinct + total;  // 2 per distinct term, 1 per repeat
    if (score > best_score) {
      best_score = score;
      best = c;
      best_last = matches[hi - 1].position;
    }
  };
  consider(0);
  uint32_t prev = 0;
  for (const auto& m : matches) {
    if (m.position >= npos) break;
    const uint32_t c = std::min(m.position, npos - w);
    if (c == prev) continue;
    prev = c;
    consider(c);
  }
  *start = best;
  if (best_score > 0) {
    // A little context before the first match, never pushing the window's last match out.
    const uint32_t back = std::min({3u, best, best + w - 1 - best_last});
    *start = best - back;
  }
  *end = std::min(npos, *start + w);
}

Status RenderSnippet(std::string_view text, uint32_t start, uint32_t end, uint32_t npos,
                     const std::vector<TokenSpan>& spans, const std::vector<SnippetMatch>& matches, std::string* out) {
  out->clear();
  if (end <= start) return Status::OK();
  const uint32_t n = end - start;
  if (spans.size() < n) return Status::Corruption("snippet: token offsets end early");
  std::vector<char> marked(n, 0);
  for (const auto& m : matches)
    if (m.position >= start && m.position < end) marked[m.position - start] = 1;
  for (uint32_t i = 0; i < n; ++i) {
    const TokenSpan& s = spans[i];
    if (s.begin > s.end || s.end > text.size() || IsContinuation(text, s.begin) || IsContinuation(text, s.end))
      return Status::Corruption("snippet: token offsets outside the text or inside a character");
  }
  // Spans are inside the text now: the slice bounds the output (plus escapes and marks).
  out->reserve(spans[n - 1].end > spans[0].begin ? spans[n - 1].end - spans[0].begin + 64 : 64);
  if (start > 0) *out += "… ";
  size_t cursor = spans[0].begin;
  for (uint32_t i = 0; i < n;) {
    uint32_t b = spans[i].begin, e = spans[i].end;
    bool mark = marked[i];
    uint32_t j = i + 1;
    for (; j < n && spans[j].begin == b; ++j) {  // one word, several positions
      e = std::max(e, spans[j].end);
      mark = mark || marked[j];
    }
    i = j;
    if (b < cursor) b = static_cast<uint32_t>(cursor);
    if (e <= b) continue;
    if (b > cursor) AppendHtmlEscaped(text.substr(cursor, b - cursor), out);
    if (mark) *out += "<mark>";
    AppendHtmlEscaped(text.substr(b, e - b), out);
    if (mark) *out += "</mark>";
    cursor = e;
  }
  if (end < npos) *out += " …";
  BalanceBidiControls(out);
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
SnippetMaker::SnippetMaker(const Snapshot& snap, const std::unordered_set<std::string>& terms, size_t max_words)
    : snap_(snap), terms_(terms), max_words_(max_words) {}  // costs nothing until used

std::string SnippetMaker::Make(uint32_t seg, uint32_t doc, const Document& stored) {
  if (stored.body.empty())
    return BuildSnippet(!stored.summary.empty() ? stored.summary : stored.title, terms_, max_words_, phrases_);
  auto s = MakeFromOffsets(seg, doc, stored.body);
  if (s.ok()) return std::move(*s);
  return BuildSnippet(IndexedText(stored.body), terms_, max_words_, phrases_);  // no offsets, or damaged ones
}

void SnippetMaker::LoadTerms(uint32_t seg, int field) {
  if (seg_terms_.empty()) {
    term_list_.assign(terms_.begin(), terms_.end());
    for (const auto& ph : phrases_) term_list_.insert(term_list_.end(), ph.begin(), ph.end());
    std::sort(term_list_.begin(), term_list_.end());
    term_list_.erase(std::unique(term_list_.begin(), term_list_.end()), term_list_.end());
    single_.resize(term_list_.size());
    for (size_t i = 0; i < term_list_.size(); ++i) single_[i] = terms_.count(term_list_[i]) > 0;
    for (const auto& ph : phrases_) {
      std::vector<uint32_t> ids;
      for (const auto& w : ph)
        ids.push_back(static_cast<uint32_t>(std::lower_bound(term_list_.begin(), term_list_.end(), w) - term_list_.begin()));
      phrase_ids_.push_back(std::move(ids));
    }
    seg_terms_.resize(snap_.segments().size());
  }
  SegTerms& st = seg_terms_[seg];
  if (st.loaded) return;
  const SegmentReader& r = *snap_.segments()[seg];
  TermInfo ti;
  for (size_t i = 0; i < term_list_.size(); ++i)
    if (lookup_ ? lookup_(seg, field, term_list_[i], &ti) : r.Lookup(field, term_list_[i], &ti))
      st.infos.emplace_back(static_cast<uint32_t>(i), ti);
  st.loaded = true;
}

void SnippetMaker::Prepare(std::vector<std::pair<uint32_t, uint32_t>> hits) {
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  prepared_.clear();
  for (size_t i = 0; i < hits.size();) {
    const uint32_t seg = hits[i].first;
    size_t j = i;
    while (j < hits.size() && hits[j].first == seg) ++j;
    if (seg >= snap_.segments().size()) break;
    const SegmentReader& r = *snap_.segments()[seg];
    const int field = r.OffsetsField();
    if (field < 0) {
      i = j;
      continue;
    }
    LoadTerms(seg, field);
    const size_t first = prepared_.size();
    for (size_t k = i; k < j; ++k) prepared_.push_back(Prepared{seg, hits[k].second, {}});
    for (const auto& [t, ti] : seg_terms_[seg].infos) {
      PostingsCursor pc = r.Postings(ti);
      for (size_t k = first; k < prepared_.size(); ++k) {
        const uint32_t d = pc.Advance(prepared_[k].doc);
        if (d == PostingsCursor::kEnd) break;
        if (d != prepared_[k].doc) continue;
        pc.Positions(&positions_);
        for (uint32_t p : positions_) prepared_[k].matches.push_back({p, t});
      }
    }
    for (size_t k = first; k < prepared_.size(); ++k) {
      std::sort(prepared_[k].matches.begin(), prepared_[k].matches.end(),
                [](const SnippetMatch& a, const SnippetMatch& b) { return a.position < b.position; });
      KeepPhraseMatches(single_, phrase_ids_, &prepared_[k].matches);
    }
    i = j;
  }
}

Status SnippetMaker::LocateWindow(uint32_t seg, uint32_t doc, uint32_t* start, uint32_t* end, uint32_t* npos) {
  if (seg >= snap_.segments().size()) return Status::InvalidArgument("snippet: no segment " + std::to_string(seg));
  const SegmentReader& r = *snap_.segments()[seg];
  const int field = r.OffsetsField();
  if (field < 0 || static_cast<size_t>(field) >= snap_.schema().fields.size() ||
      snap_.schema().fields[field] != "body")
    return Status::NotFound(r.name() + ": no token offsets of the body");
  *npos = 0;
  RASAI_RETURN_IF_ERROR(r.TokenSpans(doc, 0, 0, &spans_, npos));
  const uint32_t n = *npos;
  matches_.clear();
  auto pre = std::lower_bound(prepared_.begin(), prepared_.end(), std::make_pair(seg, doc),
                              [](const Prepared& p, const std::pair<uint32_t, uint32_t>& k) {
                                return std::make_pair(p.seg, p.doc) < k;
                              });
  if (pre != prepared_.end() && pre->seg == seg && pre->doc == doc) {
    for (const SnippetMatch& m : pre->matches)
      if (m.position < n) matches_.push_back(m);
  } else {
    LoadTerms(seg, field);
    for (const auto& [i, ti] : seg_terms_[seg].infos) {
      PostingsCursor pc = r.Postings(ti);
      if (pc.Advance(doc) != doc) continue;
      pc.Positions(&positions_);
      for (uint32_t p : positions_)
        if (p < n) matches_.push_back({p, i});
    }
    std::sort(matches_.begin(), matches_.end(),
              [](const SnippetMatch& a, const SnippetMatch& b) { return a.position < b.position; });
    KeepPhraseMatches(single_, phrase_ids_, &matches_);
  }
  ChooseSnippetWindow(n, matches_, max_words_, start, end);
  // Two more positions: a word split in two positions at the window's end shows whole.
  uint32_t n2 = 0;
  RASAI_RETURN_IF_ERROR(r.TokenSpans(doc, *start, std::min(n, *end + 2), &spans_, &n2));
  while (*end < n && *end > *start && *end - *start < spans_.size() &&
         spans_[*end - *start].begin == spans_[*end - 1 - *start].begin)
    ++*end;
  return Status::OK();
}

Result<std::string> SnippetMaker::MakeFromOffsets(uint32_t seg, uint32_t doc, std::string_view body) {
  uint32_t start = 0, end = 0, npos = 0;
  RASAI_RETURN_IF_ERROR(LocateWindow(seg, doc, &start, &end, &npos));
  std::string out;
  Status st = RenderSnippet(body, start, end, npos, spans_, matches_, &out);
  if (!st.ok())
    return Status::Corruption(snap_.segments()[seg]->name() + ".off: document " + std::to_string(doc) + ": " + st.message());
  return out;
}

Result<std::string> SnippetMaker::Make(uint32_t seg, uint32_t doc) {
  if (seg >= snap_.segments().size()) return Status::InvalidArgument("snippet: no segment " + std::to_string(seg));
  const SegmentReader& r = *snap_.segments()[seg];
  uint32_t start = 0, end = 0, npos = 0;
  if (LocateWindow(seg, doc, &start, &end, &npos).ok() && npos > 0) {
    // The body up to the end of the window's last span, and a few bytes more: RenderSnippet
    // checks that a span does not end inside a character (as on the whole body).
    size_t need = 0;
    for (size_t i = 0; i < spans_.size() && i < end - start; ++i) need = std::max<size_t>(need, spans_[i].end);
    size_t size = 0;
    RASAI_RETURN_IF_ERROR(r.BodyPrefix(doc, need + 4, &body_, &size));
    std::string out;
    if (size > 0 && RenderSnippet(body_, start, end, npos, spans_, matches_, &out).ok()) return out;
    // No body (the summary or title serves), or damaged offsets: as from the whole document.
  }
  auto stored = r.Stored(doc);
  if (!stored.ok()) return stored.status();
  return Make(seg, doc, *stored);
}

}  // namespace rasai
