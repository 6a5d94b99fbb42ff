#include "search/duplicates.h"

#include <algorithm>
#include <bit>

#include "rasai/article.h"
#include "util/hash.h"

namespace rasai {

std::vector<char> FirstOfHash(const std::vector<Candidate>& top) {
  std::vector<std::pair<uint64_t, uint32_t>> by_hash(top.size());
  for (size_t i = 0; i < top.size(); ++i) by_hash[i] = {top[i].hash, static_cast<uint32_t>(i)};
  std::sort(by_hash.begin(), by_hash.end());
  std::vector<char> first(top.size(), 0);
  for (size_t i = 0; i < by_hash.size(); ++i)
    if (i == 0 || by_hash[i].first != by_hash[i - 1].first) first[by_hash[i].second] = 1;
  return first;
}

// An edited copy of an article (a letter fixed, a sentence added, reposted under another id)
// has another content hash. Two bodies are one article when their sets of word 5-grams resemble
// at kSameArticle or more, |A and B| / |A or B| (Broder's resemblance). In urdu-news such copies
// resemble at 0.80-0.99; follow-ups on a story (the second day of a match, a later toll) at
// 0.55-0.77. The sets compared are the 5-grams whose hash is 0 modulo kShingleSample (Broder's
// mod-m sample: the same estimate on a quarter of the sorting); on urdu-news it sorts every pair
// above 0.5 to the same side as the full sets. Words are as in the content hash (runs of bytes
// above the space, ForEachArticleWord); bodies under kArticleWords words are never compared,
// since different headlines share one-line blurbs. Only a body's first kArticleBytes are read and
// compared, without the word cut there: a long article's start tells whether it is a copy.
constexpr double kSameArticle = 0.8;
constexpr size_t kShingleWords = 5;
constexpr uint64_t kShingleSample = 4;

std::vector<uint64_t> Shingles(std::string_view body) {
  std::vector<uint64_t> words;
  ForEachArticleWord(body, [&](std::string_view w) { words.push_back(HashBytes(w)); });
  std::vector<uint64_t> out;
  if (words.size() < kArticleWords) return out;
  out.reserve((words.size() - kShingleWords + 1) / kShingleSample + 16);
  for (size_t i = 0; i + kShingleWords <= words.size(); ++i) {
    uint64_t h = 0;
    for (size_t k = 0; k < kShingleWords; ++k) h = (h ^ words[i + k]) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 32;
    if ((h & (kShingleSample - 1)) == 0) out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool SameArticle(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() || b.empty()) return false;
  const size_t lo = std::min(a.size(), b.size()), hi = std::max(a.size(), b.size());
  if (static_cast<double>(lo) < kSameArticle * static_cast<double>(hi)) return false;  // |A and B| <= lo, |A or B| >= hi
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) >= kSameArticle * static_cast<double>(a.size() + b.size() - common);
}

// Edited copies in a result list. Two article bodies whose SimHashes (DocValues::simhash) are at
// most kCopyBits apart are read and compared as Related compares them (SameArticle). A SimHash bit
// differs with probability angle / pi between the two 5-gram vectors: for resemblance 0.8, 9.7 of
// 64 bits on average, standard deviation 2.9, so 16 keeps 99% of such pairs. Over the 1.8 million
// pairs of urdu-news' 1,912 article bodies, the 46 resembling at 0.8 or more lay 0-14 bits apart,
// and 93 others within 16 (docs/analysis.md section 11): the SimHash rules the other pairs out
// unread, and the reading keeps the line where Related draws it.
constexpr int kCopyBits = 16;

bool NearSimHashes(uint64_t a, uint64_t b) { return a != 0 && b != 0 && std::popcount(a ^ b) <= kCopyBits; }

Status StoredShingles(const SegmentReader& seg, uint32_t doc, std::string* scratch, std::vector<uint64_t>* out) {
  size_t size = 0;
  RASAI_RETURN_IF_ERROR(seg.BodyPrefix(doc, kArticleBytes + 1, scratch, &size));
  *out = Shingles(*scratch);
  return Status::OK();
}

// For each candidate of `listed` (the hits listed, in their order) from `first` on (the page
// shown), the index of an earlier one it is an edited copy of (the article, never a copy), or
// -1. A hit is compared with the kCopyLookback candidates listed before it: copies score and
// date alike, so they stand together, and a deep page (offset 10,000) costs no more than its
// own hits and those 200. (Which of those 200 are copies is found the same way, among them.)
constexpr size_t kCopyLookback = 200;

Result<std::vector<int>> EditedCopies(const Snapshot& snap, const std::vector<const Candidate*>& listed, size_t first) {
  std::vector<int> copy_of(listed.size(), -1);
  const size_t from = first - std::min(first, kCopyLookback);  // the first one a hit may copy
  std::vector<uint64_t> simhash(listed.size());
  for (size_t i = from; i < listed.size(); ++i) simhash[i] = snap.segments()[listed[i]->seg]->Values(listed[i]->doc).simhash;
  std::vector<std::vector<uint64_t>> shingles(listed.size());
  std::vector<char> read(listed.size(), 0);
  std::string prefix;
  auto shingle = [&](size_t i) -> Status {
    if (read[i]) return Status::OK();
    RASAI_RETURN_IF_ERROR(StoredShingles(*snap.segments()[listed[i]->seg], listed[i]->doc, &prefix, &shingles[i]));
    read[i] = 1;
    return Status::OK();
  };
  // A copy of a copy (C edits B, which edits A, but C is too far from A itself) copies the article
  // too: it names A, as B does. The hits before it are tried in list order, the article first.
  for (size_t i = from; i < listed.size(); ++i) {
    for (size_t j = std::max(from, i - std::min(i, kCopyLookback)); j < i && simhash[i] != 0; ++j) {
      if (!NearSimHashes(simhash[i], simhash[j])) continue;
      RASAI_RETURN_IF_ERROR(shingle(i));
      RASAI_RETURN_IF_ERROR(shingle(j));
      if (SameArticle(shingles[j], shingles[i])) {
        copy_of[i] = copy_of[j] >= 0 ? copy_of[j] : static_cast<int>(j);
        break;
      }
    }
  }
  return copy_of;
}

}  // namespace rasai
