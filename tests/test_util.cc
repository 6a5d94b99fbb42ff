#include "test_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace rasai::testing {
namespace {
std::mutex g_mu;
std::vector<std::string>* g_dirs = nullptr;
void Cleanup() {
  if (!g_dirs) return;
  for (auto& d : *g_dirs) {
    std::error_code ec;
    fs::remove_all(d, ec);
  }
}
}  // namespace

std::string SharedData() {
  const char* env = std::getenv("RASAI_SHARED_DATA");
  std::string p = env && *env ? env : RASAI_SHARED_DATA;
  std::error_code ec;
  if (fs::is_directory(p + "/urdu", ec)) return p;
  return "";
}

std::string TempDir(const std::string& tag) {
  std::lock_guard<std::mutex> l(g_mu);
  if (!g_dirs) {
    g_dirs = new std::vector<std::string>();
    std::atexit(Cleanup);
  }
  std::string tmpl = (fs::temp_directory_path() / ("rasai-" + tag + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  char* d = mkdtemp(buf.data());
  std::string dir = d ? d : tmpl;
  g_dirs->push_back(dir);
  return dir;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

std::vector<std::string> FilesWithExt(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path().string());
  return out;
}

}  // namespace rasai::testing
