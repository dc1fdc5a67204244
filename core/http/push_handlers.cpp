#include "core/http/push_handlers.h"

#include <chrono>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>

#include "core/expo/json_api.h"
#include "core/model/lifecycle_policy.h"
#include "core/model/model.h"
#include "core/pipeline/pipeline.h"
#include "core/telemetry/telemetry.h"
#include "core/util/log.h"

namespace ferry::core::http {
namespace {

// "name=\"value\"" (Go-quoted) of the first grouping label whose value is not UTF-8, or "".
std::string invalidUtf8Label(const model::LabelMap& labels) {
  for (const auto& [name, value] : labels) {
    if (!support::isValidUtf8(value)) return name + "=" + support::goQuote(value);
  }
  return {};
}

// Ferry's lifecycle headers: the TTL a pusher asks for, and the deadline a push got.
constexpr char kTtlHeader[] = "Ferry-TTL";
constexpr char kExpiresHeader[] = "Ferry-Expires";

void answer(const Request& request, Response& response, const pipeline::Outcome& outcome) {
  if (outcome.status < 400) {
    if (outcome.deadline_nanos > 0) {
      response.setHeader(kExpiresHeader, expo::formatRfc3339Nano(outcome.deadline_nanos));
    }
    response.send(outcome.status);
    return;
  }
  util::logWarn("push rejected", {{"method", request.method},
                                  {"path", request.target},
                                  {"remote", request.remote_address},
                                  {"status", std::to_string(outcome.status)},
                                  {"reason", outcome.reason ? outcome.reason : "other"},
                                  {"err", outcome.message}});
  response.sendError(outcome.status, outcome.message);
}

}  // namespace

model::GroupingKeyResult groupingKeyOf(const RouteMatch& match) {
  auto key = model::parseGroupingKey(match.job, match.route == RouteId::kPushBase64, match.labels);
  if (!key.ok) return key;
  // Pushgateway accepts such a key, fails the push in its consistency check and still creates
  // the group, with a label value no scrape can carry. Refuse it up front.
  if (std::string invalid = invalidUtf8Label(key.labels); !invalid.empty()) {
    return {false, {}, "grouping label " + invalid + " is not valid UTF-8"};
  }
  return key;
}

std::string jobOf(const RouteMatch& match) {
  auto key = model::parseGroupingKey(match.job, match.route == RouteId::kPushBase64, match.labels);
  if (!key.ok) return {};
  auto job = key.labels.find("job");
  return job == key.labels.end() ? std::string() : job->second;
}

void PushHandler::operator()(const Request& request, Response& response) const {
  auto started = std::chrono::steady_clock::now();
  bool replace = request.method == "PUT";
  auto key = groupingKeyOf(request.match);
  pipeline::Outcome outcome{400, key.error, 0, "grouping_key"};
  if (key.ok) {
    auto header = request.findHeader(kTtlHeader);
    auto ttl =
        model::parseRequestedTtl(header ? std::optional<std::string>(*header) : std::nullopt);
    outcome = ttl.ok ? pipeline_.push(key.labels, replace, request.header("Content-Type"),
                                      request.body, ttl.ttl_nanos)
                     : pipeline::Outcome{400, ttl.error, 0, "ttl"};
  }
  if (outcome.reason) telemetry_.countPushRejected(outcome.reason);
  answer(request, response, outcome);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  telemetry_.observePush(replace ? "put" : "post", seconds, request.body.size());
}

void DeleteHandler::operator()(const Request& request, Response& response) const {
  auto key = groupingKeyOf(request.match);
  answer(request, response,
         key.ok ? pipeline_.remove(key.labels) : pipeline::Outcome{400, key.error});
}

}  // namespace ferry::core::http
