// Schema and Snapshot: the read side of rasai/index.h over a commit's segments.
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"

namespace rasai {

int Schema::FieldId(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> FieldsIndexedInPart(const Document& doc, const Schema& schema) {
  std::vector<std::string> cut;
  for (const std::string& f : schema.fields) {
    const std::string* text = doc.TextField(f);
    if (text && text->size() > kIndexedFieldBytes) cut.push_back(f);
  }
  return cut;
}

std::string IndexedInPartNote(std::string_view field) {
  const std::string mib = std::to_string(kIndexedFieldBytes >> 20);
  return std::string(field) + " longer than " + mib + " MiB: stored whole, searchable in its first " + mib + " MiB";
}

uint64_t Snapshot::live_docs() const {
  uint64_t n = 0;
  for (const auto& s : segments_) n += s->live_docs();
  return n;
}

FieldStats Snapshot::field_stats(int field) const {
  FieldStats t;
  for (const auto& s : segments_) {
    FieldStats f = s->field_stats(field);
    t.docs_with_field += f.docs_with_field;
    t.total_length += f.total_length;
  }
  return t;
}

uint64_t Snapshot::DocFreq(int field, std::string_view term) const {
  uint64_t df = 0;
  TermInfo ti;
  for (const auto& s : segments_)
    if (s->Lookup(field, term, &ti)) df += ti.df;
  return df;
}

bool Snapshot::Contains(std::string_view id) const {
  for (const auto& s : segments_)
    if (s->FindId(id) >= 0) return true;
  return false;
}

Result<Document> Snapshot::Get(std::string_view id) const {
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    int64_t d = (*it)->FindId(id);
    if (d >= 0) return (*it)->Stored(static_cast<uint32_t>(d));
  }
  return Status::NotFound("no document with id " + std::string(id));
}

}  // namespace rasai
