// Document: the unit every ingest reader produces and the index stores.
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rasai {

struct Document {
  std::string id;        // unique, required
  std::string title;
  std::string body;
  std::string summary;
  std::string url;
  std::string date;      // ISO 8601 as given ("" when unknown)
  std::string lang;      // BCP 47 ("" = detect at index time)
  std::string source;
  std::string category;
  // Any other input fields: name -> JSON text of the value (e.g. "\"x\"", "42", "[1,2]").
  // Stored and returned, never indexed.
  std::vector<std::pair<std::string, std::string>> extra;

  // The value of a text field by name ("title", "body", "summary"); nullptr for other names.
  const std::string* TextField(std::string_view name) const {
    if (name == "title") return &title;
    if (name == "body") return &body;
    if (name == "summary") return &summary;
    return nullptr;
  }
};

}  // namespace rasai
