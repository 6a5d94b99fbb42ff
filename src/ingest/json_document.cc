// JSONL documents: one JSON object per line (contract "Input JSONL" in ARCHITECTURE.md), and the
// way back (DocumentToJson).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest_internal.h"
#include "rasai/ingest.h"
#include "util/utf8.h"

namespace rasai {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann's parser is iterative but dump() and the destructor of very deep values are not
// worth trusting with a 40 MB "[[[[..." line; documents never nest this deep.
constexpr int kMaxDepth = 256;
constexpr size_t kMaxReasonBytes = 160;

// The deepest nesting of arrays/objects in `s`, ignoring brackets inside strings; stops early
// once `limit` is exceeded.
int NestingDepth(std::string_view s, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        max_depth = depth;
        if (max_depth > limit) return max_depth;
      }
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  return max_depth;
}

// At most `max` bytes of `s`, cut at a code point boundary.
std::string TruncateUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while parsing
// value - invalid literal; last read: '...'" -> "column 5: syntax error while parsing value -
// invalid literal".
std::string ShortReason(std::string_view what) {
  if (auto p = what.find("] "); p != std::string_view::npos) what.remove_prefix(p + 2);
  if (what.starts_with("parse error at line 1, ")) what.remove_prefix(23);
  if (what.starts_with("parse error at ")) what.remove_prefix(15);
  if (auto p = what.find("; last read"); p != std::string_view::npos) what = what.substr(0, p);
  std::string out = TruncateUtf8(what, kMaxReasonBytes);
  // The reason may quote bytes of the input; keep it printable and valid.
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return RepairUtf8(out);
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The text of a known field: strings as they are, numbers and booleans as their JSON text,
// arrays as their elements one per line (some collections store paragraphs that way).
bool FieldText(const Json& v, std::string* out) {
  switch (v.type()) {
    case Json::value_t::null:
      out->clear();
      return true;
    case Json::value_t::string:
      *out = v.get_ref<const std::string&>();
      return true;
    case Json::value_t::array: {
      out->clear();
      for (const auto& e : v) {
        std::string part;
        if (e.is_string()) {
          part = e.get_ref<const std::string&>();
        } else if (!e.is_null()) {
          part = Dump(e);
        }
        if (part.empty()) continue;
        if (!out->empty()) out->push_back('\n');
        out->append(part);
      }
      return true;
    }
    case Json::value_t::object:
    case Json::value_t::discarded:
    case Json::value_t::binary:
      return false;
    default:  // numbers, booleans
      *out = Dump(v);
      return true;
  }
}

// `in` as valid UTF-8 without a byte-order mark: `in` itself, or a repaired copy kept in
// *storage (then *repaired is set).
std::string_view CleanUtf8(std::string_view in, std::string* storage, bool* repaired) {
  bool fixed = false;
  if (!IsValidUtf8(in)) {
    *storage = RepairUtf8(in, &fixed);
    in = *storage;
  }
  if (repaired) *repaired = fixed;
  if (in.starts_with("\xEF\xBB\xBF")) in.remove_prefix(3);
  return in;
}

}  // namespace

namespace ingest_internal {

Status CheckJsonId(std::string_view id) {
  if (Trim(id).empty()) return Status::InvalidArgument("empty id");
  if (std::any_of(id.begin(), id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return Status::InvalidArgument("id holds a control character");
  return Status::OK();
}

std::string* KnownJsonField(Document* doc, std::string_view key) {
  if (key.empty()) return nullptr;
  switch (key[0]) {  // one comparison for most keys
    case 't':
      return key == "title" ? &doc->title : nullptr;
    case 'b':
      return key == "body" ? &doc->body : nullptr;
    case 's':
      return key == "summary" ? &doc->summary : key == "source" ? &doc->source : nullptr;
    case 'u':
      return key == "url" ? &doc->url : nullptr;
    case 'd':
      return key == "date" ? &doc->date : nullptr;
    case 'l':
      return key == "lang" ? &doc->lang : nullptr;
    case 'c':
      return key == "category" ? &doc->category : nullptr;
    default:
      return nullptr;
  }
}

std::string CanonicalJson(std::string_view json) {
  try {
    return Dump(Json::parse(json.begin(), json.end()));
  } catch (const std::exception&) {
    return std::string(json);
  }
}

Result<Document> ParseJsonLine(std::string_view line, bool* repaired) {
  if (auto fast = FastJsonLine(line, /*padded=*/false)) {
    if (repaired) *repaired = false;
    return std::move(*fast);
  }
  return ReferenceJsonLine(line, repaired);
}

Result<Document> ReferenceJsonLine(std::string_view line, bool* repaired) {
  std::string repaired_text;
  line = CleanUtf8(line, &repaired_text, repaired);

  if (NestingDepth(line, kMaxDepth) > kMaxDepth) {
    return Status::InvalidArgument("malformed JSON: nested too deeply");
  }
  Json j;
  try {
    j = Json::parse(line.begin(), line.end());
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument("malformed JSON: " + ShortReason(e.what()));
  } catch (const std::exception& e) {
    return Status::InvalidArgument("malformed JSON: " + ShortReason(e.what()));
  }
  if (!j.is_object()) return Status::InvalidArgument("not an object");

  Document doc;
  auto id = j.find("id");
  if (id == j.end() || id->is_null()) return Status::InvalidArgument("missing id");
  if (id->is_string()) {
    doc.id = id->get<std::string>();
  } else if (id->is_number_unsigned()) {
    doc.id = std::to_string(id->get<uint64_t>());
  } else if (id->is_number_integer()) {
    doc.id = std::to_string(id->get<int64_t>());
  } else {
    return Status::InvalidArgument("id is not a string or an integer");
  }
  RASAI_RETURN_IF_ERROR(CheckJsonId(doc.id));
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    if (key == "id") continue;
    std::string* target = KnownJsonField(&doc, key);
    // A known field holding an object cannot be text: keep it, like any other field.
    if (target && FieldText(it.value(), target)) continue;
    doc.extra.emplace_back(key, Dump(it.value()));
  }
  return doc;
}

Result<std::vector<std::string>> JsonItems(std::string_view text, bool* repaired) {
  std::string repaired_text;
  text = CleanUtf8(text, &repaired_text, repaired);
  if (NestingDepth(text, kMaxDepth + 1) > kMaxDepth + 1) {
    return Status::InvalidArgument("malformed JSON: nested too deeply");
  }
  Json j;
  try {
    j = Json::parse(text.begin(), text.end());
  } catch (const std::exception& e) {
    return Status::InvalidArgument("malformed JSON: " + ShortReason(e.what()));
  }
  std::vector<std::string> items;
  if (j.is_object()) {
    items.push_back(Dump(j));
  } else if (j.is_array()) {
    items.reserve(j.size());
    for (auto& e : j) {
      items.push_back(Dump(e));
      e = nullptr;  // free as we go
    }
  } else {
    return Status::InvalidArgument("not an object");
  }
  return items;
}

}  // namespace ingest_internal

Result<Document> ParseJsonDocument(std::string_view line) {
  return ingest_internal::ParseJsonLine(line, nullptr);
}

std::string DocumentToJson(const Document& doc) {
  Json j = Json::object();
  j["id"] = doc.id;
  j["title"] = doc.title;
  j["body"] = doc.body;
  const std::array<std::pair<const char*, const std::string*>, 6> optional = {{
      {"summary", &doc.summary},
      {"url", &doc.url},
      {"date", &doc.date},
      {"lang", &doc.lang},
      {"source", &doc.source},
      {"category", &doc.category},
  }};
  for (const auto& [name, value] : optional) {
    if (!value->empty()) j[name] = *value;
  }
  for (const auto& [name, text] : doc.extra) {
    // The contract fields win over a stray duplicate, except an empty one standing for a value
    // that could not be text (e.g. "title": {...}).
    if (auto it = j.find(name); it != j.end()) {
      if (!(it->is_string() && it->get_ref<const std::string&>().empty())) continue;
    }
    Json v;
    bool parsed = false;
    if (NestingDepth(text, kMaxDepth) <= kMaxDepth) {
      try {
        v = Json::parse(text);
        parsed = true;
      } catch (const std::exception&) {
        parsed = false;
      }
    }
    // Extra values normally come from ParseJsonDocument as JSON text; anything else is kept
    // as a string rather than producing invalid output.
    j[name] = parsed ? std::move(v) : Json(text);
  }
  return Dump(j);
}

}  // namespace rasai
