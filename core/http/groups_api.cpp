#include "core/http/groups_api.h"

#include <charconv>
#include <ferry/support/go_float_format.hpp>
#include <vector>

#include "core/expo/json_api.h"
#include "core/http/api_json.h"
#include "core/model/base64.h"
#include "core/store/group_query.h"
#include "core/store/store.h"

namespace ferry::core::http {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 10000;

void appendNumber(std::string& out, double value) { support::appendFloat(out, value); }

// An instant as the contract wants it: "<key>": RFC 3339 and "<key>_unix": seconds; null, null
// when there is none.
void appendInstant(std::string& out, const char* key, int64_t nanos) {
  out += '"';
  out += key;
  out += "\":";
  if (nanos > 0) {
    expo::appendJsonString(out, expo::formatRfc3339Nano(nanos));
  } else {
    out += "null";
  }
  out += ",\"";
  out += key;
  out += "_unix\":";
  if (nanos > 0) {
    appendNumber(out, static_cast<double>(nanos) / 1e9);
  } else {
    out += "null";
  }
}

void appendSummaryFields(std::string& out, const store::Group& group) {
  appendGroupIdentity(out, group.key, group.labels);
  out += ',';
  appendInstant(out, "last_push", group.lastPushNanos());
  out += ',';
  appendInstant(out, "last_failure", group.lastFailureNanos());
  out += ",\"last_failure_reason\":";
  if (group.last_failure_reason.empty()) {
    out += "null";
  } else {
    expo::appendJsonString(out, group.last_failure_reason);
  }
  out += ",\"last_push_successful\":";
  out += group.failureTime() > group.pushTime() ? "false" : "true";
  out += ",\"ttl_seconds\":";
  appendNumber(out, static_cast<double>(group.ttl_nanos) / 1e9);
  out += ',';
  appendInstant(out, "deadline", group.deadline_nanos);
  out += ",\"expired\":";
  out += group.expired ? "true" : "false";
  out += ",\"families\":" + std::to_string(group.pushedFamilyCount());
  out += ",\"series\":" + std::to_string(group.pushedSeriesCount());
  out += ",\"bytes\":" + std::to_string(group.memoryBytes());
}

size_t parseLimit(const std::string& text) {
  size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxLimit) {
    throw BadApiQuery{"invalid limit \"" + text + "\": expected a whole number from 1 to " +
                      std::to_string(kMaxLimit)};
  }
  return value;
}

store::GroupQuery parseListQuery(const Request& request) {
  store::GroupQuery query;
  query.limit = kDefaultLimit;
  std::string cursor;
  bool has_cursor = false;
  for (auto& [name, value] : queryParameters(std::string(request.query.value_or("")))) {
    if (name == "match[]") {
      try {
        query.selectors.push_back(model::parseSelector(value));
      } catch (const model::SelectorError& e) {
        throw BadApiQuery{e.what()};
      }
    } else if (name == "q") {
      query.text = value;
    } else if (name == "sort") {
      auto sort = store::parseGroupSort(value);
      if (!sort) {
        throw BadApiQuery{"invalid sort \"" + value + "\": expected labels, last_push or deadline"};
      }
      query.sort = *sort;
    } else if (name == "limit") {
      query.limit = parseLimit(value);
    } else if (name == "next") {
      cursor = value;
      has_cursor = true;
    }
  }
  if (has_cursor) {
    query.after = store::decodeGroupCursor(query.sort, cursor);
    if (!query.after) {
      throw BadApiQuery{
          "invalid next cursor (it must come from a previous page with the same sort)"};
    }
  }
  return query;
}

}  // namespace

void GroupListHandler::operator()(const Request& request, Response& response) const {
  store::GroupQuery query;
  try {
    query = parseListQuery(request);
  } catch (const BadApiQuery& e) {
    sendJsonError(response, 400, e.message);
    return;
  }
  std::string out = "{\"status\":\"success\",\"data\":{\"groups\":[";
  bool first = true;
  store::GroupPage page;
  try {
    page = store::queryGroups(store_, query, [&](const store::Group& group) {
      if (!first) out += ',';
      first = false;
      out += '{';
      appendSummaryFields(out, group);
      out += '}';
    });
  } catch (const model::SelectorError& e) {
    sendJsonError(response, 400, e.what());
    return;
  }
  out += "],\"next\":";
  if (page.next) {
    expo::appendJsonString(out, *page.next);
  } else {
    out += "null";
  }
  out += ",\"total_groups\":" + std::to_string(page.total_groups) + "}}";
  sendJson(response, 200, std::move(out));
}

void GroupDetailHandler::operator()(const Request& request, Response& response) const {
  const std::string& id = request.match.path_rest;
  auto key = model::decodeBase64Url(id);
  std::string out;
  bool found = key && store_.read([&](const store::StoreView& view) {
    auto it = view.groups.find(*key);
    if (it == view.groups.end()) return false;
    const store::Group& group = *it->second;
    out = "{\"status\":\"success\",\"data\":{";
    appendSummaryFields(out, group);
    out += ",\"metric_families\":[";
    bool first = true;
    for (const auto& [name, family] : group.families) {
      if (!first) out += ',';
      first = false;
      io::prometheus::client::MetricFamily message = family->message();
      expo::appendApiFamilyJson(out, {&message, family->timestampNanos()},
                                {/*with_name=*/true, /*native_histograms=*/true});
    }
    out += "]}}";
    return true;
  });
  if (!found) {
    sendJsonError(response, 404, "no group with id \"" + id + "\"");
    return;
  }
  sendJson(response, 200, std::move(out));
}

}  // namespace ferry::core::http
