// ZimOpenings: the repeated-openings rule over an archive's pages, learned per archive and per
// section, reading again only the pages that may lose an opening.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasai/zim.h"

namespace rasai {
namespace {

constexpr size_t kKeptBytes = 64u << 20;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string_view ZimSection(std::string_view path) {
  if (const size_t slash = path.find('/'); slash != std::string_view::npos) return path.substr(0, slash);
  size_t n = 0;
  while (n < path.size() && (IsAsciiLetter(path[n]) || static_cast<unsigned char>(path[n]) >= 0x80)) ++n;
  return path.substr(0, n);
}

ZimOpenings::ZimOpenings(const ZimDocuments& docs, RepeatedOpeningsOptions options)
    : docs_(docs),
      options_(options),
      prefix_(docs.archive().info().name + "/"),
      learners_{RepeatedOpenings(options), RepeatedOpenings(options)} {}

std::string ZimOpenings::Group(int which, const Document& doc) const {
  const std::string& name = docs_.archive().info().name;
  if (which == 0) return name;
  std::string_view path = doc.id;
  if (path.starts_with(prefix_)) path.remove_prefix(prefix_.size());
  const std::string_view section = ZimSection(path);
  return section.empty() ? std::string() : name + " (section " + std::string(section) + ")";
}

uint64_t ZimOpenings::ObserveIn(int which, Document* doc) {
  std::string group = Group(which, *doc);
  if (group.empty()) return 0;  // no section: the archive's learner sees it
  std::swap(doc->source, group);
  const uint64_t key = learners_[which].Observe(*doc);
  std::swap(doc->source, group);
  return key;
}

RepeatedOpenings::Cut ZimOpenings::FindIn(int which, Document* doc) const {
  std::string group = Group(which, *doc);
  if (group.empty()) return {};
  std::swap(doc->source, group);
  RepeatedOpenings::Cut cut = learners_[which].Find(*doc);
  std::swap(doc->source, group);
  return cut;
}

void ZimOpenings::Observe(uint64_t position, Document* doc) {
  const uint64_t key = ObserveIn(0, doc);
  ObserveIn(1, doc);
  // A section's openings are among the archive's first words: one key per page finds both.
  if (key != 0) keys_.emplace_back(key, position);
}

Status ZimOpenings::Finish(int threads, const DocumentSink& sink, IngestStats* stats) {
  for (RepeatedOpenings& l : learners_) l.EndPass();
  if (!learners_[0].NeedsPass() && !learners_[1].NeedsPass()) {  // no opening is shared enough
    std::vector<std::pair<uint64_t, uint64_t>>().swap(keys_);
    return Status::OK();
  }
  // The pages that later passes count: those whose first min_words words at least min_docs pages
  // share (the least any group asks of an opening).
  std::sort(keys_.begin(), keys_.end());
  std::vector<uint64_t> candidates;
  const uint64_t min_docs = std::max<uint64_t>(options_.min_docs, 1);
  for (size_t i = 0; i < keys_.size();) {
    size_t j = i + 1;
    while (j < keys_.size() && keys_[j].first == keys_[i].first) ++j;
    if (j - i >= min_docs)
      for (size_t k = i; k < j; ++k) candidates.push_back(keys_[k].second);
    i = j;
  }
  std::vector<std::pair<uint64_t, uint64_t>>().swap(keys_);
  if (candidates.empty()) return Status::OK();
  std::sort(candidates.begin(), candidates.end());
  // The candidates are read once and kept for the passes while they fit in kKeptBytes (random
  // reads cost a cluster's decompression each); beyond, they are read again for each pass.
  std::vector<Document> kept;
  size_t kept_bytes = 0;
  bool all_kept = true;
  auto observe = [&](Document* doc) {
    ObserveIn(0, doc);
    ObserveIn(1, doc);
  };
  auto cut = [&](Document&& doc) -> Status {
    RepeatedOpenings::Cut cuts[2] = {FindIn(0, &doc), FindIn(1, &doc)};
    const int which = cuts[1].words > cuts[0].words ? 1 : 0;
    RepeatedOpenings::Cut& c = cuts[which];
    if (c.words == 0) return Status::OK();
    const size_t bytes = c.bytes;
    learners_[which].Record(Group(which, doc), std::move(c));
    doc.body.erase(0, bytes);
    ++cut_;
    return sink(std::move(doc));
  };
  for (bool first = true; learners_[0].NeedsPass() || learners_[1].NeedsPass(); first = false) {
    if (first || !all_kept) {
      RASAI_RETURN_IF_ERROR(docs_.ReadPositions(&candidates, threads,
                                                [&](uint64_t, Document&& doc) {
                                                  observe(&doc);
                                                  if (first && all_kept) {
                                                    kept_bytes += doc.id.size() + doc.body.size() + sizeof(Document);
                                                    all_kept = kept_bytes <= kKeptBytes;
                                                    if (all_kept) kept.push_back(std::move(doc));
                                                  }
                                                  return Status::OK();
                                                },
                                                stats));
      if (!all_kept) std::vector<Document>().swap(kept);
    } else {
      for (Document& doc : kept) observe(&doc);
    }
    for (RepeatedOpenings& l : learners_) l.EndPass();
  }
  if (!all_kept || kept.empty())
    return docs_.ReadPositions(&candidates, threads, [&](uint64_t, Document&& doc) { return cut(std::move(doc)); },
                               stats);
  for (Document& doc : kept) RASAI_RETURN_IF_ERROR(cut(std::move(doc)));
  return Status::OK();
}

std::vector<RemovedOpening> ZimOpenings::Removed() const {
  std::vector<RemovedOpening> out = learners_[0].Removed();
  for (RemovedOpening& r : learners_[1].Removed()) out.push_back(std::move(r));
  return out;
}

}  // namespace rasai
