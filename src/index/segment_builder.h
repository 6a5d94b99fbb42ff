// Internal: SegmentBuilder, which writes the files of one new segment (term dictionary,
// postings, positions, norms, doc values, stored documents) from terms and documents given in
// order. A flush of the write buffer and a merge both build segments with it.
// Format: docs/format/README.md.
//
// Thread-safety: single-threaded, except as said of AddTerm and StoreBatch below.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/format.h"
#include "index/store.h"
#include "rasai/document.h"
#include "util/file.h"

namespace rasai {

// Builds the files of one new segment. Call order: SetNorms; AddTerm for fields in increasing
// id and terms in byte order; AddDocument for docs 0..max_doc-1 (any time); Finish.
// After SetStoreDictionaries, AddTerm and the stored documents (AddHead, AddText, StoreBatch)
// touch disjoint state and files: the terms may be added while other threads add the documents.
class SegmentBuilder {
 public:
  SegmentBuilder(Directory* dir, std::string name, int ntext_fields);
  ~SegmentBuilder();
  Status Open();
  const std::string& name() const { return name_; }
  void SetNorms(std::vector<std::vector<uint8_t>> norms);  // [field][doc]
  // docs ascending; pos holds, for each doc, freq position varints (empty for the _id field).
  Status AddTerm(int field, std::string_view term, const uint32_t* docs, const uint32_t* freqs, size_t n,
                 std::string_view pos);
  // The dictionaries of the two stored-record files (see MakeStoreDictionary); empty = none.
  // Call before the first AddDocument; without it, no dictionaries.
  Status SetStoreDictionaries(std::string head, std::string text);
  // Stored fields and doc values of the next document: AddHead then AddText.
  Status AddDocument(const Document& doc, const std::string& lang);
  // The head record and doc values of the next document.
  Status AddHead(const Document& doc, const std::string& lang);
  // The text record of the next document (call it once per AddHead, in the same order).
  Status AddText(const Document& doc);
  // The stored records (head and text) and doc values of documents 0..n-1 (doc(i) is document i,
  // lang(i) its language), compressed by every thread that calls Work (any number at once, each
  // until it returns) and written in order as they are ready (a chunk of 64 documents held
  // only until the chunks before it are written), the rest by Finish. Equivalent to
  // AddDocument for each document in turn; the bytes written are the same.
  class StoreBatch {
   public:
    StoreBatch(SegmentBuilder* sb, size_t n, std::function<const Document&(size_t)> doc,
               std::function<const std::string&(size_t)> lang);
    ~StoreBatch();
    void Work();
    Status Finish();  // after every Work returned

   private:
    struct Chunk {
      std::string frames;
      std::vector<uint32_t> lens;
      std::vector<uint64_t> raw;     // record sizes
      std::vector<std::pair<uint64_t, uint64_t>> hashes;  // ContentHash, ArticleSimHash of each doc (head chunks)
      Status status;
      bool done = false;  // compressed (under write_mu_)
    };
    Status WriteChunk(size_t c);  // under write_mu_
    static constexpr size_t kChunkDocs = 64;
    SegmentBuilder* sb_;
    size_t n_, nchunks_;  // chunks per store: heads are chunks [0, nchunks_), texts the rest
    std::function<const Document&(size_t)> doc_;
    std::function<const std::string&(size_t)> lang_;
    std::vector<Chunk> chunks_;
    std::atomic<size_t> next_{0};
    std::mutex write_mu_;
    size_t written_ = 0;  // chunks [0, written_) are written
    Status write_status_;
  };
  Status Finish(SegmentMeta* meta);

 private:
  Status FinishTermBlock();
  void AddDocValues(const Document& doc, const std::string& lang, uint64_t content_hash, uint64_t simhash);
  Directory* dir_;
  std::string name_;
  int ntext_;
  std::unique_ptr<FormatWriter> tim_, doc_, pos_;
  StoreWriter sth_, stt_;
  bool store_started_ = false;
  std::vector<std::vector<uint8_t>> norms_;
  // term dictionary state
  int cur_field_ = -1;
  struct BlockRef {
    std::string first;
    uint64_t offset;
    uint32_t nterms;
  };
  std::vector<std::vector<BlockRef>> tindex_;
  std::string tblock_, last_term_;
  uint32_t tblock_n_ = 0;
  uint64_t last_doc_off_ = 0, last_pos_off_ = 0;
  uint32_t ndocs_ = 0;
  // doc values
  std::vector<std::string> dicts_[3];
  std::vector<std::unordered_map<std::string, uint32_t>> dict_maps_;
  std::string dv_rows_;
  std::string scratch_, text_scratch_;
  std::string skip_buf_, data_buf_, head_buf_;  // AddTerm's buffers, reused
};

}  // namespace rasai
