#include "core/http/group_delete_handler.h"

#include <ferry/support/go_quote.hpp>

#include "core/auth/rights.h"
#include "core/http/api_json.h"
#include "core/pipeline/pipeline.h"
#include "core/telemetry/telemetry.h"
#include "core/util/log.h"

namespace ferry::core::http {
namespace {

struct DeleteQuery {
  std::vector<model::Selector> selectors;
  std::string text;  // the selectors as sent, for the log
  bool dry_run = false;
};

// dry_run's values as Go's strconv.ParseBool reads them.
bool parseDryRun(const std::string& value) {
  for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (value == yes) return true;
  }
  for (const char* no : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (value == no) return false;
  }
  throw BadApiQuery{"invalid dry_run " + support::goQuote(value) + ": expected true or false"};
}

DeleteQuery parseDeleteQuery(const Request& request) {
  DeleteQuery query;
  for (auto& [name, value] : queryParameters(std::string(request.query.value_or("")))) {
    if (name == "match[]") {
      try {
        query.selectors.push_back(model::parseSelector(value));
      } catch (const model::SelectorError& e) {
        throw BadApiQuery{e.what()};
      }
      if (!query.text.empty()) query.text += " or ";
      query.text += value;
    } else if (name == "dry_run") {
      query.dry_run = parseDryRun(value);
    }
  }
  if (query.selectors.empty()) {
    throw BadApiQuery{
        "no match[] selector: a selector delete needs at least one (the admin wipe deletes "
        "every group)"};
  }
  return query;
}

}  // namespace

void GroupDeleteHandler::operator()(const Request& request, Response& response) const {
  DeleteQuery query;
  try {
    query = parseDeleteQuery(request);
  } catch (const BadApiQuery& e) {
    util::logWarn("selector delete refused",
                  {{"remote", request.remote_address}, {"status", "400"}, {"err", e.message}});
    sendJsonError(response, 400, e.message);
    return;
  }
  const std::string who = request.identity.value_or(rights_ ? "anonymous" : "");
  store::JobPermission may_delete = [&](std::string_view job) {
    return rights_ == nullptr || rights_->allows(who, auth::RouteKind::kDelete, job);
  };
  store::SelectorDeleteResult result =
      pipeline_.removeMatching(query.selectors, may_delete, query.dry_run);
  if (result.forbidden_job) {
    telemetry_.countAuthForbidden();
    std::string message = "identity " + support::goQuote(who) + " has no delete right on job " +
                          support::goQuote(*result.forbidden_job) +
                          ", which the selector matches; nothing was deleted";
    util::logWarn("selector delete refused", {{"identity", who},
                                              {"selector", query.text},
                                              {"remote", request.remote_address},
                                              {"status", "403"},
                                              {"err", message}});
    sendJsonError(response, 403, message);
    return;
  }
  if (!result.result.ok()) {
    using Code = store::WriteResult::Code;
    // A shared store that cannot be reached is temporary (503, as for pushes and deletes).
    const int status = result.result.code == Code::kInvalid       ? 400
                       : result.result.code == Code::kUnavailable ? 503
                                                                  : 500;
    util::logWarn("selector delete failed", {{"identity", who},
                                             {"selector", query.text},
                                             {"status", std::to_string(status)},
                                             {"err", result.result.message}});
    sendJsonError(response, status, result.result.message);
    return;
  }
  if (!query.dry_run) {
    util::logInfo("deleted groups by selector", {{"identity", who.empty() ? "-" : who},
                                                 {"selector", query.text},
                                                 {"count", std::to_string(result.groups.size())},
                                                 {"remote", request.remote_address}});
  }
  std::string out = "{\"status\":\"success\",\"data\":{\"dry_run\":";
  out += query.dry_run ? "true" : "false";
  out += ",\"count\":" + std::to_string(result.groups.size()) + ",\"groups\":[";
  bool first = true;
  for (const auto& group : result.groups) {
    if (!first) out += ',';
    first = false;
    out += '{';
    appendGroupIdentity(out, group.key, group.labels);
    out += '}';
  }
  out += "]}}";
  sendJson(response, 200, std::move(out));
}

}  // namespace ferry::core::http
