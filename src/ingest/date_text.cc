// Dates as pages write them (contract in date_text.h).
#include "ingest/date_text.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/analysis.h"
#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

struct MonthName {
  std::string_view name;
  int month;
};

// English names and abbreviations; Urdu and Arabic names as normalized text writes them.
const MonthName kMonths[] = {
    {"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2}, {"march", 3}, {"mar", 3}, {"april", 4}, {"apr", 4},
    {"may", 5}, {"june", 6}, {"jun", 6}, {"july", 7}, {"jul", 7}, {"august", 8}, {"aug", 8}, {"september", 9},
    {"sept", 9}, {"sep", 9}, {"october", 10}, {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12},
    {"dec", 12},
    {"جنوری", 1}, {"فروری", 2}, {"مارچ", 3}, {"اپریل", 4}, {"اپریل", 4}, {"مئی", 5}, {"مئ", 5}, {"جون", 6},
    {"جولائی", 7}, {"جولائ", 7}, {"اگست", 8}, {"ستمبر", 9}, {"اکتوبر", 10}, {"نومبر", 11}, {"دسمبر", 12},
    {"يناير", 1}, {"فبراير", 2}, {"مارس", 3}, {"أبريل", 4}, {"ابريل", 4}, {"إبريل", 4}, {"مايو", 5}, {"يونيو", 6},
    {"يوليو", 7}, {"أغسطس", 8}, {"اغسطس", 8}, {"سبتمبر", 9}, {"أكتوبر", 10}, {"اكتوبر", 10}, {"نوفمبر", 11},
    {"ديسمبر", 12}};

// Month names normalized like the text they are compared with.
const std::vector<MonthName>& Months() {
  static const auto* months = [] {
    auto* out = new std::vector<MonthName>;
    static std::vector<std::string> keep;
    keep.reserve(sizeof(kMonths) / sizeof(kMonths[0]));
    for (const MonthName& m : kMonths) {
      keep.push_back(IsAscii(m.name) ? std::string(m.name) : NormalizeText(m.name));
      out->push_back({keep.back(), m.month});
    }
    return out;
  }();
  return *months;
}

// Arabic-Indic and Urdu digits as ASCII digits; everything else as it is.
std::string AsciiDigits(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (i + 1 < s.size()) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      if (c == 0xD9 && d >= 0xA0 && d <= 0xA9) {
        out.push_back(static_cast<char>('0' + (d - 0xA0)));
        ++i;
        continue;
      }
      if (c == 0xDB && d >= 0xB0 && d <= 0xB9) {
        out.push_back(static_cast<char>('0' + (d - 0xB0)));
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool Valid(int y, int m, int d) { return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }

std::string Ymd(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Reads `n` digits at s[*i]; -1 when they are not there.
int Digits(std::string_view s, size_t* i, size_t n) {
  if (*i + n > s.size()) return -1;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!IsDigit(s[*i + k])) return -1;
    v = v * 10 + (s[*i + k] - '0');
  }
  *i += n;
  return v;
}

// An ISO date at s[at] ("2024-03-05", "2024/03/05", "2024.03.05"), and its time when it follows.
std::string IsoAt(std::string_view s, size_t at, bool with_time) {
  size_t i = at;
  const int y = Digits(s, &i, 4);
  if (y < 0 || i >= s.size() || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return "";
  const char sep = s[i++];
  int m = Digits(s, &i, 2);
  if (m < 0) {
    m = Digits(s, &i, 1);
    if (m < 0) return "";
  }
  if (i >= s.size() || s[i] != sep) return "";
  ++i;
  int d = Digits(s, &i, 2);
  if (d < 0) {
    d = Digits(s, &i, 1);
    if (d < 0) return "";
  }
  if (i < s.size() && IsDigit(s[i])) return "";
  if (!Valid(y, m, d)) return "";
  std::string out = Ymd(y, m, d);
  if (!with_time || i >= s.size() || (s[i] != 'T' && s[i] != ' ')) return out;
  size_t t = i + 1;
  const int hh = Digits(s, &t, 2);
  if (hh < 0 || hh > 23 || t >= s.size() || s[t] != ':') return out;
  ++t;
  const int mm = Digits(s, &t, 2);
  if (mm < 0 || mm > 59) return out;
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d", hh, mm);
  out += buf;
  if (t < s.size() && s[t] == ':') {
    size_t u = t + 1;
    const int ss = Digits(s, &u, 2);
    if (ss >= 0 && ss <= 60) {
      std::snprintf(buf, sizeof buf, ":%02d", ss);
      out += buf;
      t = u;
      if (t < s.size() && s[t] == '.')
        for (++t; t < s.size() && IsDigit(s[t]); ++t) {
        }
    }
  }
  if (t < s.size() && (s[t] == 'Z' || s[t] == 'z')) {
    out += 'Z';
  } else if (t < s.size() && (s[t] == '+' || s[t] == '-')) {
    size_t u = t + 1;
    const int oh = Digits(s, &u, 2);
    if (oh >= 0 && oh <= 14) {
      if (u < s.size() && s[u] == ':') ++u;
      const int om = Digits(s, &u, 2);
      std::snprintf(buf, sizeof buf, "%c%02d:%02d", s[t], oh, om < 0 ? 0 : om);
      out += buf;
    }
  }
  return out;
}

struct Word {
  std::string text;  // lower-cased, digits ASCII
  int number = -1;   // value when all digits
  int digits = 0;
  int month = 0;     // 1-12 when a month name
};

// Words of `s`: split at spaces and punctuation; ordinal suffixes dropped ("5th" -> 5).
std::vector<Word> Words(std::string_view s, size_t max_words) {
  std::vector<Word> out;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    Word w;
    w.text = cur;
    size_t digits = 0;
    while (digits < cur.size() && IsDigit(cur[digits])) ++digits;
    const std::string_view rest = std::string_view(cur).substr(digits);
    if (digits > 0 && digits <= 4 && (rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th")) {
      w.number = std::stoi(cur.substr(0, digits));
      w.digits = static_cast<int>(digits);
    } else {
      for (const MonthName& m : Months())
        if (cur == m.name) w.month = m.month;
    }
    out.push_back(std::move(w));
    cur.clear();
  };
  for (size_t i = 0; i < s.size() && out.size() < max_words; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool sep = c == ' ' || c == ',' || c == '.' || c == '\n' || c == '\t' || c == '-' || c == '/' ||
                     c == '|' || c == '(' || c == ')' || c == ':' || c == ';';
    if (sep) {
      flush();
      continue;
    }
    // ، and ۔ separate words too.
    if (c == 0xD8 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x8C) {
      flush();
      ++i;
      continue;
    }
    if (c == 0xDB && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x94) {
      flush();
      ++i;
      continue;
    }
    cur.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
  }
  flush();
  return out;
}

// A date among words w[i..]: "5 March 2024", "March 5 2024", "2024 March 5".
std::string DateAt(const std::vector<Word>& w, size_t i) {
  if (i + 2 >= w.size()) return "";
  const Word &a = w[i], &b = w[i + 1], &c = w[i + 2];
  if (a.number > 0 && a.digits <= 2 && b.month && c.digits == 4 && Valid(c.number, b.month, a.number))
    return Ymd(c.number, b.month, a.number);
  if (a.month && b.number > 0 && b.digits <= 2 && c.digits == 4 && Valid(c.number, a.month, b.number))
    return Ymd(c.number, a.month, b.number);
  if (a.digits == 4 && b.month && c.number > 0 && c.digits <= 2 && Valid(a.number, b.month, c.number))
    return Ymd(a.number, b.month, c.number);
  return "";
}

std::string Prepared(std::string_view s) {
  std::string t = AsciiDigits(s);
  return IsAscii(t) ? t : NormalizeText(t);
}

}  // namespace

std::string NormalizeDate(std::string_view raw) {
  const std::string s = Prepared(raw.substr(0, 200));
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\n' || s[b] == '\t')) ++b;
  if (std::string iso = IsoAt(s, b, /*with_time=*/true); !iso.empty()) return iso;
  const std::vector<Word> w = Words(s, 12);
  for (size_t i = 0; i < w.size(); ++i) {
    std::string d = DateAt(w, i);
    if (d.empty()) continue;
    // E-mail style: "Tue, 05 Mar 2024 10:00:00 GMT" / "+0500".
    if (i + 5 < w.size() && w[i + 3].digits == 2 && w[i + 4].digits == 2) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "T%02d:%02d", w[i + 3].number, w[i + 4].number);
      d += buf;
      if (w[i + 5].digits == 2) {
        std::snprintf(buf, sizeof buf, ":%02d", w[i + 5].number);
        d += buf;
      }
      if (i + 6 < w.size() && (w[i + 6].text == "gmt" || w[i + 6].text == "utc" || w[i + 6].text == "z")) d += 'Z';
    }
    return d;
  }
  return "";
}

std::string FindDateInText(std::string_view text) {
  const std::string s = Prepared(text.substr(0, 4096));
  for (size_t i = 0; i + 10 <= s.size(); ++i) {
    if (IsDigit(s[i]) && (i == 0 || !IsDigit(s[i - 1]))) {
      if (std::string iso = IsoAt(s, i, /*with_time=*/false); !iso.empty()) return iso;
    }
  }
  const std::vector<Word> w = Words(s, 2000);
  for (size_t i = 0; i < w.size(); ++i)
    if (std::string d = DateAt(w, i); !d.empty()) return d;
  return "";
}

}  // namespace rasai::ingest_internal
