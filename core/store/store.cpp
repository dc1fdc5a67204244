#include "core/store/store.h"

#include <time.h>

#include <chrono>
#include <ferry/families/push_rules.hpp>
#include <limits>

#include "core/store/feed_follower.h"
#include "core/store/push_limits.h"
#include "core/store/store_request.h"
#include "core/util/log.h"

namespace ferry::core::store {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t threadCpuNanos() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

WriteResult overLimit(const LimitBreach& breach) {
  WriteResult result;
  result.code = WriteResult::Code::kOverLimit;
  result.message = describeBreach(breach);
  result.reason = model::limitName(breach.limit);
  result.limit = breach.limit;
  return result;
}

Store::Store(plugin_host::StoragePluginInstance* storage, OwnFamilyTypes own_types)
    : storage_(storage), own_types_(std::move(own_types)) {
  if (storage_ && storage_->shared()) shared_status_ = std::make_unique<SharedStoreStatus>();
}

Store::~Store() {
  if (follower_) follower_->stop();
}

std::shared_ptr<google::protobuf::Arena> makePushArena() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 512;
  options.max_block_size = 64 << 10;
  return std::make_shared<google::protobuf::Arena>(options);
}

WriteResult Store::push(const model::LabelMap& grouping_labels,
                        std::vector<pb::MetricFamily> families, bool replace_all,
                        std::optional<int64_t> ttl_nanos) {
  PushedFamilies pushed{makePushArena(), {}};
  for (auto& family : families) {
    auto* copy = google::protobuf::Arena::CreateMessage<pb::MetricFamily>(pushed.arena.get());
    *copy = std::move(family);
    pushed.families.push_back(copy);
  }
  return push(grouping_labels, std::move(pushed), replace_all, ttl_nanos);
}

WriteResult Store::push(const model::LabelMap& grouping_labels, PushedFamilies pushed,
                        bool replace_all, std::optional<int64_t> ttl_nanos) {
  Request request;
  request.kind = Request::Kind::kPush;
  request.ttl_nanos = ttl_nanos;
  request.labels = grouping_labels;
  request.key = model::groupingKeyString(grouping_labels);
  request.replace_all = replace_all;
  request.now_nanos = nowNanos();
  // Everything that depends only on the push itself happens here, on the caller's thread,
  // outside every lock: sanitizing, validating, sort keys and text rendering.
  if (families::hasTimestamps(pushed.families)) {
    request.errors.push_back("pushed metrics must not have timestamps");
    request.error_reason = "timestamp";
  } else {
    families::sanitizePush(pushed.families, grouping_labels);
    families::validatePush(pushed.families, request.errors);
    request.error_reason = "consistency";
  }
  if (request.errors.empty() && policy_.hasLimits()) {
    // Refused before it reaches the writer: nothing is stored, not even the failure time.
    auto limits = policy_.limitsFor(model::jobOf(grouping_labels));
    if (auto breach = checkPushLimits(pushed.families, limits)) {
      return overLimit(*breach);
    }
  }
  if (request.errors.empty()) {
    request.prepared.reserve(pushed.families.size());
    for (const auto* family : pushed.families) {
      request.prepared.push_back(makeStoredFamily(*family, request.now_nanos));
    }
  }
  return submit(request);
}

WriteResult Store::remove(const model::LabelMap& grouping_labels) {
  Request request;
  request.kind = Request::Kind::kRemove;
  request.labels = grouping_labels;
  request.key = model::groupingKeyString(grouping_labels);
  return submit(request);
}

WriteResult Store::wipe() {
  Request request;
  request.kind = Request::Kind::kWipe;
  return submit(request);
}

SelectorDeleteResult Store::removeMatching(const std::vector<model::Selector>& selectors,
                                           const JobPermission& may_delete, bool dry_run) {
  // A dry run only reads: under the read lock it neither waits in the writer's queue nor
  // holds it, and scrapes and other readers go on meanwhile.
  if (dry_run) return matchingGroups(selectors, may_delete);
  SelectorDeleteResult matched;
  Request request;
  request.kind = Request::Kind::kRemoveMatching;
  request.selectors = &selectors;
  request.may_delete = &may_delete;
  request.matched = &matched;
  matched.result = submit(request);
  if (!matched.result.ok()) matched.groups.clear();
  return matched;
}

size_t Store::expire(int64_t now_nanos) {
  if (nextDeadline() > now_nanos) return 0;  // the common case: no write at all
  if (shared_status_ && !holdExpiryLease()) return 0;
  Request request;
  request.kind = Request::Kind::kExpire;
  request.now_nanos = now_nanos;
  // An expiry request is always first in its batch, so this thread applies the batch: its CPU
  // time is what the batch cost the writer (the figure bench/lifecycle_bench.py reads).
  const int64_t cpu_before = threadCpuNanos();
  WriteResult result = submit(request);
  const int64_t cpu_nanos = threadCpuNanos() - cpu_before;
  if (!result.ok()) {
    util::logError("expiring groups failed; retried", {{"err", result.message}});
    return 0;
  }
  if (request.expired > 0) {
    expired_total_.fetch_add(request.expired, std::memory_order_relaxed);
    util::logDebug("groups expired", {{"count", std::to_string(request.expired)},
                                      {"cpu_us", std::to_string(cpu_nanos / 1000)}});
  }
  return request.expired;
}

int64_t Store::nextDeadline() const {
  std::shared_lock lock(state_mu_);
  return by_deadline_.empty() ? std::numeric_limits<int64_t>::max() : by_deadline_.begin()->value;
}

void Store::flush() {
  if (!storage_) return;
  // Holding the queue lock with no batch in progress keeps every writer out meanwhile.
  std::unique_lock<std::mutex> lock(queue_mu_);
  idle_cv_.wait(lock, [this] { return !writing_; });
  auto status = storage_->flush();
  if (!status.ok()) util::logError("storage flush failed", {{"err", status.message}});
}

}  // namespace ferry::core::store
