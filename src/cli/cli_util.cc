#include "cli/cli_util.h"

#include <iostream>
#include <sstream>

namespace rasai::cli {

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ','))
    if (!x.empty()) out.push_back(x);
  return out;
}

int Fail(const Status& s) {
  std::cerr << "rasai: " << s.ToString() << "\n";
  return 1;
}

}  // namespace rasai::cli
