#include "rasai/status.h"

namespace rasai {

std::string Status::ToString() const {
  const char* kind = "OK";
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: kind = "NotFound"; break;
    case Code::kCorruption: kind = "Corruption"; break;
    case Code::kInvalidArgument: kind = "InvalidArgument"; break;
    case Code::kIOError: kind = "IOError"; break;
    case Code::kUnsupported: kind = "Unsupported"; break;
    case Code::kAborted: kind = "Aborted"; break;
  }
  return std::string(kind) + ": " + msg_;
}

}  // namespace rasai
