// Internal helpers shared by the ingest readers (not part of the public API).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/document.h"
#include "rasai/ingest.h"
#include "rasai/status.h"

namespace rasai::ingest_internal {

// ParseJsonDocument, also telling whether the line had to be repaired (broken UTF-8 replaced).
Result<Document> ParseJsonLine(std::string_view line, bool* repaired);

// ParseJsonLine by the reference reader alone (nlohmann), without the simdjson path: what the
// fast path must agree with (tests and the fuzz target compare them).
Result<Document> ReferenceJsonLine(std::string_view line, bool* repaired);

// The same line read with simdjson: the Document or the refusal ParseJsonLine gives, or nullopt
// when the line must be read by the reference reader (nlohmann), which alone words parse errors
// and repairs broken UTF-8: any line simdjson does not take (malformed, broken UTF-8, a number it
// cannot hold, nesting deeper than 256). `padded`: the SIMDJSON_PADDING bytes after the line may
// be read (they are not interpreted); otherwise the line is copied first.
std::optional<Result<Document>> FastJsonLine(std::string_view line, bool padded);

// What both JSON readers require of a document's id once read as text: not empty (or blank),
// no control character (an id is also a path, /read/{id}, and a line of output). OK or
// InvalidArgument ("empty id", "id holds a control character").
Status CheckJsonId(std::string_view id);

// The Document field a JSON key fills as text (title, body, summary, url, date, lang, source,
// category), or nullptr for any other key (kept in `extra`; "id" is read apart).
std::string* KnownJsonField(Document* doc, std::string_view key);

// A valid JSON text printed as the reference reader prints values (compact, numbers in
// nlohmann's form), e.g. for a document's extra fields.
std::string CanonicalJson(std::string_view json);

// A whole JSON text (a .json file) holding one object or an array of them: each object as
// its own JSON text, for ParseJsonLine. Errors: "malformed JSON: ...", "not an object".
Result<std::vector<std::string>> JsonItems(std::string_view text, bool* repaired);

// Text with ill-formed UTF-8 replaced, a leading byte order mark removed and CR LF / CR turned
// into LF. Sets *repaired when broken UTF-8 was replaced.
std::string CleanText(std::string_view raw, bool* repaired);

// Like CleanText, but also decodes UTF-16 text that starts with a byte order mark (FF FE or
// FE FF); *repaired is set when anything had to be replaced.
std::string DecodeText(std::string_view raw, bool* repaired);

// The charset an HTML page declares in its first 1024 bytes (<meta charset=...> or
// content="...; charset=..."), lower-cased; "" when none.
std::string SniffHtmlCharset(std::string_view html);

// `bytes` in `charset` (any name ICU knows) converted to UTF-8 into *out; false when the
// charset is unknown or the conversion failed. Unmappable bytes become U+FFFD.
bool ConvertToUtf8(std::string_view bytes, const std::string& charset, std::string* out);

// What HtmlDocument had to do to a page besides repairing its text.
struct HtmlNotes {
  bool flattened = false;    // elements nested more than 512 deep: the deeper ones flattened
  bool unformatted = false;  // over the parser's memory budget as it is: parsed without its
                             // formatting elements (<a>, <b>, <font>, …; their text kept)
  bool too_complex = false;  // over budget even so: no document (all empty)
};

// The readers behind DocumentFromText / DocumentFromHtml, also telling whether broken text had
// to be replaced (for IngestPath's report).
Document TextDocument(std::string_view id, std::string_view content, bool markdown, bool* repaired);
// With `report`, also what the article extractor removed from the page and why; with `facts`,
// what tells an article from other pages (site_mirror.h).
struct PageFacts;
Document HtmlDocument(std::string_view id, std::string_view html, bool* repaired, HtmlNotes* notes = nullptr,
                      ExtractionReport* report = nullptr, PageFacts* facts = nullptr);

// `s` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view s);

// Runs of ASCII whitespace (and NBSP) collapsed to one space, trimmed.
std::string CollapseSpaces(std::string_view s);

}  // namespace rasai::ingest_internal
