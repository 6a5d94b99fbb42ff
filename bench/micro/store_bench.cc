// Stored-document fetch micro benchmarks (src/index, docs/format: .sth and .stt), on an index of
// urdu-news + urdu-headlines (74,673 documents) built as rasai-index-bench builds it (title and
// body indexed, metadata stored, no summary). Each iteration reads one document picked at random
// (a fixed sequence of 8,192), as the hits of a query are:
//   BM_StoredHead        SegmentReader::StoredHead: what a hit shows (id, title, url, date, ...)
//   BM_StoredFull        SegmentReader::Stored: head + body (the snippet and /api/doc path)
// The layouts that were compared to choose format 2, on the same records in memory:
//   BM_BlockFetch/<store>/<KiB>  records in zstd (level 3) blocks of about KiB raw bytes: one
//                                fetch = find the block, decompress it whole, skip to the record
//                                (<store> 0 = head records, 1 = text records; 16 KiB, both
//                                records together, was format 1)
// items_per_second = documents fetched per second; 1e6 / that = microseconds per document.
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_common.h"
#include "micro_bench.h"

#if RASAI_BENCH_HAVE_RASAI
#include "index/store.h"
#include "rasai/index.h"
#include "util/coding.h"

namespace {

struct StoreFixture {
  std::string dir;
  std::unique_ptr<rasai::Index> index;
  std::shared_ptr<const rasai::Snapshot> snap;
  std::vector<rasai::Document> docs;
  std::vector<std::pair<uint32_t, uint32_t>> probes;  // (segment, doc)
  std::string error;

  StoreFixture() {
    const std::string data = rasai_bench::MicroDataDir();
    try {
      for (const char* f : {"/urdu/urdu-news.jsonl", "/urdu/urdu-headlines.jsonl"})
        for (const auto& d : rasai_bench::LoadJsonlDocs(data + f)) docs.push_back(rasai_bench::ToRasaiDocument(d, "ur"));
    } catch (const std::exception& e) {
      error = e.what();
      return;
    }
    dir = (std::filesystem::temp_directory_path() / ("rasai-store-bench-" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir);
    rasai::IndexOptions o;
    o.schema.fields = {"title", "body"};
    auto idx = rasai::Index::Open(dir, o);
    if (!idx.ok()) {
      error = idx.status().ToString();
      return;
    }
    for (const auto& d : docs)
      if (!(*idx)->Add(d).ok()) error = "add failed";
    if (!(*idx)->Commit().ok()) error = "commit failed";
    index = std::move(*idx);
    snap = index->snapshot();
    std::mt19937 rng(7);
    for (int i = 0; i < 8192; ++i) {
      const uint32_t s = static_cast<uint32_t>(rng() % snap->segments().size());
      probes.emplace_back(s, static_cast<uint32_t>(rng() % snap->segments()[s]->max_doc()));
    }
  }
  ~StoreFixture() {
    snap.reset();
    index.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
};

StoreFixture& Fixture() {
  static StoreFixture f;
  return f;
}

template <bool kHead>
void FetchStored(benchmark::State& state) {
  StoreFixture& f = Fixture();
  if (!f.error.empty() || !f.snap) {
    state.SkipWithError(("no index: " + f.error).c_str());
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    const auto& [s, d] = f.probes[i];
    auto doc = kHead ? f.snap->segments()[s]->StoredHead(d) : f.snap->segments()[s]->Stored(d);
    if (!doc.ok()) {
      state.SkipWithError(doc.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(doc->title.data());
    if (++i == f.probes.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_StoredHead(benchmark::State& state) { FetchStored<true>(state); }
void BM_StoredFull(benchmark::State& state) { FetchStored<false>(state); }
BENCHMARK(BM_StoredHead);
BENCHMARK(BM_StoredFull);

// The block layouts, in memory.
void BM_BlockFetch(benchmark::State& state) {
  StoreFixture& f = Fixture();
  if (!f.error.empty() || f.docs.empty()) {
    state.SkipWithError(("no data: " + f.error).c_str());
    return;
  }
  const bool head = state.range(0) == 0;
  const size_t block = static_cast<size_t>(state.range(1)) << 10;
  struct Block {
    uint32_t first;
    size_t off, clen, rlen;
  };
  std::vector<Block> blocks;
  std::string packed, raw, tmp;
  uint32_t first = 0;
  auto flush = [&] {
    if (raw.empty()) return;
    tmp.resize(ZSTD_compressBound(raw.size()));
    const size_t c = ZSTD_compress(tmp.data(), tmp.size(), raw.data(), raw.size(), 3);
    blocks.push_back({first, packed.size(), c, raw.size()});
    packed.append(tmp.data(), c);
    raw.clear();
  };
  for (uint32_t d = 0; d < f.docs.size(); ++d) {
    if (raw.empty()) first = d;
    const size_t before = raw.size();
    if (head) rasai::SerializeHead(f.docs[d], &raw); else rasai::SerializeText(f.docs[d], &raw);
    // Each record gets a length prefix so a fetch can skip records without parsing them.
    std::string len;
    rasai::PutVarint(&len, raw.size() - before);
    raw.insert(before, len);
    if (raw.size() >= block) flush();
  }
  flush();
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  std::mt19937 rng(7);
  std::vector<uint32_t> probes(8192);
  for (auto& p : probes) p = static_cast<uint32_t>(rng() % f.docs.size());
  std::string out;
  size_t i = 0;
  for (auto _ : state) {
    const uint32_t d = probes[i];
    auto it = std::upper_bound(blocks.begin(), blocks.end(), d, [](uint32_t x, const Block& b) { return x < b.first; });
    --it;
    out.resize(it->rlen);
    ZSTD_decompressDCtx(dctx, out.data(), out.size(), packed.data() + it->off, it->clen);
    rasai::Decoder dec(out);
    for (uint32_t k = it->first; k < d; ++k) dec.String();
    benchmark::DoNotOptimize(dec.String().data());
    if (++i == probes.size()) i = 0;
  }
  ZSTD_freeDCtx(dctx);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["MB"] = static_cast<double>(packed.size()) / 1e6;
}
BENCHMARK(BM_BlockFetch)->ArgsProduct({{0, 1}, {1, 2, 4, 8, 16}});

}  // namespace
#endif  // RASAI_BENCH_HAVE_RASAI
