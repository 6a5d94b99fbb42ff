// ZimCatalog: the archives an index holds, as zim-archives.json in the index folder.
//
// The file is replaced atomically (a temporary file, fsync, rename, fsync of the folder), so a
// power cut leaves the old catalog or the new one. Callers order their writes so that either is
// harmless: a record is saved before the documents of its archive are committed (a record
// without documents shows nothing), and removed after they are deleted.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "rasai/zim.h"
#include "util/file.h"

namespace rasai {
namespace {

using nlohmann::ordered_json;

constexpr const char* kTmpName = "zim-archives.json.tmp";

ordered_json ToJson(const ZimRecord& r) {
  const ZimInfo& i = r.info;
  return ordered_json{{"name", i.name},
                      {"path", i.path},
                      {"uuid", i.uuid},
                      {"size", i.size},
                      {"split", i.split},
                      {"title", i.title},
                      {"description", i.description},
                      {"language", i.language},
                      {"lang", i.lang},
                      {"creator", i.creator},
                      {"publisher", i.publisher},
                      {"date", i.date},
                      {"flavour", i.flavour},
                      {"zim_name", i.zim_name},
                      {"article_count", i.article_count},
                      {"entry_count", i.entry_count},
                      {"documents", r.documents},
                      {"indexed_at", r.indexed_at}};
}

template <typename T>
void Get(const ordered_json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) *out = it->get<T>();
}

}  // namespace

Result<ZimCatalog> ZimCatalog::Load(const std::string& dir) {
  ZimCatalog catalog;
  auto d = OpenPosixDirectory(dir, false);
  if (!d.ok()) return d.status();
  if (!(*d)->Exists(kFileName)) return catalog;
  auto text = ReadWholeFile(dir + "/" + kFileName);
  if (!text.ok()) return text.status();
  try {
    const ordered_json j = ordered_json::parse(*text);
    for (const auto& a : j.at("archives")) {
      ZimRecord r;
      ZimInfo& i = r.info;
      Get(a, "name", &i.name);
      Get(a, "path", &i.path);
      Get(a, "uuid", &i.uuid);
      Get(a, "size", &i.size);
      Get(a, "split", &i.split);
      Get(a, "title", &i.title);
      Get(a, "description", &i.description);
      Get(a, "language", &i.language);
      Get(a, "lang", &i.lang);
      Get(a, "creator", &i.creator);
      Get(a, "publisher", &i.publisher);
      Get(a, "date", &i.date);
      Get(a, "flavour", &i.flavour);
      Get(a, "zim_name", &i.zim_name);
      Get(a, "article_count", &i.article_count);
      Get(a, "entry_count", &i.entry_count);
      Get(a, "documents", &r.documents);
      Get(a, "indexed_at", &r.indexed_at);
      if (i.name.empty()) return Status::Corruption(std::string(kFileName) + ": an archive without a name");
      catalog.Put(std::move(r));
    }
  } catch (const std::exception& e) {
    return Status::Corruption(std::string(kFileName) + " is damaged: " + e.what());
  }
  return catalog;
}

Status ZimCatalog::Save(const std::string& dir) const {
  auto d = OpenPosixDirectory(dir, false);
  if (!d.ok()) return d.status();
  ordered_json list = ordered_json::array();
  for (const ZimRecord& r : records_) list.push_back(ToJson(r));
  const std::string text =
      ordered_json{{"format", 1}, {"archives", std::move(list)}}.dump(2, ' ', false, ordered_json::error_handler_t::replace) +
      "\n";
  RASAI_RETURN_IF_ERROR((*d)->WriteFileSync(kTmpName, text));
  RASAI_RETURN_IF_ERROR((*d)->Rename(kTmpName, kFileName));
  return (*d)->SyncDir();
}

const ZimRecord* ZimCatalog::Find(std::string_view name) const {
  auto it = std::lower_bound(records_.begin(), records_.end(), name,
                             [](const ZimRecord& r, std::string_view n) { return r.info.name < n; });
  return it != records_.end() && it->info.name == name ? &*it : nullptr;
}

void ZimCatalog::Put(ZimRecord record) {
  auto it = std::lower_bound(records_.begin(), records_.end(), record.info.name,
                             [](const ZimRecord& r, const std::string& n) { return r.info.name < n; });
  if (it != records_.end() && it->info.name == record.info.name) {
    *it = std::move(record);
  } else {
    records_.insert(it, std::move(record));
  }
}

bool ZimCatalog::Remove(std::string_view name) {
  auto it = std::lower_bound(records_.begin(), records_.end(), name,
                             [](const ZimRecord& r, std::string_view n) { return r.info.name < n; });
  if (it == records_.end() || it->info.name != name) return false;
  records_.erase(it);
  return true;
}

}  // namespace rasai
