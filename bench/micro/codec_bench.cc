// Postings codec micro benchmarks: bit packing of 128-integer blocks (src/util/bitpack.h).
//   BM_Unpack/<width>        decode 128-value blocks at a fixed width
//   BM_UnpackDeltas/<width>  decode + prefix sum (doc gaps stored minus one)
//   BM_Pack/<width>          encode 128-value blocks
// items_per_second = integers decoded (or encoded) per second. The data is kNumBlocks consecutive
// packed blocks (2M integers, up to 8 MB at width 32), walked in order, so it is not L1-resident.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "util/bitpack.h"

namespace {

constexpr size_t kBlock = 128;
constexpr size_t kNumBlocks = 16384;

struct PackedData {
  std::string bytes;  // kNumBlocks blocks back to back + 8 bytes of slack
  size_t block_bytes;
};

std::vector<uint32_t> RandomValues(uint32_t width, size_t n) {
  std::mt19937_64 rng(width * 7919 + 1);
  const uint64_t mask = width == 32 ? 0xffffffffull : ((1ull << width) - 1);
  std::vector<uint32_t> v(n);
  for (auto& x : v) x = static_cast<uint32_t>(rng() & mask);
  return v;
}

PackedData MakeData(uint32_t width) {
  const auto vals = RandomValues(width, kBlock * kNumBlocks);
  PackedData d;
  d.block_bytes = rasai::PackedBytes(kBlock, width);
  d.bytes.reserve(d.block_bytes * kNumBlocks + 8);
  for (size_t b = 0; b < kNumBlocks; ++b) rasai::Pack(vals.data() + b * kBlock, kBlock, width, &d.bytes);
  d.bytes.append(8, '\0');
  return d;
}

void BM_Unpack(benchmark::State& state) {
  const auto width = static_cast<uint32_t>(state.range(0));
  const PackedData d = MakeData(width);
  const auto* base = reinterpret_cast<const uint8_t*>(d.bytes.data());
  alignas(64) uint32_t out[kBlock];
  size_t b = 0;
  for (auto _ : state) {
    rasai::Unpack(base + b * d.block_bytes, kBlock, width, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
    if (++b == kNumBlocks) b = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBlock);
}

void BM_UnpackDeltas(benchmark::State& state) {
  const auto width = static_cast<uint32_t>(state.range(0));
  const PackedData d = MakeData(width);
  const auto* base = reinterpret_cast<const uint8_t*>(d.bytes.data());
  alignas(64) uint32_t out[kBlock];
  size_t b = 0;
  uint32_t doc_base = 0;
  for (auto _ : state) {
    rasai::UnpackDeltas(base + b * d.block_bytes, kBlock, width, doc_base, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
    doc_base = out[kBlock - 1] & 0xffff;  // dependent, like a real postings walk, but bounded
    if (++b == kNumBlocks) b = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBlock);
}

void BM_Pack(benchmark::State& state) {
  const auto width = static_cast<uint32_t>(state.range(0));
  const auto vals = RandomValues(width, kBlock * kNumBlocks);
  std::string out;
  out.reserve(rasai::PackedBytes(kBlock, width) * kNumBlocks + 8);
  size_t b = 0;
  for (auto _ : state) {
    if (b == 0) out.clear();
    rasai::Pack(vals.data() + b * kBlock, kBlock, width, &out);
    benchmark::DoNotOptimize(out.data());
    if (++b == kNumBlocks) b = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kBlock);
}

void Widths(benchmark::internal::Benchmark* b) {
  for (int w = 1; w <= 20; ++w) b->Arg(w);
  b->Arg(32);
}

BENCHMARK(BM_Unpack)->Apply(Widths);
BENCHMARK(BM_UnpackDeltas)->Apply(Widths);
BENCHMARK(BM_Pack)->Arg(4)->Arg(8)->Arg(12)->Arg(20)->Arg(32);

}  // namespace
