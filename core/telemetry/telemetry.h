#pragma once

#include <ferry/metrics.pb.h>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/store/consistency_check.h"
#include "core/store/shared_status.h"

namespace ferry::core::telemetry {

namespace pb = io::prometheus::client;

// Counts for one histogram with fixed buckets (cumulative counts are computed when rendered).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  void fill(pb::Histogram& out) const;

 private:
  std::vector<double> bounds_;
  std::vector<std::atomic<uint64_t>> counts_;  // per bucket, last one is +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Ferry's own metrics, exposed on the telemetry path beside the pushed ones:
//   pushgateway_http_requests_total{code,handler,method}  (Pushgateway's name, for dashboards)
//   ferry_http_push_duration_seconds{method}, ferry_http_push_size_bytes{method}  (histograms)
//   ferry_http_auth_failures_total{reason="missing"|"wrong"|"forbidden"}  (401s; 403s of auth)
//   ferry_groups_expired_total (groups expired at their deadline)
//   ferry_push_rejected_total{reason} (pushes refused: parse, consistency, a limit's name, ...)
//   ferry_store_groups, ferry_store_series, ferry_build_info, process_* (from /proc)
//   ferry_storage_up, ferry_storage_feed_lag_seconds  (only on a shared store)
class Telemetry {
 public:
  Telemetry();

  void countRequest(std::string_view handler, int code, std::string_view method);
  // method is "put" or "post".
  void observePush(std::string_view method, double seconds, size_t request_bytes);
  // A request refused with 401: `wrong` credentials, or none the server understands.
  void countAuthFailure(bool wrong);
  // A request refused with 403 by the auth rights: authenticated, but not allowed.
  void countAuthForbidden();
  // A push refused (not stored), by reason. Callers pass one of a fixed set of names
  // (docs/configuration.md#telemetry), so the family stays bounded.
  void countPushRejected(std::string_view reason);
  // Adds the shared store's metrics; the status must outlive this object.
  void watchSharedStore(const store::SharedStoreStatus* status) { shared_ = status; }

  // Every own family, sorted by name. Families without samples are included empty.
  std::vector<pb::MetricFamily> families(size_t groups, size_t series,
                                         uint64_t groups_expired = 0) const;

  // Names and types of every own family, for the consistency check of pushes.
  static store::OwnFamilyTypes ownTypes();

 private:
  const store::SharedStoreStatus* shared_ = nullptr;
  mutable std::mutex mu_;
  // (code, handler, method): the order Pushgateway's exposition lists them in. Looked up by
  // views, so that counting a request allocates nothing once its key exists.
  struct RequestKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::tuple<int, std::string_view, std::string_view>(std::get<0>(a), std::get<1>(a),
                                                                 std::get<2>(a)) <
             std::tuple<int, std::string_view, std::string_view>(std::get<0>(b), std::get<1>(b),
                                                                 std::get<2>(b));
    }
  };
  std::map<std::tuple<int, std::string, std::string>, uint64_t, RequestKeyLess> requests_;
  std::map<std::string, uint64_t, std::less<>> push_rejected_;  // by reason
  Histogram put_duration_;
  Histogram post_duration_;
  Histogram put_size_;
  Histogram post_size_;
  double start_time_seconds_;
  std::atomic<uint64_t> auth_missing_{0};
  std::atomic<uint64_t> auth_wrong_{0};
  std::atomic<uint64_t> auth_forbidden_{0};
};

}  // namespace ferry::core::telemetry
