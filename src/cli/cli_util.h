// Small helpers shared by the commands of the `rasai` CLI. Stateless; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "rasai/status.h"

namespace rasai::cli {

// "a,b,,c" -> {"a", "b", "c"} (empty parts dropped).
std::vector<std::string> SplitComma(const std::string& s);

// Prints "rasai: <status>" to stderr and returns the exit code 1.
int Fail(const Status& s);

}  // namespace rasai::cli
