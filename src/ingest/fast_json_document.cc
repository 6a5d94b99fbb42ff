// FastJsonLine: one JSONL document read with simdjson. It gives exactly what the reference reader
// (ParseJsonLine's nlohmann path) gives, or hands the line back to it.
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/ingest_internal.h"

namespace rasai::ingest_internal {
namespace {

namespace dom = simdjson::dom;

// simdjson counts the document itself as one level: an object holding arrays 255 deep is 256
// levels of brackets, the reference reader's limit (kMaxDepth in json_document.cc). Deeper lines
// fail here and are read (and refused) by the reference reader.
constexpr size_t kMaxDepth = 256;

dom::parser& ThreadParser() {
  thread_local dom::parser parser = [] {
    dom::parser p;
    if (p.allocate(1 << 16, kMaxDepth) != simdjson::SUCCESS) {
    }  // parse() allocates again, with this depth, when it needs room
    return p;
  }();
  return parser;
}

// The reference reader's text of a non-string value (numbers as nlohmann prints them, arrays and
// objects compact): simdjson's minified text, printed again by the reference.
bool ValueText(dom::element v, std::string* out) {
  *out = CanonicalJson(simdjson::minify(v));
  return true;
}

// The text of a known field (see FieldText in json_document.cc); false for an object.
bool FieldText(dom::element v, std::string* out) {
  switch (v.type()) {
    case dom::element_type::NULL_VALUE:
      out->clear();
      return true;
    case dom::element_type::STRING:
      out->assign(v.get_string().value_unsafe());
      return true;
    case dom::element_type::ARRAY: {
      out->clear();
      dom::array array;
      if (v.get(array) != simdjson::SUCCESS) return false;
      for (dom::element e : array) {
        std::string part;
        if (e.type() == dom::element_type::STRING) {
          part.assign(e.get_string().value_unsafe());
        } else if (e.type() != dom::element_type::NULL_VALUE) {
          ValueText(e, &part);
        }
        if (part.empty()) continue;
        if (!out->empty()) out->push_back('\n');
        out->append(part);
      }
      return true;
    }
    case dom::element_type::OBJECT:
      return false;
    default:  // numbers, booleans
      return ValueText(v, out);
  }
}

}  // namespace

std::optional<Result<Document>> FastJsonLine(std::string_view line, bool padded) {
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  dom::element root;
  if (ThreadParser().parse(line.data(), line.size(), !padded).get(root) != simdjson::SUCCESS) return std::nullopt;
  dom::object obj;
  if (root.get(obj) != simdjson::SUCCESS) return Result<Document>(Status::InvalidArgument("not an object"));

  // The fields in order of first appearance, a repeated key holding its last value (as the
  // reference reader keeps them).
  std::vector<std::pair<std::string_view, dom::element>> fields;
  std::unordered_map<std::string_view, size_t> where;  // used past 16 keys
  for (dom::key_value_pair kv : obj) {
    size_t at = fields.size();
    if (fields.size() < 16) {
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].first == kv.key) at = i;
    } else {
      if (where.empty())
        for (size_t i = 0; i < fields.size(); ++i) where.emplace(fields[i].first, i);
      auto [it, added] = where.emplace(kv.key, fields.size());
      at = it->second;
    }
    if (at == fields.size()) {
      fields.emplace_back(kv.key, kv.value);
    } else {
      fields[at].second = kv.value;
    }
  }

  Document doc;
  const dom::element* id = nullptr;
  for (const auto& [key, value] : fields)
    if (key == "id") id = &value;
  if (!id || id->is_null()) return Result<Document>(Status::InvalidArgument("missing id"));
  switch (id->type()) {
    case dom::element_type::STRING:
      doc.id.assign(id->get_string().value_unsafe());
      break;
    case dom::element_type::INT64:
      doc.id = std::to_string(id->get_int64().value_unsafe());
      break;
    case dom::element_type::UINT64:
      doc.id = std::to_string(id->get_uint64().value_unsafe());
      break;
    default:
      return Result<Document>(Status::InvalidArgument("id is not a string or an integer"));
  }
  if (Status st = CheckJsonId(doc.id); !st.ok()) return Result<Document>(std::move(st));
  for (const auto& [key, value] : fields) {
    if (key == "id") continue;
    std::string* target = KnownJsonField(&doc, key);
    if (target && FieldText(value, target)) continue;
    std::string text;
    ValueText(value, &text);
    doc.extra.emplace_back(std::string(key), std::move(text));
  }
  return Result<Document>(std::move(doc));
}

}  // namespace rasai::ingest_internal
