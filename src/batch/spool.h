// Spool: the documents of a batch, read once from their inputs, kept for the passes that follow
// (the repeated-openings passes and the indexing pass) so that no input is read or parsed twice.
// A block holds the documents of one ingest unit, compressed with zstd (level 1). Blocks stay in
// memory up to a budget, then go to a file that is unlinked as soon as it is created: it takes
// no name in the folder and disappears with the process, even one that is killed.
// Thread-safety: Append is called by one thread; once the appends are over, Read may be called from
// any number of threads. EncodeBlock and DecodeBlock are safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rasai/document.h"
#include "rasai/status.h"

namespace rasai::batch_internal {

// The documents of one unit, with their file and lines (see IngestUnit).
struct SpoolBlock {
  std::string file;
  std::vector<Document> docs;
  std::vector<uint64_t> lines;
  uint64_t bytes = 0;  // input bytes the unit covered
};

// Serialized and compressed; "" for an empty block.
std::string EncodeBlock(const SpoolBlock& block);
// What EncodeBlock was given; Corruption when `data` is not such a block.
Result<SpoolBlock> DecodeBlock(std::string_view data);

class Spool {
 public:
  // Blocks beyond `memory_budget` bytes go to an unlinked file in `dir` ("" = never: all in memory).
  Spool(std::string dir, size_t memory_budget) : dir_(std::move(dir)), budget_(memory_budget) {}
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  Status Append(std::string block);
  size_t blocks() const { return index_.size(); }
  uint64_t bytes() const { return bytes_; }
  bool spilled() const { return fd_ >= 0; }
  // The i-th block as appended.
  Result<std::string> Read(size_t i) const;

 private:
  struct Where {
    bool in_file;
    uint64_t offset;  // into the file, or index into memory_
    uint64_t size;
  };
  Status Spill();
  std::string dir_;
  size_t budget_;
  int fd_ = -1;
  uint64_t file_size_ = 0, bytes_ = 0, memory_bytes_ = 0;
  std::vector<std::string> memory_;
  std::vector<Where> index_;
};

}  // namespace rasai::batch_internal
