// The merger: one segment from several.
#include "index/merger.h"

#include <queue>
#include <string_view>
#include <utility>

#include "index/offsets.h"
#include "index/segment_builder.h"
#include "index/segment_core.h"
#include "index/store.h"
#include "rasai/analysis.h"
#include "rasai/postings.h"

namespace rasai {
namespace {

// Carries one document's token offsets into a merged segment: the record as it is when the
// source has one for the same field, else made again from the stored text.
Status MergeOffsets(const Schema& schema, int off_field, const SegmentReader& src, uint32_t d, const Document& doc,
                    OffsetsWriter* ow, std::string* rec) {
  const auto& off = src.data().core->off;
  if (off && off->field() == off_field) {
    std::string_view r;
    RASAI_RETURN_IF_ERROR(off->Record(d, &r));
    return ow->Add(r);
  }
  rec->clear();
  std::vector<Token> tokens;  // not a member: merges run outside the writer lock
  const std::string* text = doc.TextField(schema.fields[off_field]);
  if (text && !text->empty()) DefaultAnalyzer().Analyze(IndexedText(*text), &tokens);
  EncodeTokenSpans(tokens, rec);
  return ow->Add(*rec);
}

// The sources' bytes a merge reads between two releases of their mapped pages: what it holds of
// them in RSS, whatever their size (they are read once, in order; the page cache keeps them).
constexpr size_t kReleaseEvery = 8u << 20;

void ReleaseSources(const std::vector<std::shared_ptr<const SegmentReader>>& src) {
  for (const auto& s : src) s->data().core->ReleasePages();
}

}  // namespace

Status MergeSegments(Directory* dir, const Schema& schema, int off_field,
                     const std::vector<std::shared_ptr<const SegmentReader>>& src, const std::string& name,
                     SegmentMeta* out, std::vector<std::vector<uint32_t>>* docmap_out) {
  const int ntext = static_cast<int>(schema.fields.size());
  std::vector<std::vector<uint32_t>>& docmap = *docmap_out;
  docmap.assign(src.size(), {});
  uint32_t ndocs = 0;
  for (size_t s = 0; s < src.size(); ++s) {
    docmap[s].assign(src[s]->max_doc(), kDeleted);
    for (uint32_t d = 0; d < src[s]->max_doc(); ++d)
      if (!src[s]->IsDeleted(d)) docmap[s][d] = ndocs++;
  }
  SegmentBuilder sb(dir, name, ntext);
  RASAI_RETURN_IF_ERROR(sb.Open());
  std::vector<std::vector<uint8_t>> norms(ntext, std::vector<uint8_t>(ndocs));
  for (size_t s = 0; s < src.size(); ++s) {
    const auto& core = *src[s]->data().core;
    for (int f = 0; f < ntext; ++f)
      for (uint32_t d = 0; d < src[s]->max_doc(); ++d)
        if (docmap[s][d] != kDeleted)
          norms[f][docmap[s][d]] = static_cast<uint8_t>(core.nrm_body[static_cast<size_t>(f) * core.max_doc + d]);
  }
  sb.SetNorms(norms);
  ReleaseSources(src);
  std::vector<uint32_t> docs, freqs;
  std::string pos;
  size_t read_since_release = 0;
  for (int f = 0; f <= ntext; ++f) {
    using Item = std::pair<std::string, size_t>;
    auto cmp = [](const Item& a, const Item& b) { return a.first > b.first || (a.first == b.first && a.second > b.second); };
    std::priority_queue<Item, std::vector<Item>, decltype(cmp)> heap(cmp);
    std::vector<TermIterator> its;
    for (size_t s = 0; s < src.size(); ++s) {
      its.push_back(src[s]->Terms(f));
      if (its.back().Valid()) heap.emplace(std::string(its.back().term()), s);
    }
    while (!heap.empty()) {
      const std::string term = heap.top().first;
      docs.clear();
      freqs.clear();
      pos.clear();
      while (!heap.empty() && heap.top().first == term) {
        size_t s = heap.top().second;
        heap.pop();
        PostingsCursor pc = src[s]->Postings(its[s].info());
        for (uint32_t d = pc.doc(); d != kDeleted; d = pc.Next()) {
          if (docmap[s][d] == kDeleted) continue;
          docs.push_back(docmap[s][d]);
          freqs.push_back(pc.freq());
          if (f < ntext) pos.append(pc.RawPositions());
        }
        its[s].Next();
        if (its[s].Valid()) heap.emplace(std::string(its[s].term()), s);
      }
      if (!docs.empty()) RASAI_RETURN_IF_ERROR(sb.AddTerm(f, term, docs.data(), freqs.data(), docs.size(), pos));
      read_since_release += term.size() + 2 * docs.size() + pos.size();
      if (read_since_release >= kReleaseEvery) {
        ReleaseSources(src);
        read_since_release = 0;
      }
    }
  }
  ReleaseSources(src);
  {
    // Store dictionaries from the live documents of the sources, picked evenly.
    std::vector<std::pair<uint32_t, uint32_t>> live;  // (source, doc) in new doc order
    live.reserve(ndocs);
    for (size_t s = 0; s < src.size(); ++s)
      for (uint32_t d = 0; d < src[s]->max_doc(); ++d)
        if (docmap[s][d] != kDeleted) live.emplace_back(static_cast<uint32_t>(s), d);
    std::string rec;
    Status st;
    size_t sampled = 0;
    auto sample = [&](bool head) {
      return MakeStoreDictionary(live.size(), [&](size_t i, std::string* out) {
        // Samples are spread over the sources: each maps a page and its neighbours.
        if (++sampled % 64 == 0) ReleaseSources(src);
        const SegmentCore& core = *src[live[i].first]->data().core;
        Status r = (head ? core.heads : core.texts).Read(live[i].second, &rec);
        if (r.ok()) out->append(rec); else if (st.ok()) st = r;
      });
    };
    std::string head_dict = sample(true), text_dict = sample(false);
    RASAI_RETURN_IF_ERROR(st);
    RASAI_RETURN_IF_ERROR(sb.SetStoreDictionaries(std::move(head_dict), std::move(text_dict)));
  }
  ReleaseSources(src);
  std::unique_ptr<OffsetsWriter> ow;
  if (off_field >= 0) {
    auto w = OffsetsWriter::Create(dir, name, off_field);
    if (!w.ok()) return w.status();
    ow = std::move(*w);
  }
  std::string rec;
  for (size_t s = 0; s < src.size(); ++s) {
    for (uint32_t d = 0; d < src[s]->max_doc(); ++d) {
      if (docmap[s][d] == kDeleted) continue;
      auto doc = src[s]->Stored(d);
      if (!doc.ok()) return doc.status();
      read_since_release += doc->body.size() / 4 + 64;  // about its compressed records and offsets
      if (read_since_release >= kReleaseEvery) {
        ReleaseSources(src);
        read_since_release = 0;
      }
      std::string lang(src[s]->ValueName(DocValueField::kLang, src[s]->Values(d).lang));
      RASAI_RETURN_IF_ERROR(sb.AddDocument(*doc, lang));
      if (ow) RASAI_RETURN_IF_ERROR(MergeOffsets(schema, off_field, *src[s], d, *doc, ow.get(), &rec));
    }
  }
  ReleaseSources(src);
  RASAI_RETURN_IF_ERROR(sb.Finish(out));
  if (ow) {
    FileInfo fi;
    RASAI_RETURN_IF_ERROR(ow->Finish(&fi));
    out->files.push_back(fi);
  }
  return Status::OK();
}

}  // namespace rasai
