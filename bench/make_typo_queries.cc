// rasai-make-typo-queries: derives bench/queries-dev-typo.tsv from queries-dev.tsv.
//
//   rasai-make-typo-queries [--seed N] QUERIES-DEV.tsv > bench/queries-dev-typo.tsv
//
// For each query line (in file order) a std::mt19937 seeded with --seed (default 20261128) picks
// one word of at least 4 letters (leading/trailing punctuation such as ، ۔ kept aside and left
// untouched) and applies one edit of a kind Urdu typists make:
//   sub   a letter replaced by one it is commonly confused with (ی/ے, ہ/ھ/ح, س/ص/ث, ز/ذ/ض/ظ,
//         ت/ط, ک/گ, ا/آ, ن/ں, و/ؤ)
//   del   a letter dropped (not the first)
//   ins   an extra letter: the neighbouring letter doubled, or an extra ا / ی / و
//   swap  two adjacent letters transposed
// An edit is kept only when the edited word differs from the original both after
// rasai::NormalizeText and as an analyzer term (DefaultAnalyzer().Term), so that no "typo" is
// one the normalizer already folds away. Up to 200 draws per line; a line with no word of 4+
// letters or no valid edit is written unchanged with "none" in the 4th column (in the committed
// file only dev0268, whose words are all shorter). Output columns: qid, query, relevant id, the
// edit (kind:original>edited).
// Random choices use rng() % n on the raw mt19937 output, which is the same on every platform.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "rasai/analysis.h"

namespace {

std::vector<char32_t> Decode(const std::string& s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string Encode(const std::vector<char32_t>& cps) {
  std::string out;
  for (char32_t c : cps) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

bool IsLetter(char32_t c) { return (c >= 0x0621 && c <= 0x064A) || (c >= 0x0671 && c <= 0x06D3); }

// Groups of letters Urdu typists confuse (phonetically identical or neighbouring shapes).
const std::vector<std::vector<char32_t>>& ConfusionGroups() {
  static const std::vector<std::vector<char32_t>> groups = {
      {U'\u06CC', U'\u06D2'},                          // ی ے
      {U'\u06C1', U'\u06BE', U'\u062D'},               // ہ ھ ح
      {U'\u0633', U'\u0635', U'\u062B'},               // س ص ث
      {U'\u0632', U'\u0630', U'\u0636', U'\u0638'},    // ز ذ ض ظ
      {U'\u062A', U'\u0637'},                          // ت ط
      {U'\u06A9', U'\u06AF'},                          // ک گ
      {U'\u0627', U'\u0622'},                          // ا آ
      {U'\u0646', U'\u06BA'},                          // ن ں
      {U'\u0648', U'\u0624'},                          // و ؤ
  };
  return groups;
}

struct Edit {
  std::string kind;
  std::vector<char32_t> word;
};

// One random edit of `w` (all letters); false when the drawn edit does not apply.
bool DrawEdit(const std::vector<char32_t>& w, std::mt19937& rng, Edit* e) {
  const size_t n = w.size();
  e->word = w;
  switch (rng() % 4) {
    case 0: {  // substitute within a confusion group
      std::vector<std::pair<size_t, const std::vector<char32_t>*>> spots;
      for (size_t i = 0; i < n; ++i)
        for (const auto& g : ConfusionGroups())
          for (char32_t c : g)
            if (c == w[i]) spots.push_back({i, &g});
      if (spots.empty()) return false;
      const auto& spot = spots[rng() % spots.size()];
      char32_t to = (*spot.second)[rng() % spot.second->size()];
      if (to == w[spot.first]) return false;
      e->kind = "sub";
      e->word[spot.first] = to;
      return true;
    }
    case 1: {  // delete a letter other than the first
      size_t i = 1 + rng() % (n - 1);
      e->kind = "del";
      e->word.erase(e->word.begin() + static_cast<long>(i));
      return true;
    }
    case 2: {  // insert: double a letter, or an extra alif / ye / vao
      static const char32_t extra[] = {U'\u0627', U'\u06CC', U'\u0648'};
      size_t i = 1 + rng() % (n - 1);  // insert before position i
      char32_t c = (rng() % 2 == 0) ? w[i - 1] : extra[rng() % 3];
      e->kind = "ins";
      e->word.insert(e->word.begin() + static_cast<long>(i), c);
      return true;
    }
    default: {  // transpose two adjacent letters
      size_t i = rng() % (n - 1);
      if (w[i] == w[i + 1]) return false;
      e->kind = "swap";
      std::swap(e->word[i], e->word[i + 1]);
      return true;
    }
  }
}

// The word without leading and trailing non-letters (punctuation such as ، and ۔): [*b, *e).
void Core(const std::vector<char32_t>& cps, size_t* b, size_t* e) {
  *b = 0;
  *e = cps.size();
  while (*b < *e && !IsLetter(cps[*b])) ++*b;
  while (*e > *b && !IsLetter(cps[*e - 1])) --*e;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t seed = 20261128;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seed" && i + 1 < argc) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "-h" || a == "--help") {
      std::cout << "usage: rasai-make-typo-queries [--seed N] QUERIES-DEV.tsv > OUT.tsv\n";
      return 0;
    } else {
      path = a;
    }
  }
  if (path.empty()) {
    std::cerr << "usage: rasai-make-typo-queries [--seed N] QUERIES-DEV.tsv > OUT.tsv\n";
    return 2;
  }
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 1;
  }
  const rasai::Analyzer& analyzer = rasai::DefaultAnalyzer();
  std::mt19937 rng(seed);
  std::string line;
  int lines = 0, unchanged = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cols = Split(line, '\t');
    if (cols.size() < 3) {
      std::cerr << "skipping malformed line: " << line << "\n";
      continue;
    }
    ++lines;
    std::vector<std::string> words = Split(cols[1], ' ');
    std::vector<size_t> eligible;
    for (size_t i = 0; i < words.size(); ++i) {
      std::vector<char32_t> cps = Decode(words[i]);
      size_t b = 0, e = cps.size();
      Core(cps, &b, &e);
      bool all_letters = e > b;
      for (size_t k = b; k < e; ++k)
        if (!IsLetter(cps[k])) all_letters = false;
      if (all_letters && e - b >= 4) eligible.push_back(i);
    }
    std::string desc = "none";
    for (int attempt = 0; attempt < 200 && !eligible.empty(); ++attempt) {
      size_t wi = eligible[rng() % eligible.size()];
      std::vector<char32_t> full = Decode(words[wi]);
      size_t b = 0, end = full.size();
      Core(full, &b, &end);
      std::vector<char32_t> w(full.begin() + static_cast<long>(b), full.begin() + static_cast<long>(end));
      Edit e;
      if (!DrawEdit(w, rng, &e)) continue;
      std::vector<char32_t> out(full.begin(), full.begin() + static_cast<long>(b));
      out.insert(out.end(), e.word.begin(), e.word.end());
      out.insert(out.end(), full.begin() + static_cast<long>(end), full.end());
      std::string edited = Encode(out);
      if (rasai::NormalizeText(edited) == rasai::NormalizeText(words[wi])) continue;
      if (analyzer.Term(edited) == analyzer.Term(words[wi])) continue;
      desc = e.kind + ":" + words[wi] + ">" + edited;
      words[wi] = edited;
      break;
    }
    if (desc == "none") ++unchanged;
    std::string query;
    for (size_t i = 0; i < words.size(); ++i) query += (i ? " " : "") + words[i];
    std::cout << cols[0] << "\t" << query << "\t" << cols[2] << "\t" << desc << "\n";
  }
  std::cerr << lines << " queries, " << unchanged << " left unchanged (seed " << seed << ")\n";
  return 0;
}
