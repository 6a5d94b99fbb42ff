#include "server/operator_sources.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace rasai::server {
namespace {

std::string DateText(int32_t yyyymmdd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
  return buf;
}

struct Tally {
  uint64_t documents = 0, dated = 0;
  int32_t first = 0, last = 0;
  std::unordered_map<uint32_t, uint64_t> languages;  // by lang ordinal of the segment
};

}  // namespace

std::vector<SourceSummary> SummarizeSources(const Snapshot& snapshot) {
  struct Merged {
    uint64_t documents = 0, dated = 0;
    int32_t first = 0, last = 0;
    std::map<std::string, uint64_t> languages;
  };
  std::map<std::string, Merged> by_name;
  for (const auto& seg : snapshot.segments()) {
    std::unordered_map<uint32_t, Tally> by_ord;  // source ordinal -> tally, within the segment
    for (uint32_t d = 0; d < seg->max_doc(); ++d) {
      if (seg->IsDeleted(d)) continue;
      const DocValues v = seg->Values(d);
      Tally& t = by_ord[v.source];
      ++t.documents;
      ++t.languages[v.lang];
      if (v.date > 0) {
        ++t.dated;
        if (t.first == 0 || v.date < t.first) t.first = v.date;
        if (v.date > t.last) t.last = v.date;
      }
    }
    for (const auto& [ord, t] : by_ord) {
      Merged& m = by_name[std::string(seg->ValueName(DocValueField::kSource, ord))];
      m.documents += t.documents;
      m.dated += t.dated;
      if (t.dated > 0) {
        if (m.first == 0 || t.first < m.first) m.first = t.first;
        m.last = std::max(m.last, t.last);
      }
      for (const auto& [lang, n] : t.languages) m.languages[std::string(seg->ValueName(DocValueField::kLang, lang))] += n;
    }
  }
  std::vector<SourceSummary> out;
  out.reserve(by_name.size());
  for (auto& [name, m] : by_name) {
    SourceSummary s;
    s.name = name;
    s.documents = m.documents;
    s.dated = m.dated;
    s.languages = std::move(m.languages);
    if (m.dated > 0) {
      s.first_date = DateText(m.first);
      s.last_date = DateText(m.last);
    }
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SourceSummary& a, const SourceSummary& b) { return a.documents > b.documents; });
  return out;
}

nlohmann::json SourcesJson(const std::vector<SourceSummary>& sources) {
  nlohmann::json list = nlohmann::json::array();
  for (const SourceSummary& s : sources) {
    nlohmann::json langs = nlohmann::json::object();
    for (const auto& [lang, n] : s.languages) langs[lang] = n;
    list.push_back({{"source", s.name},
                    {"documents", s.documents},
                    {"languages", std::move(langs)},
                    {"first_date", s.first_date},
                    {"last_date", s.last_date},
                    {"dated", s.dated}});
  }
  return list;
}

}  // namespace rasai::server
