// ExtractionReport helpers (contract in extraction_report.h).
#include "ingest/extraction_report.h"

#include <utility>

#include "ingest/dom.h"

namespace rasai::ingest_internal {

std::string DescribeElement(const Dom& dom, int node) {
  std::string out = dom.TagName(node);
  std::string_view cls = dom.Attr(node, "class");
  int classes = 0;
  while (!cls.empty() && classes < 3) {
    const size_t b = cls.find_first_not_of(" \t\n\r\f");
    if (b == std::string_view::npos) break;
    cls.remove_prefix(b);
    const size_t e = cls.find_first_of(" \t\n\r\f");
    out += '.';
    out += cls.substr(0, e);
    ++classes;
    if (e == std::string_view::npos) break;
    cls.remove_prefix(e);
  }
  const std::string_view id = dom.Attr(node, "id");
  if (!id.empty() && id.size() < 80) {
    out += '#';
    out += id;
  }
  return out;
}

void ReportRemoved(const Dom& dom, int node, std::string reason, ExtractionReport* report) {
  if (!report) return;
  const size_t chars = dom.TextLength(node);
  if (chars == 0) return;
  RemovedBlock b;
  b.element = DescribeElement(dom, node);
  b.reason = std::move(reason);
  b.text = dom.InnerText(node, 160);
  b.chars = chars;
  report->removed.push_back(std::move(b));
}

}  // namespace rasai::ingest_internal
