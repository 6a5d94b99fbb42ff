// libFuzzer target for ImportIndex (rasai/index_archive.h): any file given to `rasai import`
// (excluded from the normal build by its name; the CMake globs skip *_fuzz.cc).
//
// Each input is written to a file and imported into a new folder. The import must answer OK or an
// error, never crash, write outside its folder or leave its staging folder behind; when it
// answers OK, the folder must be an index that opens and passes Check. The first input is
// preceded by a real archive (an index of 40 documents, exported) so that the corpus can start
// from it: run once with -runs=1 and an empty corpus folder to write it there as seed.tar.
//
//   R=/work/main   # the repository
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
//     -I$R/include -I$R/src $R/src/index/index_archive_fuzz.cc \
//     $(ls $R/src/{util,analysis,index}/*.cc | grep -v -e _test -e _fuzz) \
//     $(pkg-config --cflags --libs icu-uc icu-i18n libzstd libarchive) -lstemmer -o index_archive_fuzz
//   mkdir -p corpus && ./index_archive_fuzz -runs=1 corpus && cp /tmp/rasai-archive-fuzz/seed.tar corpus/
//   ./index_archive_fuzz -max_total_time=120 -max_len=200000 corpus
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "rasai/index.h"
#include "rasai/index_archive.h"

namespace {

namespace fs = std::filesystem;

void Check(bool ok) {
  if (!ok) std::abort();
}

struct Fixture {
  std::string root;
  Fixture() {
    root = (fs::temp_directory_path() / "rasai-archive-fuzz").string();
    fs::remove_all(root);
    fs::create_directories(root + "/work");
    rasai::IndexOptions o;
    o.merge_on_commit = false;
    auto index = rasai::Index::Open(root + "/seed-index", o);
    Check(index.ok());
    for (int i = 0; i < 40; ++i) {
      rasai::Document d;
      d.id = "d" + std::to_string(i);
      d.title = "بارش " + std::to_string(i);
      d.body = "لاہور میں بارش river " + std::to_string(i);
      Check((*index)->Add(d).ok());
      if (i % 20 == 19) Check((*index)->Commit().ok());
    }
    Check((*index)->Delete("d3").ok());
    Check((*index)->Commit().ok());
    Check(rasai::ExportIndex(root + "/seed-index", root + "/seed.tar").ok());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fx;
  const std::string work = fx.root + "/work";
  const std::string input = work + "/input.tar";
  {
    std::ofstream(input, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const std::string to = work + "/index";
  auto r = rasai::ImportIndex(input, to);
  if (r.ok()) {
    auto index = rasai::Index::OpenReadOnly(to);
    Check(index.ok());
    Check((*index)->Check().ok());
    Check((*index)->stats().live_docs == r->documents);
  } else {
    Check(!fs::exists(to));
  }
  // Nothing but the input and the import's folder: no staging folder left, nothing written beside.
  for (const auto& e : fs::directory_iterator(work)) {
    const std::string name = e.path().filename().string();
    Check(name == "input.tar" || name == "index");
  }
  for (const auto& e : fs::directory_iterator(fx.root)) {
    const std::string name = e.path().filename().string();
    Check(name == "work" || name == "seed-index" || name == "seed.tar");
  }
  fs::remove_all(to);
  return 0;
}
