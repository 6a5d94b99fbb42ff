// The operator's pages under /operator/ (server-rendered from /_operator.html, Urdu first with
// English beside it): login, the collection and its sources (remove a source, delete a document),
// adding files (upload with progress, in operator.js), usage. Every change here is also an API
// call (docs/http-api.md); these handlers check the session, its CSRF token and the Origin, and
// answer with a redirect to the page that shows the result.
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "server/operator_sources.h"
#include "server/page.h"
#include "server/router.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai::server {
namespace {

using nlohmann::json;

constexpr const char* kPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";
constexpr size_t kSourcesShown = 500;

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Urdu, then English beside it.
std::string Bi(std::string_view ur, std::string_view en) {
  return "<span class=\"ur\">" + std::string(ur) + "</span> <span class=\"en\" lang=\"en\" dir=\"ltr\">" +
         std::string(en) + "</span>";
}

std::string Number(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return "<span class=\"num\" dir=\"ltr\">" + out + "</span>";
}

std::string Hidden(std::string_view name, std::string_view value) {
  return "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" + HtmlEscape(value) + "\">";
}

HttpResponse Page(const StaticFiles& files, int status, const std::string& page, const std::string& title,
                  const std::string& csrf, const std::string& nav, const std::string& notice,
                  const std::string& content) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = files.RenderTemplate("/_operator.html", {{"title", title},
                                                    {"page", page},
                                                    {"csrf", HtmlEscape(csrf)},
                                                    {"nav", nav},
                                                    {"notice", notice},
                                                    {"content", content}});
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Content-Security-Policy", kPolicy);
  // Same-origin: a form or fetch of these pages sends its true Origin (no-referrer sends "null").
  r.SetHeader("Referrer-Policy", "same-origin");
  return r;
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "See " + location + "\n";
  r.SetHeader("Location", location);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

std::string Nav(const std::string& page, const std::string& csrf) {
  struct Item {
    const char* page;
    const char* href;
    const char* ur;
    const char* en;
  };
  static const Item kItems[] = {{"collection", "/operator", "ذخیرہ", "Collection"},
                                {"upload", "/operator/upload", "شامل کریں", "Add files"},
                                {"usage", "/operator/usage", "استعمال", "Usage"}};
  std::string out = "<nav class=\"op-nav\" aria-label=\"منتظم\"><ul>";
  for (const Item& i : kItems) {
    out += "<li><a href=\"" + std::string(i.href) + "\"" + (page == i.page ? " aria-current=\"page\"" : "") + ">" +
           Bi(i.ur, i.en) + "</a></li>";
  }
  out += "</ul><form method=\"post\" action=\"/operator/logout\" class=\"logout\">" + Hidden("csrf", csrf) +
         "<button type=\"submit\">" + Bi("باہر نکلیں", "Log out") + "</button></form></nav>";
  return out;
}

std::string Notice(const ParsedTarget& target) {
  const std::string* done = target.Param("done");
  if (!done) return "";
  const std::string* what = target.Param("what");
  const std::string w = what ? "«<bdi>" + HtmlEscape(*what) + "</bdi>»" : "";
  std::string text;
  if (*done == "deleted") text = Bi("مضمون حذف ہو گیا:", "Document deleted:") + " " + w;
  else if (*done == "missing") text = Bi("اس شناخت کا کوئی مضمون نہیں:", "No document has this id:") + " " + w;
  else if (*done == "removing") text = Bi("ماخذ ہٹایا جا رہا ہے:", "Removing the source:") + " " + w + " " +
                                       Bi("(نیچے کام کی فہرست دیکھیے)", "(see the jobs below)");
  else if (*done == "failed") text = Bi("کام نہ ہو سکا:", "This did not work:") + " " + w;
  else return "";
  return "<p class=\"op-notice\" role=\"status\">" + text + "</p>";
}

std::string Languages(const std::map<std::string, uint64_t>& langs) {
  std::string out;
  for (const auto& [lang, n] : langs) {
    if (!out.empty()) out += " · ";
    out += "<span class=\"lang\" dir=\"ltr\">" + HtmlEscape(lang.empty() ? "?" : lang) + " " + Number(n) + "</span>";
  }
  return out;
}

// A job's phase or state, in Urdu and English (as operator.js shows them).
std::string Phase(const std::string& name) {
  static const std::pair<const char*, const char*> kUrdu[] = {
      {"queued", "قطار میں"}, {"starting", "شروع"}, {"unpacking", "zip کھولی جا رہی ہے"},
      {"looking for repeated openings", "دہرائی گئی عبارت کی تلاش"}, {"reading", "پڑھا جا رہا ہے"},
      {"committing", "محفوظ کیا جا رہا ہے"}, {"deleting", "حذف ہو رہا ہے"}, {"done", "مکمل"},
      {"indexing", "شامل کیا جا رہا ہے"}, {"checking the archive", "آرکائیو کی جانچ"},
      {"failed", "ناکام"}, {"cancelled", "منسوخ"}};
  for (const auto& [en, ur] : kUrdu)
    if (name == en) return Bi(ur, HtmlEscape(name == "committing" ? "saving" : name));
  return HtmlEscape(name);
}

std::string JobsSection(const IndexJobs& jobs) {
  std::string out =
      "<section class=\"op-card\" id=\"jobs-box\"><h2>" + Bi("کام", "Jobs") + "</h2><ol id=\"jobs\" class=\"jobs\">";
  const std::vector<JobInfo> list = jobs.List();
  for (const JobInfo& j : list) {
    const bool running = j.state == JobState::kQueued || j.state == JobState::kRunning;
    out += "<li class=\"job " + std::string(JobStateName(j.state)) + "\"><span class=\"job-label\" dir=\"auto\">" +
           HtmlEscape(j.label) + "</span> <span class=\"job-state\">" +
           Phase(running ? j.progress.phase : JobStateName(j.state)) + "</span> <span class=\"job-docs\">" +
           Number(j.progress.documents) + " " + Bi("مضامین", "documents") + "</span></li>";
  }
  if (list.empty()) out += "<li class=\"none\">" + Bi("ابھی کوئی کام نہیں۔", "No jobs yet.") + "</li>";
  out += "</ol></section>";
  return out;
}

}  // namespace

HttpResponse Router::OperatorPage(const HttpRequest& request, const std::string& path, const ParsedTarget& target,
                                  const std::shared_ptr<Pending>& pending) {
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (!read && request.method != "POST") {
    HttpResponse r = JsonError(405, "method not allowed; use GET or POST");
    r.SetHeader("Allow", "GET, POST");
    return r;
  }
  std::optional<ParsedTarget> form;  // a POST's fields
  if (!read) {
    const std::string* type = request.Header("Content-Type");
    if (!type || type->find("application/x-www-form-urlencoded") == std::string::npos)
      return JsonError(415, "send the form as application/x-www-form-urlencoded");
    form = ParseTarget("/?" + request.body);
    if (!form) return JsonError(400, "malformed form");
  }
  auto field = [&](std::string_view name) -> std::string {
    const std::string* v = form ? form->Param(name) : nullptr;
    return v ? RepairUtf8(*v) : std::string();
  };

  if (path == "/operator/login") {
    std::string error;
    int status = 200;
    std::string next = read ? (target.Param("next") ? *target.Param("next") : "") : field("next");
    if (!next.starts_with("/operator") || next.find_first_of("\r\n\t\\") != std::string::npos) next = "/operator";
    if (!read) {
      HttpResponse denial;
      const std::string* origin = request.Header("Origin");
      const std::string* host = request.Header("Host");
      if (origin && (!host || (*origin != "http://" + *host && *origin != "https://" + *host)))
        return JsonError(403, "this login comes from another site (Origin " + *origin + ")");
      OperatorSession session;
      switch (sessions_.LogIn(field("token"), options_.operator_token, UnixNow(), &session)) {
        case OperatorSessions::Login::kOk: {
          HttpResponse r = Redirect(next);
          r.SetHeader("Set-Cookie", sessions_.SetCookie(session));
          return r;
        }
        case OperatorSessions::Login::kWrong:
          status = 401;
          error = Bi("یہ ٹوکن درست نہیں۔", "This token is not right.");
          break;
        case OperatorSessions::Login::kThrottled:
          status = 429;
          error = Bi("بہت زیادہ غلط کوششیں: ایک منٹ بعد دوبارہ کوشش کیجیے۔", "Too many wrong tries: try again in a minute.");
          break;
        case OperatorSessions::Login::kDisabled:
          status = 403;
          break;
      }
    }
    if (options_.operator_token.empty()) {
      status = read ? 403 : status;
      error = Bi("منتظم کے صفحات بند ہیں: سرور کے پاس منتظم کا ٹوکن نہیں۔",
                 "The operator pages are off: the server has no operator token (--token-file).");
    }
    const std::string content =
        "<section class=\"op-card op-login\"><h1>" + Bi("منتظم کا داخلہ", "Operator login") + "</h1>" +
        (error.empty() ? "" : "<p class=\"op-error\" role=\"alert\">" + error + "</p>") +
        "<form method=\"post\" action=\"/operator/login\">" + Hidden("next", next) +
        "<label for=\"token\">" + Bi("منتظم کا ٹوکن", "Operator token") + "</label>"
        "<input id=\"token\" name=\"token\" type=\"password\" dir=\"ltr\" autocomplete=\"current-password\" required>"
        "<button type=\"submit\" class=\"op-button\">" + Bi("داخل ہوں", "Log in") + "</button></form>"
        "<p class=\"op-help\">" +
        Bi("ٹوکن سرور کی اس فائل میں ہے جو سروس کو دی گئی، عام طور پر <code dir=\"ltr\">/etc/rasai/operator-token</code>۔",
           "The token is in the file the service was given, usually <code>/etc/rasai/operator-token</code>.") +
        "</p></section>";
    return Page(files_, status, "login", "داخلہ · Login", "", "", "", content);
  }

  // Every other page needs a session; a change also its CSRF token.
  HttpResponse denial;
  std::optional<OperatorSession> session = SessionOf(request, form ? field("csrf") : "", &denial);
  if (!session) {
    if (read) return Redirect("/operator/login?next=" + PercentEncode(path));
    return denial;
  }
  const std::string nav = Nav(path == "/operator" ? "collection" : path.substr(10), session->csrf);

  if (!read) {
    if (path == "/operator/logout") {
      sessions_.LogOut(session->id);
      HttpResponse r = Redirect("/operator/login");
      r.SetHeader("Set-Cookie", OperatorSessions::ClearCookie());
      return r;
    }
    if (path == "/operator/delete-doc") {
      const std::string id = field("id");
      if (id.empty()) return Redirect("/operator?done=failed&what=" + PercentEncode("id?"));
      return RunWrite(
          pending, "delete", id, [this, id](JobContext&) { return DeleteDocNow(id); }, 0,
          [id](const JobOutcome& o) {
            const bool existed = o.status == 200 && o.body.value("existed", false);
            return Redirect(std::string("/operator?done=") + (o.status != 200 ? "failed" : existed ? "deleted" : "missing") +
                            "&what=" + PercentEncode(id));
          });
    }
    if (path == "/operator/remove-source") {
      const std::string source = field("source");
      if (field("confirm") != "yes") return Redirect("/operator?done=failed&what=" + PercentEncode(source));
      HttpResponse r = RemoveSource(source, false, pending, {});
      if (r.status != 202) return Redirect("/operator?done=failed&what=" + PercentEncode(source));
      return Redirect("/operator?done=removing&what=" + PercentEncode(source) + "#jobs-box");
    }
    return JsonError(404, "no such operator form");
  }

  if (path == "/operator") {
    auto snapshot = index_->snapshot();
    const std::vector<SourceSummary> sources = SummarizeSources(*snapshot);
    std::map<std::string, uint64_t> langs;
    for (const SourceSummary& s : sources)
      for (const auto& [l, n] : s.languages) langs[l] += n;
    std::string c = "<h1>" + Bi("ذخیرہ", "Collection") + "</h1><section class=\"op-card\"><dl class=\"op-figures\">";
    c += "<div><dt>" + Bi("مضامین", "Documents") + "</dt><dd>" + Number(snapshot->live_docs()) + "</dd></div>";
    c += "<div><dt>" + Bi("ماخذ", "Sources") + "</dt><dd>" + Number(sources.size()) + "</dd></div>";
    c += "<div><dt>" + Bi("زبانیں", "Languages") + "</dt><dd>" + Languages(langs) + "</dd></div>";
    c += "</dl></section>";
    c += JobsSection(jobs_);
    c += "<section class=\"op-card\"><h2>" + Bi("ماخذ", "Sources") + "</h2><ul class=\"op-sources\">";
    size_t shown = 0;
    for (const SourceSummary& s : sources) {
      if (++shown > kSourcesShown) break;
      const std::string name = s.name.empty() ? Bi("(بغیر ماخذ)", "(no source)") : "<bdi>" + HtmlEscape(s.name) + "</bdi>";
      c += "<li class=\"op-source\"><h3>" + name + "</h3><p class=\"op-meta\">" + Number(s.documents) +
           " " + Bi("مضامین", "documents") + " · " + Languages(s.languages);
      if (!s.first_date.empty())
        c += " · <span class=\"dates\" dir=\"ltr\">" + HtmlEscape(s.first_date) + " – " + HtmlEscape(s.last_date) + "</span>";
      c += "</p><form method=\"post\" action=\"/operator/remove-source\" class=\"op-remove\">" +
           Hidden("csrf", session->csrf) + Hidden("source", s.name) +
           "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> " + Bi("ہاں، سب ہٹا دیں", "Yes, remove all") +
           "</label> <button type=\"submit\" class=\"op-button danger\">" + Bi("ماخذ ہٹائیں", "Remove source") +
           "</button></form></li>";
    }
    if (sources.empty()) c += "<li class=\"none\">" + Bi("ذخیرہ خالی ہے۔", "The collection is empty.") + "</li>";
    c += "</ul>";
    if (sources.size() > kSourcesShown)
      c += "<p class=\"op-help\">" + Bi("پہلے 500 دکھائے گئے؛ سب ‎/api/sources‎ پر ہیں۔", "The first 500 are shown; all are at /api/sources.") + "</p>";
    c += "</section><section class=\"op-card\"><h2>" + Bi("ایک مضمون حذف کریں", "Delete a document") + "</h2>" +
         "<form method=\"post\" action=\"/operator/delete-doc\" class=\"op-inline\">" + Hidden("csrf", session->csrf) +
         "<label for=\"doc-id\">" + Bi("مضمون کی شناخت", "Document id") + "</label>" +
         "<input id=\"doc-id\" name=\"id\" dir=\"auto\" required maxlength=\"2000\">" +
         "<button type=\"submit\" class=\"op-button danger\">" + Bi("حذف کریں", "Delete") + "</button></form>" +
         "<p class=\"op-help\">" +
         Bi("شناخت مضمون کے صفحے کے پتے میں <code dir=\"ltr\">/read/</code> کے بعد لکھی ہوتی ہے۔", "The id is what follows <code>/read/</code> in the article's address.") +
         "</p></section>";
    return Page(files_, 200, "collection", "ذخیرہ · Collection", session->csrf, nav, Notice(target), c);
  }

  if (path == "/operator/upload") {
    std::string c = "<h1>" + Bi("فائلیں شامل کریں", "Add files") + "</h1><section class=\"op-card\">" +
                    "<form id=\"upload-form\" class=\"op-upload\">"
                    "<label for=\"file\">" + Bi("فائل چنیں", "Choose a file") + "</label>"
                    "<input id=\"file\" name=\"file\" type=\"file\" required "
                    "accept=\".jsonl,.ndjson,.json,.html,.htm,.txt,.md,.zip,.zim\">"
                    "<button type=\"submit\" class=\"op-button\">" + Bi("شامل کریں", "Add") + "</button></form>"
                    "<noscript><p class=\"op-error\">" +
                    Bi("فائل بھیجنے کے لیے براؤزر میں جاوا اسکرپٹ چاہیے۔", "Sending a file needs JavaScript in the browser.") +
                    "</p></noscript>"
                    "<div id=\"upload-progress\" class=\"op-progress\" hidden><progress id=\"upload-bar\" max=\"100\"></progress>"
                    "<p id=\"upload-status\" role=\"status\" aria-live=\"polite\"></p></div>"
                    "<div id=\"upload-result\" class=\"op-result\"></div>"
                    "<p class=\"op-help\">" +
                    Bi("<bdi>JSONL</bdi> (ہر سطر ایک مضمون)، <bdi>HTML</bdi> صفحات، متن، محفوظ کی گئی ویب سائٹ کی <code dir=\"ltr\">.zip</code> فائل، یا <bdi>Kiwix</bdi> کی <code dir=\"ltr\">.zim</code> فائل (مثلاً اردو ویکیپیڈیا؛ نیا ایڈیشن پرانے کی جگہ لے لیتا ہے)۔ جس مضمون کا ماخذ نہ ہو، اسے فائل کا نام ماخذ کے طور پر ملتا ہے۔",
                       "JSONL (one document per line), HTML pages, text, a .zip of a saved web site, or a Kiwix .zim archive (e.g. Urdu Wikipedia; a newer edition replaces the older). Documents without a source get the file's name as their source.") +
                    "</p></section>" + JobsSection(jobs_);
    return Page(files_, 200, "upload", "شامل کریں · Add files", session->csrf, nav, Notice(target), c);
  }

  if (path == "/operator/usage") {
    UsageLog::Period period = UsageLog::Period::kWeek;
    std::string period_name = "week";
    if (const std::string* p = target.Param("period")) {
      if (*p == "day") period = UsageLog::Period::kDay, period_name = "day";
      if (*p == "all") period = UsageLog::Period::kAll, period_name = "all";
    }
    const UsageLog::Report report = usage_->Top(period, 50, UnixNow());
    std::string c = "<h1>" + Bi("استعمال", "Usage") + "</h1><nav class=\"op-tabs\" aria-label=\"مدت\">";
    for (auto [name, ur, en] : {std::tuple{"day", "پچھلا دن", "Last day"}, std::tuple{"week", "پچھلا ہفتہ", "Last week"},
                                std::tuple{"all", "شروع سے", "All time"}}) {
      c += "<a href=\"/operator/usage?period=" + std::string(name) + "\"" +
           (period_name == name ? " aria-current=\"page\"" : "") + ">" + Bi(ur, en) + "</a>";
    }
    c += "</nav><section class=\"op-card\"><dl class=\"op-figures\"><div><dt>" + Bi("تلاشیں", "Searches") + "</dt><dd>" +
         Number(report.searches) + "</dd></div><div><dt>" + Bi("کچھ نہ ملا", "Found nothing") + "</dt><dd>" +
         Number(report.found_nothing) + "</dd></div></dl></section>";
    auto table = [&](const char* id, const std::string& heading, const std::vector<UsageLog::Entry>& entries) {
      std::string t = "<section class=\"op-card\"><h2>" + heading + "</h2><table class=\"op-table\" id=\"" + id +
                      "\"><thead><tr><th scope=\"col\">" + Bi("تلاش", "Query") + "</th><th scope=\"col\">" +
                      Bi("بار", "Times") + "</th></tr></thead><tbody>";
      for (const auto& e : entries)
        t += "<tr><td dir=\"auto\"><a href=\"/search?q=" + PercentEncode(e.query) + "\">" + HtmlEscape(e.query) +
             "</a></td><td>" + Number(e.count) + "</td></tr>";
      if (entries.empty())
        t += "<tr><td colspan=\"2\" class=\"none\">" + Bi("اس مدت میں کچھ نہیں۔", "Nothing in this period.") + "</td></tr>";
      return t + "</tbody></table></section>";
    };
    c += table("top-queries", Bi("سب سے زیادہ تلاش", "Most searched"), report.top);
    c += table("zero-queries", Bi("جن کا کچھ نہ ملا", "Searches that found nothing"), report.nothing);
    c += "<p class=\"op-help\">" +
         Bi("صرف گنتی رکھی جاتی ہے: نہ پتے، نہ کسی ایک قاری کی تلاشوں کا سلسلہ۔",
            "Only counts are kept: no addresses, no trail of any one visitor's searches.") +
         "</p>";
    return Page(files_, 200, "usage", "استعمال · Usage", session->csrf, nav, "", c);
  }
  return Page(files_, 404, "missing", "404", session->csrf, nav, "",
              "<p class=\"op-error\">" + Bi("یہ صفحہ موجود نہیں۔", "This page does not exist.") + "</p>");
}

}  // namespace rasai::server
