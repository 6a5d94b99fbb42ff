#include "cli/progress_line.h"

#include <cmath>

namespace rasai::cli {
namespace {

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string Duration(double s) {
  if (s < 60) return Fmt("%.0f s", std::ceil(s));
  if (s < 3600) return Fmt("%.0f min", std::ceil(s / 60));
  return Fmt("%.1f h", s / 3600);
}

}  // namespace

std::string ProgressLine::Text(const BatchProgress& p, int steps) {
  using Phase = BatchProgress::Phase;
  std::string step, what;
  switch (p.phase) {
    case Phase::kReading:
      step = "1/" + std::to_string(steps);
      what = "reading";
      break;
    case Phase::kLearning:
      step = "1/" + std::to_string(steps);
      what = "looking for repeated openings (pass " + std::to_string(p.pass) + ")";
      break;
    case Phase::kIndexing:
      step = std::to_string(steps) + "/" + std::to_string(steps);
      what = "indexing";
      break;
    case Phase::kCommitting:
      return "committing " + std::to_string(p.documents) + " documents…";
  }
  const double secs = std::max(p.phase_seconds, 1e-3);
  std::string out = "step " + step + " " + what + ": " + std::to_string(p.documents) + " documents";
  if (p.total_bytes > 0) {
    const double share = std::min(1.0, static_cast<double>(p.bytes) / static_cast<double>(p.total_bytes));
    out += Fmt(" (%.0f%%)", 100 * share);
  }
  out += ", " + Fmt("%.0f", p.documents / secs) + " documents/s, " + Fmt("%.1f", p.bytes / secs / 1048576.0) + " MB/s";
  if (p.total_bytes > 0 && p.bytes > 0 && p.bytes < p.total_bytes && p.phase_seconds >= 1) {
    const double left = p.phase_seconds * static_cast<double>(p.total_bytes - p.bytes) / static_cast<double>(p.bytes);
    out += ", about " + Duration(left) + " left";
  }
  return out;
}

void ProgressLine::Update(const BatchProgress& p) {
  if (terminal_) {
    std::fprintf(out_, "\r\033[K  %s", Text(p, steps_).c_str());
    std::fflush(out_);
    shown_ = true;
    return;
  }
  if (p.seconds < next_plain_) return;
  next_plain_ = p.seconds + 10;
  std::fprintf(out_, "rasai index: %s\n", Text(p, steps_).c_str());
  std::fflush(out_);
}

void ProgressLine::Clear() {
  if (!terminal_ || !shown_) return;
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  shown_ = false;
}

}  // namespace rasai::cli
