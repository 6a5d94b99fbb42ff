// rasai extract: print the documents ingest would produce, touching no index. With --explain,
// also how each HTML page was read: the block taken as the article, every block left out and
// why, and for the pages of a folder that are skipped (listings, copies), the reason.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/zim_cli.h"
#include "rasai/ingest.h"

namespace rasai::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

bool IsHtmlName(const std::string& name) {
  std::string n = name.substr(0, name.find('?'));
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* ext : {".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp"})
    if (n.ends_with(ext)) return true;
  return false;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json ReportJson(const ExtractionReport& r) {
  Json j;
  j["page"] = r.page_kind;
  if (r.whole_page) {
    j["article"] = "none found: the page's whole text is kept";
  } else {
    j["article"] = r.container;
    j["score"] = static_cast<double>(static_cast<long long>(r.score * 10 + 0.5)) / 10;
    j["pass"] = r.attempt;
  }
  Json removed = Json::array();
  for (const auto& b : r.removed)
    removed.push_back({{"element", b.element}, {"reason", b.reason}, {"chars", b.chars}, {"text", b.text}});
  j["removed"] = std::move(removed);
  return j;
}

void PrintReport(const ExtractionReport& r) {
  std::cout << "-- page: " << r.page_kind << "\n";
  if (r.whole_page) {
    std::cout << "-- no article found: the page's whole text is kept\n";
  } else {
    std::cout << "-- article: " << r.container << " (score " << r.score << ", pass " << r.attempt << ")\n";
  }
  for (const auto& b : r.removed)
    std::cout << "-- removed " << b.element << " (" << b.reason << ", " << b.chars << " chars): " << b.text << "\n";
}

int RunExtract(const std::vector<std::string>& paths, bool as_json, bool explain) {
  IngestStats stats;
  const SplitInputs split = SplitZimInputs(paths);  // ZIM archives are read by zim_cli
  for (const auto& p : split.others) {
    const bool folder = fs::is_directory(p);
    Status s = IngestPath(
        p,
        [&](Document&& d) -> Status {
          ExtractionReport report;
          const fs::path file = folder ? fs::path(p) / d.id : fs::path(p);
          const bool html = explain && IsHtmlName(file.filename().string()) && fs::is_regular_file(file);
          if (html) ExplainHtml(d.id, Read(file), &report);
          if (as_json) {
            if (html) {
              Json j = Json::parse(DocumentToJson(d));
              j["explain"] = ReportJson(report);
              std::cout << j.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
            } else {
              std::cout << DocumentToJson(d) << "\n";
            }
          } else {
            std::cout << "== " << d.id << "\n" << d.title << "\n\n" << d.body << "\n\n";
            if (html) {
              PrintReport(report);
              std::cout << "\n";
            }
          }
          return Status::OK();
        },
        &stats);
    if (!s.ok()) return Fail(s);
  }
  for (const auto& p : split.archives) {
    Status s = ReadZimArchive(
        p,
        [&](Document&& d) -> Status {
          if (as_json) {
            std::cout << DocumentToJson(d) << "\n";
          } else {
            std::cout << "== " << d.id << "\n" << d.title << "\n\n" << d.body << "\n\n";
          }
          return Status::OK();
        },
        &stats);
    if (!s.ok()) return Fail(s);
  }
  for (const auto& p : stats.problems) {
    const std::string where = p.file + (p.line ? ":" + std::to_string(p.line) : "");
    if (explain && as_json) {
      std::cout << Json{{"file", where}, {"skipped", p.reason}}.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
    } else {
      std::cerr << where << ": " << p.reason << "\n";
    }
  }
  return 0;
}

}  // namespace

Command AddExtractCommand(CLI::App& app) {
  struct Options {
    std::vector<std::string> paths;
    bool as_json = false;
    bool explain = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("extract", "Print the documents ingest would produce, touching no index");
  sub->add_flag("--json", o->as_json, "One JSON object per document");
  sub->add_flag("--explain", o->explain,
                "Also say how each HTML page was read: the block taken as the article, what was removed and why, "
                "and which pages of a folder are skipped");
  sub->add_option("paths", o->paths, "Files or folders")->required();
  return {sub, [o] { return RunExtract(o->paths, o->as_json, o->explain); }};
}

}  // namespace rasai::cli
