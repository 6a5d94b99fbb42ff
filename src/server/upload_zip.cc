#include "server/upload_zip.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "util/utf8.h"

namespace rasai::server {
namespace {

namespace fs = std::filesystem;

bool EndsWithLower(std::string_view name, std::string_view suffix) {
  if (name.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = name[name.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != suffix[i]) return false;
  }
  return true;
}

bool WantedKind(std::string_view name) {
  for (std::string_view ext : {".html", ".htm", ".xhtml", ".txt", ".md", ".markdown", ".jsonl", ".ndjson", ".json"})
    if (EndsWithLower(name, ext)) return true;
  return false;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// Creates the folders of `rel` under `dest` (never following a link: only folders made here).
bool MakeParents(const std::string& dest, const std::string& rel) {
  size_t at = 0;
  while ((at = rel.find('/', at)) != std::string::npos) {
    const std::string dir = dest + "/" + rel.substr(0, at);
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
    struct stat st;
    if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
    ++at;
  }
  return true;
}

}  // namespace

std::string CleanEntryName(std::string_view name) {
  if (!IsValidUtf8(name)) return "";
  std::string out;
  size_t parts = 0;
  size_t i = 0;
  if (name.size() >= 2 && name[1] == ':' && ((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z')) i = 2;  // C:
  while (i <= name.size()) {
    size_t end = name.find_first_of("/\\", i);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view part = name.substr(i, end - i);
    i = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." || part.size() > 255) return "";
    for (unsigned char c : part)
      if (c < 0x20 || c == 0x7f) return "";
    if (++parts > 64) return "";
    if (!out.empty()) out.push_back('/');
    out.append(part);
  }
  return out;
}

Status UnpackZip(const std::string& zip_path, const std::string& dest, const ZipLimits& limits, ZipReport* report,
                 const std::function<void(uint64_t, uint64_t)>& progress, const std::function<bool()>& cancelled) {
  int error = 0;
  std::unique_ptr<zip_t, ZipCloser> za(zip_open(zip_path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!za) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return Status::InvalidArgument("not a readable .zip archive: " + why);
  }
  const zip_int64_t n = zip_get_num_entries(za.get(), 0);
  if (n < 0) return Status::InvalidArgument("not a readable .zip archive");
  report->entries = static_cast<uint64_t>(n);
  if (report->entries > limits.max_entries)
    return Status::InvalidArgument("the archive holds " + std::to_string(n) + " entries, more than " +
                                   std::to_string(limits.max_entries));
  std::error_code ec;
  if (!fs::create_directory(dest, ec)) return Status::IOError("cannot create " + dest + ": " + ec.message());
  std::vector<char> buf(1 << 16);
  for (zip_int64_t i = 0; i < n; ++i) {
    if (cancelled && cancelled()) return Status::Aborted("cancelled");
    if (progress && (i % 64 == 0)) progress(static_cast<uint64_t>(i), report->entries);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
      report->problems.push_back("entry " + std::to_string(i) + ": unreadable");
      continue;
    }
    const std::string raw = st.name;
    if (!raw.empty() && (raw.back() == '/' || raw.back() == '\\')) continue;  // a folder
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(za.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attributes) == 0 &&
        opsys == ZIP_OPSYS_UNIX && S_ISLNK(attributes >> 16)) {
      report->problems.push_back(raw + ": a symbolic link, skipped");
      continue;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      report->problems.push_back(raw + ": encrypted, skipped");
      continue;
    }
    const std::string rel = CleanEntryName(raw);
    if (rel.empty()) {
      report->problems.push_back(RepairUtf8(raw) + ": a name that leads outside the archive or is not text, skipped");
      continue;
    }
    if (!WantedKind(rel)) {
      ++report->ignored;
      continue;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.max_entry_bytes) {
      report->problems.push_back(rel + ": larger than " + std::to_string(limits.max_entry_bytes >> 20) + " MiB, skipped");
      continue;
    }
    std::unique_ptr<zip_file_t, FileCloser> zf(zip_fopen_index(za.get(), static_cast<zip_uint64_t>(i), 0));
    if (!zf) {
      report->problems.push_back(rel + ": cannot be read (" + zip_strerror(za.get()) + "), skipped");
      continue;
    }
    if (!MakeParents(dest, rel)) {
      report->problems.push_back(rel + ": its folder cannot be made (a file of that name?), skipped");
      continue;
    }
    const std::string out_path = dest + "/" + rel;
    const int fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      report->problems.push_back(rel + ": " + std::strerror(errno) + " (twice in the archive?), skipped");
      continue;
    }
    const uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    uint64_t written = 0;
    std::string failure;
    for (;;) {
      const zip_int64_t got = zip_fread(zf.get(), buf.data(), buf.size());
      if (got < 0) {
        failure = std::string("damaged (") + zip_file_strerror(zf.get()) + ")";
        break;
      }
      if (got == 0) break;
      written += static_cast<uint64_t>(got);
      if (written > limits.max_entry_bytes) {
        failure = "inflates to more than " + std::to_string(limits.max_entry_bytes >> 20) + " MiB";
        break;
      }
      if (written > (1u << 20) && written > limits.max_ratio * std::max<uint64_t>(compressed, 1)) {
        failure = "inflates more than " + std::to_string(limits.max_ratio) + " times (a zip bomb?)";
        break;
      }
      if (report->bytes + written > limits.max_total_bytes) {
        close(fd);
        unlink(out_path.c_str());
        return Status::InvalidArgument("the archive inflates to more than " +
                                       std::to_string(limits.max_total_bytes >> 20) + " MiB in all");
      }
      const char* p = buf.data();
      size_t left = static_cast<size_t>(got);
      while (left > 0) {
        const ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
          const std::string why = std::strerror(errno);
          close(fd);
          unlink(out_path.c_str());
          return Status::IOError("cannot write " + out_path + ": " + why);
        }
        p += w;
        left -= static_cast<size_t>(w);
      }
    }
    close(fd);
    if (!failure.empty()) {
      unlink(out_path.c_str());
      report->problems.push_back(rel + ": " + failure + ", skipped");
      continue;
    }
    ++report->written;
    report->bytes += written;
  }
  if (progress) progress(report->entries, report->entries);
  return Status::OK();
}

}  // namespace rasai::server
