// Helpers shared by the tests: where the real shared data is, and temporary folders.
#pragma once

#include <string>
#include <vector>

namespace rasai::testing {

// The shared data folder (../shared/data), or "" when absent. Tests that need it call
// RASAI_REQUIRE_SHARED_DATA() which skips with a message.
std::string SharedData();
// A fresh empty folder under the system temp dir, removed at process exit.
std::string TempDir(const std::string& tag);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);
// The files of `dir` whose names end in `ext` (".tim"), in directory order.
std::vector<std::string> FilesWithExt(const std::string& dir, const std::string& ext);

}  // namespace rasai::testing

#define RASAI_REQUIRE_SHARED_DATA()                                                   \
  do {                                                                                \
    if (::rasai::testing::SharedData().empty())                                       \
      GTEST_SKIP() << "../shared/data is absent: set RASAI_SHARED_DATA to run this test"; \
  } while (0)
