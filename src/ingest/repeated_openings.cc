// RepeatedOpenings: learns the boilerplate openings of a batch from hashes of leading words.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/ingest.h"
#include "util/hash.h"

namespace rasai {
namespace {

// Bytes of the whitespace character at s[i], 0 when s[i] starts no whitespace. ASCII whitespace
// and the Unicode space separators (NBSP, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000).
size_t SpaceLen(std::string_view s, size_t i) {
  const auto b = [&](size_t j) { return i + j < s.size() ? static_cast<unsigned char>(s[i + j]) : 0u; };
  const unsigned c = b(0);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && b(1) == 0xA0) return 2;
  if (c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;
  if (c == 0xE2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8A) || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF))
    return 3;
  if (c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  if (c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

// The words of a body, one by one: [start, end) byte ranges.
class Words {
 public:
  explicit Words(std::string_view s) : s_(s) {}
  bool Next(size_t* start, size_t* end) {
    size_t n;
    while (pos_ < s_.size() && (n = SpaceLen(s_, pos_)) > 0) pos_ += n;
    if (pos_ >= s_.size()) return false;
    *start = pos_;
    while (pos_ < s_.size() && SpaceLen(s_, pos_) == 0) ++pos_;
    *end = pos_;
    return true;
  }
  // Position after the whitespace that follows the last word returned.
  size_t SkipSpace() {
    size_t n;
    while (pos_ < s_.size() && (n = SpaceLen(s_, pos_)) > 0) pos_ += n;
    return pos_;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

uint64_t Mix(uint64_t x) {  // the splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

// Hash of the words so far, extended by one word.
uint64_t Extend(uint64_t chain, std::string_view word) { return Mix(chain * 0x9E3779B97F4A7C15ULL + HashBytes(word)); }

uint64_t Key(uint64_t source, size_t words, uint64_t chain) {
  return Mix(source ^ Mix(chain ^ (static_cast<uint64_t>(words) * 0xD6E8FEB86659FD93ULL)));
}

constexpr uint64_t kChainSeed = 0x5851F42D4C957F2DULL;

}  // namespace

RepeatedOpenings::RepeatedOpenings(RepeatedOpeningsOptions options) : options_(options) {
  if (options_.min_words == 0) options_.min_words = 1;
  if (options_.window == 0) options_.window = 1;
  lo_ = options_.min_words;
  hi_ = lo_ + 1;
}

uint64_t RepeatedOpenings::Threshold(uint32_t source) const {
  const double share = std::ceil(options_.min_share * static_cast<double>(source_docs_[source]));
  return std::max<uint64_t>(std::max<uint64_t>(options_.min_docs, 1), static_cast<uint64_t>(share));
}

uint64_t RepeatedOpenings::Observe(const Document& doc) {
  if (done_) return 0;
  const uint64_t source = Mix(HashBytes(doc.source));
  uint32_t index;
  if (pass_ == 0) {
    auto [it, added] = source_index_.try_emplace(source, static_cast<uint32_t>(source_docs_.size()));
    if (added) source_docs_.push_back(0);
    index = it->second;
    ++source_docs_[index];
  } else {
    auto it = source_index_.find(source);
    if (it == source_index_.end()) return 0;
    index = it->second;
  }
  uint64_t first = 0;
  Words words(doc.body);
  uint64_t chain = kChainSeed;
  size_t start = 0, end = 0;
  for (size_t k = 1; k < hi_ && words.Next(&start, &end); ++k) {
    chain = Extend(chain, std::string_view(doc.body).substr(start, end - start));
    if (k + 1 == lo_ && pass_ > 0 && !frequent_.contains(Key(source, k, chain))) return 0;
    if (k >= lo_) {
      entries_.push_back(Entry{Key(source, k, chain), index, static_cast<uint32_t>(k)});
      if (pass_ == 0) first = entries_.back().key;
    }
  }
  return first;
}

void RepeatedOpenings::EndPass() {
  if (done_) return;
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  bool reached_last = false;
  for (size_t i = 0; i < entries_.size();) {
    size_t j = i + 1;
    while (j < entries_.size() && entries_[j].key == entries_[i].key) ++j;
    const uint64_t count = j - i;
    if (count >= Threshold(entries_[i].source)) {
      frequent_[entries_[i].key] = static_cast<uint32_t>(std::min<uint64_t>(count, UINT32_MAX));
      if (entries_[i].words + 1 == hi_) reached_last = true;
    }
    i = j;
  }
  std::vector<Entry>().swap(entries_);
  ++pass_;
  done_ = !reached_last;
  lo_ = hi_;
  hi_ = lo_ + options_.window;
}

RepeatedOpenings::Cut RepeatedOpenings::Find(const Document& doc) const {
  Cut out;
  if (!done_ || frequent_.empty()) return out;
  const uint64_t source = Mix(HashBytes(doc.source));
  const std::string_view body = doc.body;
  Words words(body);
  uint64_t chain = kChainSeed;
  std::vector<uint32_t> counts;  // counts[k - min_words]: documents sharing the first k words
  std::vector<uint64_t> keys;
  size_t start = 0, end = 0;
  for (size_t k = 1; words.Next(&start, &end); ++k) {
    chain = Extend(chain, body.substr(start, end - start));
    if (k < options_.min_words) continue;
    auto it = frequent_.find(Key(source, k, chain));
    if (it == frequent_.end()) break;
    counts.push_back(it->second);
    keys.push_back(it->first);
  }
  if (counts.empty()) return out;
  // Cut where documents part ways (the next word is shared by fewer of them, or by too few), at
  // least min_words after the previous cut.
  size_t cut = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const size_t k = i + options_.min_words;
    const bool parting = i + 1 == counts.size() || counts[i + 1] < counts[i];
    if (parting && k - cut >= options_.min_words) cut = k;
  }
  // The cut's byte offset: the start of the word after it.
  Words again(body);
  std::string text;
  for (size_t k = 0; k < cut; ++k) {
    again.Next(&start, &end);
    if (!text.empty()) text += ' ';
    text.append(body.substr(start, end - start));
  }
  const size_t rest = again.SkipSpace();
  if (rest >= body.size()) return out;  // the body is only the opening: kept whole
  out.words = cut;
  out.bytes = rest;
  out.key = keys[cut - options_.min_words];
  out.text = std::move(text);
  return out;
}

void RepeatedOpenings::Record(const std::string& source, Cut cut) {
  if (cut.words == 0) return;
  RemovedOpening& r = removed_[cut.key];
  if (r.documents == 0) {
    r.source = source;
    r.words = cut.words;
    r.text = std::move(cut.text);
  }
  ++r.documents;
}

size_t RepeatedOpenings::Strip(Document* doc) {
  Cut cut = Find(*doc);
  const size_t words = cut.words, bytes = cut.bytes;
  if (words == 0) return 0;
  Record(doc->source, std::move(cut));
  doc->body.erase(0, bytes);
  return words;
}

std::vector<RemovedOpening> RepeatedOpenings::Removed() const {
  std::vector<RemovedOpening> out;
  out.reserve(removed_.size());
  for (const auto& [key, r] : removed_) out.push_back(r);
  std::sort(out.begin(), out.end(), [](const RemovedOpening& a, const RemovedOpening& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.documents != b.documents) return a.documents > b.documents;
    if (a.words != b.words) return a.words > b.words;
    return a.text < b.text;
  });
  return out;
}

}  // namespace rasai
