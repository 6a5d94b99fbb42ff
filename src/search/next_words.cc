#include "search/next_words.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "rasai/analysis.h"
#include "rasai/postings.h"
#include "search/intersection_cursor.h"
#include "util/text.h"

namespace rasai {
namespace {

constexpr size_t kContextDocs = 48;
constexpr size_t kContextExact = 16;   // sampled words whose pair is then counted exactly
constexpr uint32_t kPairScan = 4096;   // documents of the rarer list walked per pair and segment

// Documents holding `a` right before `b` in `field`, over every segment (deleted ones left out):
// the rarer list is walked and the other advanced to it; past kPairScan documents of the
// rarer, its count is extrapolated.
double PairDocs(const Snapshot& snap, int field, const std::string& a, const std::string& b) {
  double n = 0;
  IntersectionCursor pair;
  for (const auto& segp : snap.segments()) {
    const SegmentReader& seg = *segp;
    TermInfo ia, ib;
    if (!seg.Lookup(field, a, &ia) || !seg.Lookup(field, b, &ib)) continue;
    pair.Clear();
    pair.Add(seg.Postings(ia));
    pair.Add(seg.Postings(ib));
    PostingsCursor& lo = pair.lead();
    uint32_t walked = 0, found = 0;
    for (uint32_t d = lo.doc(); d != PostingsCursor::kEnd; d = pair.NextLead()) {
      if (walked == kPairScan) break;
      ++walked;
      if (!pair.OthersOn(d)) {
        if (pair.OthersExhausted()) {
          walked = lo.df();  // no later document holds both
          break;
        }
        continue;
      }
      if (seg.IsDeleted(d)) continue;
      if (pair.PhraseFreq() > 0) ++found;
    }
    if (walked > 0) n += static_cast<double>(found) * lo.df() / walked;
  }
  return n;
}

}  // namespace

std::map<std::string, NextWord> NextWords(const Snapshot& snap, const std::string& prev, const std::string& prev_word,
                                          const std::string& prefix) {
  std::map<std::string, NextWord> out;
  std::map<std::string, std::map<std::string, uint32_t>> spellings;
  std::vector<std::pair<int, double>> counted;  // the fields sampled, with their weight
  std::vector<uint32_t> positions;
  std::vector<TokenSpan> spans, wanted;
  std::vector<Token> tokens, word;
  std::string body;
  const auto& fields = snap.schema().fields;
  for (size_t f = 0; f < fields.size(); ++f) {
    const int field = static_cast<int>(f);
    const bool title = fields[f] == "title";
    std::vector<PostingsCursor> cursors(snap.segments().size());
    uint64_t df = 0;
    for (size_t s = 0; s < cursors.size(); ++s) {
      const SegmentReader& seg = *snap.segments()[s];
      TermInfo ti;
      if ((title || seg.OffsetsField() == field) && seg.Lookup(field, prev, &ti)) cursors[s] = seg.Postings(ti);
      df += cursors[s].df();
    }
    if (df == 0) continue;
    std::map<std::string, uint32_t> hits;
    uint64_t sampled = 0;
    // `t` written as `text` follows `prev` written as `before`.
    auto count = [&](const Token& t, std::string_view before, std::string_view text) {
      if (t.term.empty() || !t.term.starts_with(prefix) || t.stop) return;
      if (!prev_word.empty() && LowerAscii(before) != prev_word) return;
      ++hits[t.term];
      if (!prev_word.empty()) ++spellings[t.term][LowerAscii(text)];
    };
    for (size_t s = 0; s < cursors.size(); ++s) {
      PostingsCursor& pc = cursors[s];
      if (pc.df() == 0) continue;
      const SegmentReader& seg = *snap.segments()[s];
      // Every `every`-th document of the list (a list's documents may lie close together: the
      // articles of one source, added at once).
      const uint64_t want = (kContextDocs * pc.df() + df - 1) / df;
      const uint64_t every = std::max<uint64_t>(1, pc.df() / want);
      uint64_t rank = 0;
      for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
        if (rank++ % every != 0 || seg.IsDeleted(d)) continue;
        if (title) {
          auto head = seg.StoredHead(d);
          if (!head.ok()) continue;
          ++sampled;
          tokens.clear();
          const std::string& text = head->title;
          DefaultAnalyzer().Analyze(text, &tokens);
          auto source = [&](const Token& t) {
            return t.begin <= t.end && t.end <= text.size() ? std::string_view(text).substr(t.begin, t.end - t.begin)
                                                            : std::string_view();
          };
          for (size_t i = 0; i < tokens.size(); ++i) {
            if (tokens[i].term != prev) continue;
            for (size_t j = i + 1; j < tokens.size() && tokens[j].position <= tokens[i].position + 1; ++j)
              if (tokens[j].position == tokens[i].position + 1) count(tokens[j], source(tokens[i]), source(tokens[j]));
          }
          continue;
        }
        pc.Positions(&positions);
        wanted.clear();  // pairs of spans: `prev` and the word after it
        for (size_t i = 0; i < positions.size() && i < 4; ++i) {
          uint32_t npos = 0;
          if (!seg.TokenSpans(d, positions[i], positions[i] + 2, &spans, &npos).ok() || spans.size() < 2) continue;
          if (spans[1].end > 8192) break;
          if (spans[1].end > spans[1].begin && spans[0].begin <= spans[0].end) {
            wanted.push_back(spans[0]);
            wanted.push_back(spans[1]);
          }
        }
        ++sampled;
        if (wanted.empty()) continue;
        size_t size = 0;
        uint32_t end = 0;
        for (const TokenSpan& w : wanted) end = std::max(end, w.end);
        if (!seg.BodyPrefix(d, end, &body, &size).ok() || body.size() < end) continue;
        const std::string_view text(body);
        for (size_t i = 0; i + 1 < wanted.size(); i += 2) {
          const TokenSpan& b = wanted[i];
          const TokenSpan& w = wanted[i + 1];
          word.clear();
          DefaultAnalyzer().Analyze(text.substr(w.begin, w.end - w.begin), &word);
          if (!word.empty()) count(word[0], text.substr(b.begin, b.end - b.begin), text.substr(w.begin, w.end - w.begin));
        }
      }
    }
    if (sampled == 0) continue;
    const double scale = (title ? kTitleBoost : 1.0) * static_cast<double>(df) / static_cast<double>(sampled);
    counted.emplace_back(field, title ? kTitleBoost : 1.0);
    for (const auto& [t, n] : hits) out[t].docs += n * scale;
  }
  for (auto& [t, w] : out) {
    uint32_t most = 0;
    for (const auto& [text, n] : spellings[t])
      if (n > most) {
        most = n;
        w.written = text;
      }
  }
  if (!prev_word.empty()) return out;
  // The sample finds the words; for the likeliest, the pair's documents are then counted.
  std::vector<std::pair<double, std::string>> best;
  for (const auto& [t, w] : out) best.emplace_back(w.docs, t);
  std::sort(best.begin(), best.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  for (size_t i = 0; i < best.size() && i < kContextExact; ++i) {
    double c = 0;
    for (const auto& [field, weight] : counted) c += weight * PairDocs(snap, field, prev, best[i].second);
    out[best[i].second].docs = c;
  }
  return out;
}

}  // namespace rasai
