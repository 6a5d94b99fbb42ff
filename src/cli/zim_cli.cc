#include "cli/zim_cli.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "rasai/sources.h"
#include "rasai/zim.h"
#include "server/zim_collection.h"

namespace rasai::cli {
namespace {

namespace fs = std::filesystem;

// True for x.zimaa, x.zimab, ... (any part of a split archive).
bool IsZimPart(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = name.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext.size() == 6 && ext.starts_with(".zim") && std::isalpha(static_cast<unsigned char>(ext[4])) &&
         std::isalpha(static_cast<unsigned char>(ext[5]));
}

void FindArchives(const fs::path& dir, std::vector<std::string>* out, std::set<std::string>* visited) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(dir, ec);
  if (!ec && !visited->insert(canonical.string()).second) return;  // a symlink loop
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename().string() < b.path().filename().string(); });
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code tec;
    if (e.is_directory(tec)) {
      FindArchives(e.path(), out, visited);
    } else if (IsZimFileName(name) && e.is_regular_file(tec)) {
      out->push_back(ZimLogicalPath(e.path().string()));
    }
  }
}

}  // namespace

SplitInputs SplitZimInputs(const std::vector<std::string>& inputs) {
  SplitInputs out;
  std::set<std::string> visited;
  for (const std::string& in : inputs) {
    std::error_code ec;
    const std::string name = fs::path(in).filename().string();
    if (fs::is_directory(in, ec)) {
      FindArchives(in, &out.archives, &visited);
      out.others.push_back(in);
    } else if (IsZimFileName(name) || IsZimPart(name)) {
      // A part named directly: the archive it belongs to (x.zimab -> x.zim).
      out.archives.push_back(IsZimPart(name) ? in.substr(0, in.size() - 2) : in);
    } else {
      out.others.push_back(in);
    }
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& a : out.archives)
    if (seen.insert(a).second) unique.push_back(std::move(a));
  out.archives = std::move(unique);
  return out;
}

uint64_t IndexZimArchives(Index* index, const std::string& dir, const std::vector<std::string>& archives,
                          const DocumentSink& sink, IngestStats* stats, std::vector<std::string>* lines,
                          bool keep_openings, std::vector<RemovedOpening>* openings) {
  uint64_t refused = 0;
  for (const std::string& path : archives) {
    server::ZimAddResult r = server::AddZimArchive(index, dir, path, sink, stats, 0, {}, !keep_openings);
    if (openings)
      for (RemovedOpening& o : r.openings) openings->push_back(std::move(o));
    if (!r.indexed) {
      ++refused;
      lines->push_back("archive " + path + " refused: " + r.problem);
      continue;
    }
    std::string line = "archive '" + r.info.name + "' (" + (r.info.title.empty() ? "untitled" : r.info.title) +
                       (r.info.date.empty() ? "" : ", " + r.info.date) + "): " + std::to_string(r.documents) +
                       " documents from " + std::to_string(r.info.article_count) + " articles";
    if (r.info.article_count == 0) line += " (the archive marks none of its pages as an article: nothing to search)";
    if (!r.replaced.empty()) line += "; replaced the version of " + r.replaced;
    if (r.stale > 0) line += ", whose " + std::to_string(r.stale) + " articles no longer there were removed";
    lines->push_back(line);
  }
  return refused;
}

Status ReadZimArchive(const std::string& path, const DocumentSink& sink, IngestStats* stats) {
  auto archive = ZimArchive::Open(path);
  Status problem;
  if (archive.ok()) {
    auto docs = ZimDocuments::Create(**archive);
    if (docs.ok()) return (*docs)->Read(0, (*docs)->size(), sink, stats);
    problem = docs.status();
  } else {
    problem = archive.status();
  }
  stats->problems.push_back(IngestProblem{path, 0, problem.IsNotFound() ? "cannot read: no such file"
                                                                        : "not a valid ZIM archive: " + problem.message()});
  ++stats->skipped;
  return Status::OK();
}

std::vector<std::string> ZimStatsLines(const std::string& dir, const Snapshot& snapshot) {
  std::vector<std::string> lines;
  auto catalog = ZimCatalog::Load(dir);
  if (!catalog.ok()) return {"archives    (" + catalog.status().ToString() + ")"};
  for (const ZimRecord& r : catalog->records()) {
    const ZimInfo& i = r.info;
    lines.push_back("archive     " + i.name);
    auto add = [&](const char* label, const std::string& v) {
      if (!v.empty()) lines.push_back(std::string("  ") + label + v);
    };
    add("title        ", i.title);
    add("description  ", i.description);
    add("language     ", i.language + (i.lang.empty() || i.lang == i.language ? "" : " (" + i.lang + ")"));
    add("creator      ", i.creator);
    add("publisher    ", i.publisher);
    add("date         ", i.date);
    add("articles     ", std::to_string(i.article_count));
    add("documents    ", std::to_string(CountSource(snapshot, i.name)));
    add("file         ", i.path + (i.split ? " (split)" : ""));
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MB", i.size / 1048576.0);
    add("size         ", size);
    add("indexed      ", r.indexed_at);
  }
  return lines;
}

std::string ZimStatsJson(const std::string& dir, const Snapshot& snapshot) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  auto catalog = ZimCatalog::Load(dir);
  if (!catalog.ok()) return list.dump();
  for (const ZimRecord& r : catalog->records()) {
    const ZimInfo& i = r.info;
    list.push_back({{"name", i.name},
                    {"title", i.title},
                    {"description", i.description},
                    {"language", i.language},
                    {"lang", i.lang},
                    {"creator", i.creator},
                    {"publisher", i.publisher},
                    {"date", i.date},
                    {"article_count", i.article_count},
                    {"documents", CountSource(snapshot, i.name)},
                    {"path", i.path},
                    {"size", i.size},
                    {"indexed_at", r.indexed_at}});
  }
  return list.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace rasai::cli
