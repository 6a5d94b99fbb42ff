// ProgressLine: how `rasai index` shows a long batch. On a terminal, one line updated in place
// (step, documents, documents/s, MB/s, estimated time left of the step); elsewhere (a log, a
// pipe), a plain line every 10 seconds, so that short runs print nothing extra.
// Thread-safety: one thread (the batch's progress callback runs on the caller's thread).
#pragma once

#include <cstdio>
#include <string>

#include "rasai/batch.h"

namespace rasai::cli {

class ProgressLine {
 public:
  // `steps`: 2 when the repeated-openings rule reads the batch before indexing it, else 1.
  ProgressLine(std::FILE* out, bool terminal, int steps) : out_(out), terminal_(terminal), steps_(steps) {}
  ~ProgressLine() { Clear(); }
  void Update(const BatchProgress& p);
  // Removes the line from a terminal (before the summary is printed).
  void Clear();
  // The text shown for `p` (without the carriage return); for tests.
  static std::string Text(const BatchProgress& p, int steps);

 private:
  std::FILE* out_;
  bool terminal_;
  int steps_;
  bool shown_ = false;
  double next_plain_ = 10;  // seconds into the batch of the next plain line
};

}  // namespace rasai::cli
