// Deletion bitmap files.
#include "index/deletions.h"

#include "index/format.h"
#include "util/coding.h"

namespace rasai {

std::string EncodeDeletions(const std::vector<uint64_t>& bits) {
  std::string s;
  for (uint64_t w : bits) PutFixed64(&s, w);
  return s;
}

Result<std::vector<uint64_t>> LoadDeletions(const Directory& dir, const std::string& name, uint32_t max_doc) {
  auto f = dir.OpenMapped(name);
  if (!f.ok()) return f.status();
  auto body = CheckedBody(**f, "DEL1", name);
  if (!body.ok()) return body.status();
  const size_t words = (max_doc + 63) / 64;
  if (body->size() != words * 8) return Status::Corruption(name + ": wrong size for " + std::to_string(max_doc) + " docs");
  std::vector<uint64_t> bits(words);
  for (size_t i = 0; i < words; ++i) bits[i] = DecodeFixed64(body->data() + 8 * i);
  return bits;
}

}  // namespace rasai
