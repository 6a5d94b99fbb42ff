// The manifest: its text codec and its atomic publication.
#include "index/manifest.h"

#include <cstdio>
#include <sstream>

#include "util/crc32c.h"

namespace rasai {

std::string EncodeManifest(const Manifest& m) {
  std::ostringstream o;
  o << "rasai-manifest " << kFormatVersion << "\n";
  o << "generation " << m.generation << "\n";
  o << "next_segment " << m.next_segment << "\n";
  o << "fields ";
  for (size_t i = 0; i < m.fields.size(); ++i) o << (i ? "," : "") << m.fields[i];
  o << "\n";
  for (const auto& s : m.segments) {
    o << "segment " << s.name << " " << s.max_doc << " " << s.del_gen << " " << s.del_count << " ";
    for (size_t i = 0; i < s.stats.size(); ++i)
      o << (i ? "," : "") << s.stats[i].total_length << ":" << s.stats[i].docs_with_field;
    o << "\n";
    for (const auto& f : s.files) o << "file " << f.name << " " << f.size << " " << f.crc << "\n";
  }
  std::string body = o.str();
  char crc[32];
  std::snprintf(crc, sizeof crc, "crc %08x\n", Crc32c(0, body.data(), body.size()));
  return body + crc;
}

Result<Manifest> DecodeManifest(const std::string& text) {
  auto bad = [](const std::string& why) { return Status::Corruption("MANIFEST: " + why); };
  size_t crc_at = text.rfind("crc ");
  if (crc_at == std::string::npos || (crc_at > 0 && text[crc_at - 1] != '\n')) return bad("no checksum line");
  unsigned crc = 0;
  if (std::sscanf(text.c_str() + crc_at, "crc %8x", &crc) != 1 || crc != Crc32c(0, text.data(), crc_at))
    return bad("checksum mismatch");
  Manifest m;
  std::istringstream in(text.substr(0, crc_at));
  std::string line;
  const std::string want = "rasai-manifest " + std::to_string(kFormatVersion);
  if (!std::getline(in, line)) return bad("empty");
  if (line != want) {
    unsigned v = 0;
    if (std::sscanf(line.c_str(), "rasai-manifest %u", &v) == 1)
      return Status::Unsupported("index format " + std::to_string(v) + ", this build reads format " +
                                 std::to_string(kFormatVersion) +
                                 ": rebuild the index with this version (rasai index)");
    return bad("unknown version");
  }
  while (std::getline(in, line)) {
    std::istringstream l(line);
    std::string key;
    l >> key;
    if (key == "generation") {
      l >> m.generation;
    } else if (key == "next_segment") {
      l >> m.next_segment;
    } else if (key == "fields") {
      std::string f;
      l >> f;
      std::stringstream fs(f);
      std::string x;
      while (std::getline(fs, x, ',')) m.fields.push_back(x);
    } else if (key == "segment") {
      SegmentMeta s;
      std::string stats;
      l >> s.name >> s.max_doc >> s.del_gen >> s.del_count >> stats;
      std::stringstream ss(stats);
      std::string x;
      while (std::getline(ss, x, ',')) {
        FieldStats fs;
        if (std::sscanf(x.c_str(), "%lu:%lu", &fs.total_length, &fs.docs_with_field) != 2) return bad("bad stats");
        s.stats.push_back(fs);
      }
      m.segments.push_back(std::move(s));
    } else if (key == "file") {
      if (m.segments.empty()) return bad("file before segment");
      FileInfo f;
      l >> f.name >> f.size >> f.crc;
      m.segments.back().files.push_back(f);
    } else if (!key.empty()) {
      return bad("unknown line '" + key + "'");
    }
    if (l.fail()) return bad("malformed line '" + line + "'");
  }
  if (m.fields.empty()) return bad("no fields");
  for (const auto& s : m.segments)
    if (s.stats.size() != m.fields.size()) return bad("segment " + s.name + " has wrong stats");
  return m;
}

Result<Manifest> ReadManifest(const Directory& dir) {
  auto text = dir.ReadFile(kManifest);
  if (!text.ok()) return text.status();
  return DecodeManifest(*text);
}

Status PublishManifest(Directory* dir, const Manifest& m, bool* replaced) {
  *replaced = false;
  RASAI_RETURN_IF_ERROR(dir->WriteFileSync(kManifestTmp, EncodeManifest(m)));
  RASAI_RETURN_IF_ERROR(dir->Rename(kManifestTmp, kManifest));
  *replaced = true;
  return dir->SyncDir();
}

}  // namespace rasai
