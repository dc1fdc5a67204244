#include "core/telemetry/telemetry.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/config/version.h"

namespace ferry::core::telemetry {
namespace {

const std::vector<double>& durationBounds() {
  static const std::vector<double> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                              0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                              1,      2.5,     5,      10};
  return kBounds;
}
const std::vector<double>& sizeBounds() {
  static const std::vector<double> kBounds = {256,    1024,    4096,    16384,   65536,
                                              262144, 1048576, 4194304, 16777216};
  return kBounds;
}

void addLabel(pb::Metric* metric, const std::string& name, const std::string& value) {
  auto* pair = metric->add_label();
  pair->set_name(name);
  pair->set_value(value);
}

pb::MetricFamily family(const char* name, const char* help, pb::MetricType type) {
  pb::MetricFamily f;
  f.set_name(name);
  f.set_help(help);
  f.set_type(type);
  return f;
}

void addGauge(std::vector<pb::MetricFamily>& out, const char* name, const char* help,
              double value) {
  auto f = family(name, help, pb::GAUGE);
  f.add_metric()->mutable_gauge()->set_value(value);
  out.push_back(std::move(f));
}

struct ProcessStats {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  bool ok = false;
};

ProcessStats readProcessStats() {
  ProcessStats stats;
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (!std::getline(stat, line)) return stats;
  // Fields after the command name, which is in parentheses and may contain spaces.
  auto close = line.rfind(')');
  if (close == std::string::npos) return stats;
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> fields;
  std::string field;
  while (rest >> field) fields.push_back(field);
  // fields[0] is field 3 (state): utime=14, stime=15, vsize=23, rss=24.
  if (fields.size() < 22) return stats;
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  stats.cpu_seconds = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
  stats.virtual_bytes = std::stod(fields[20]);
  stats.resident_bytes = std::stod(fields[21]) * static_cast<double>(sysconf(_SC_PAGESIZE));
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    stats.open_fds += 1;
  }
  stats.max_fds = static_cast<double>(sysconf(_SC_OPEN_MAX));
  stats.ok = true;
  return stats;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1) {}

void Histogram::observe(double value) {
  size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

void Histogram::fill(pb::Histogram& out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    auto* bucket = out.add_bucket();
    bucket->set_upper_bound(bounds_[i]);
    bucket->set_cumulative_count(cumulative);
  }
  cumulative += counts_.back().load(std::memory_order_relaxed);
  out.set_sample_count(cumulative);
  out.set_sample_sum(sum_.load(std::memory_order_relaxed));
}

Telemetry::Telemetry()
    : put_duration_(durationBounds()),
      post_duration_(durationBounds()),
      put_size_(sizeBounds()),
      post_size_(sizeBounds()),
      start_time_seconds_(
          std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
              .count()) {}

void Telemetry::countRequest(std::string_view handler, int code, std::string_view method) {
  // Methods are short tokens: lowered on the stack (longer ones get a string).
  char stack[16];
  std::string long_method;
  char* lower = stack;
  if (method.size() > sizeof stack) {
    long_method.resize(method.size());
    lower = long_method.data();
  }
  for (size_t i = 0; i < method.size(); ++i) {
    const char c = method[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::tuple<int, std::string_view, std::string_view> key{
      code, handler, std::string_view(lower, method.size())};
  std::lock_guard<std::mutex> lock(mu_);
  auto it = requests_.find(key);
  if (it == requests_.end()) {
    it = requests_
             .emplace(std::tuple<int, std::string, std::string>(code, handler, std::get<2>(key)), 0)
             .first;
  }
  ++it->second;
}

void Telemetry::observePush(std::string_view method, double seconds, size_t request_bytes) {
  bool put = method == "put";
  (put ? put_duration_ : post_duration_).observe(seconds);
  (put ? put_size_ : post_size_).observe(static_cast<double>(request_bytes));
}

store::OwnFamilyTypes Telemetry::ownTypes() {
  return {{"ferry_build_info", pb::GAUGE},
          {"ferry_groups_expired_total", pb::COUNTER},
          {"ferry_http_auth_failures_total", pb::COUNTER},
          {"ferry_http_push_duration_seconds", pb::HISTOGRAM},
          {"ferry_http_push_size_bytes", pb::HISTOGRAM},
          {"ferry_push_rejected_total", pb::COUNTER},
          {"ferry_store_groups", pb::GAUGE},
          {"ferry_store_series", pb::GAUGE},
          {"process_cpu_seconds_total", pb::COUNTER},
          {"process_max_fds", pb::GAUGE},
          {"process_open_fds", pb::GAUGE},
          {"process_resident_memory_bytes", pb::GAUGE},
          {"process_start_time_seconds", pb::GAUGE},
          {"process_virtual_memory_bytes", pb::GAUGE},
          {"pushgateway_http_requests_total", pb::COUNTER}};
}

void Telemetry::countAuthFailure(bool wrong) { (wrong ? auth_wrong_ : auth_missing_)++; }

void Telemetry::countAuthForbidden() { auth_forbidden_++; }

void Telemetry::countPushRejected(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = push_rejected_.find(reason);
  if (it == push_rejected_.end()) it = push_rejected_.emplace(std::string(reason), 0).first;
  ++it->second;
}

std::vector<pb::MetricFamily> Telemetry::families(size_t groups, size_t series,
                                                  uint64_t groups_expired) const {
  std::vector<pb::MetricFamily> out;
  {
    auto f = family("ferry_build_info",
                    "A metric with a constant '1' value labeled by the version, revision, "
                    "branch and compiler Ferry was built with.",
                    pb::GAUGE);
    const config::BuildInfo& info = config::buildInfo();
    auto* m = f.add_metric();
    addLabel(m, "branch", info.branch);
    addLabel(m, "compiler", info.compiler);
    addLabel(m, "revision", info.revision);
    addLabel(m, "version", info.version);
    m->mutable_gauge()->set_value(1);
    out.push_back(std::move(f));
  }
  {
    auto f = family("ferry_groups_expired_total",
                    "Groups expired at their deadline (removed, or hidden with \"expired\": "
                    "\"hide\").",
                    pb::COUNTER);
    f.add_metric()->mutable_counter()->set_value(static_cast<double>(groups_expired));
    out.push_back(std::move(f));
  }
  auto histograms = [&](const char* name, const char* help, const Histogram& put,
                        const Histogram& post) {
    auto f = family(name, help, pb::HISTOGRAM);
    for (auto [method, h] : {std::pair{"post", &post}, std::pair{"put", &put}}) {
      auto* m = f.add_metric();
      addLabel(m, "method", method);
      h->fill(*m->mutable_histogram());
    }
    out.push_back(std::move(f));
  };
  {
    auto f = family("ferry_http_auth_failures_total",
                    "HTTP requests refused by auth, by reason: no credentials or wrong ones "
                    "(401), or not allowed (403).",
                    pb::COUNTER);
    for (auto [reason, count] : {std::pair{"forbidden", &auth_forbidden_},
                                 {"missing", &auth_missing_},
                                 {"wrong", &auth_wrong_}}) {
      auto* m = f.add_metric();
      addLabel(m, "reason", reason);
      m->mutable_counter()->set_value(static_cast<double>(count->load()));
    }
    out.push_back(std::move(f));
  }
  histograms("ferry_http_push_duration_seconds",
             "HTTP request duration for pushes to Ferry, from request to answer.", put_duration_,
             post_duration_);
  histograms("ferry_http_push_size_bytes", "HTTP request body size of pushes to Ferry.", put_size_,
             post_size_);
  {
    auto f = family("ferry_push_rejected_total",
                    "Pushes refused with nothing stored, by reason (parse, consistency, "
                    "timestamp, a limit's name, body_too_large, auth, ...).",
                    pb::COUNTER);
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [reason, count] : push_rejected_) {
      auto* m = f.add_metric();
      addLabel(m, "reason", reason);
      m->mutable_counter()->set_value(static_cast<double>(count));
    }
    out.push_back(std::move(f));
  }
  addGauge(out, "ferry_store_groups", "Number of groups stored.", static_cast<double>(groups));
  addGauge(out, "ferry_store_series",
           "Number of series stored, including push_time_seconds "
           "and push_failure_time_seconds.",
           static_cast<double>(series));
  ProcessStats stats = readProcessStats();
  if (stats.ok) {
    auto f = family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                    pb::COUNTER);
    f.add_metric()->mutable_counter()->set_value(stats.cpu_seconds);
    out.push_back(std::move(f));
    addGauge(out, "process_max_fds", "Maximum number of open file descriptors.", stats.max_fds);
    addGauge(out, "process_open_fds", "Number of open file descriptors.", stats.open_fds);
    addGauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
             stats.resident_bytes);
  }
  addGauge(out, "process_start_time_seconds",
           "Start time of the process since unix epoch in seconds.", start_time_seconds_);
  if (stats.ok) {
    addGauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
             stats.virtual_bytes);
  }
  {
    auto f =
        family("pushgateway_http_requests_total",
               "Total HTTP requests processed by the Pushgateway, excluding scrapes.", pb::COUNTER);
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, count] : requests_) {
      auto* m = f.add_metric();
      addLabel(m, "code", std::to_string(std::get<0>(key)));
      addLabel(m, "handler", std::get<1>(key));
      addLabel(m, "method", std::get<2>(key));
      m->mutable_counter()->set_value(static_cast<double>(count));
    }
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const pb::MetricFamily& a, const pb::MetricFamily& b) {
    return a.name() < b.name();
  });
  return out;
}

}  // namespace ferry::core::telemetry
