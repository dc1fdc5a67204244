#include "core/http/status_page.h"

#include "core/expo/json_api.h"

namespace ferry::core::http {
namespace {

std::string timeText(double seconds) {
  if (seconds <= 0) return "never";
  return expo::formatRfc3339Nano(static_cast<int64_t>(seconds * 1e9));
}

}  // namespace

std::string renderStatusPage(const AppContext& context) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Ferry</title>"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.fail{color:#b00}"
      ".label{background:#eef;border-radius:3px;padding:1px 4px;margin-right:4px}</style>"
      "</head>\n<body>\n<h1>Ferry</h1>\n<h2>Metrics</h2>\n";
  context.store.read([&](const store::StoreView& view) {
    if (view.groups.empty()) out += "<p>No groups.</p>\n";
    for (const auto& [key, group] : view.groups) {
      out += "<details><summary>";
      for (const auto& [name, value] : group->labels) {
        out += "<span class=\"label\">";
        appendHtmlEscaped(out, name);
        out += "=\"";
        appendHtmlEscaped(out, value);
        out += "\"</span>";
      }
      if (group->failureTime() > group->pushTime()) {
        out += " <span class=\"fail\">Last push failed!</span>";
      }
      out += "</summary>\n<p>Last push: " + timeText(group->pushTime()) +
             ", last failure: " + timeText(group->failureTime()) + "</p>\n";
      out += "<table><tr><th>family</th><th>type</th><th>help</th><th>series</th></tr>\n";
      for (const auto& [name, family] : group->families) {
        out += "<tr><td>";
        appendHtmlEscaped(out, name);
        out += "</td><td>" + io::prometheus::client::MetricType_Name(family->type()) + "</td><td>";
        appendHtmlEscaped(out, family->help());
        out += "</td><td>" + std::to_string(family->size()) + "</td></tr>\n";
      }
      out += "</table></details>\n";
    }
    return 0;
  });
  out += "<h2>Status</h2>\n<p>Version " FERRY_VERSION ", started " +
         expo::formatRfc3339Nano(context.start_time_nanos) + "</p>\n<table>\n";
  for (const auto& [flag, value] : context.status_flags) {
    out += "<tr><td>";
    appendHtmlEscaped(out, flag);
    out += "</td><td>";
    appendHtmlEscaped(out, value);
    out += "</td></tr>\n";
  }
  out += "</table>\n</body>\n</html>\n";
  return out;
}

void appendHtmlEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace ferry::core::http
