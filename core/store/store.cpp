#include "core/store/store.h"

#include <chrono>
#include <ferry/families/push_rules.hpp>
#include <limits>
#include <set>

#include "core/store/group_codec.h"
#include "core/util/log.h"

namespace ferry::core::store {

int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Store::Request {
  enum class Kind { kPush, kRemove, kWipe, kExpire };
  Kind kind = Kind::kPush;
  std::string key;
  model::LabelMap labels;
  bool replace_all = false;
  int64_t now_nanos = 0;
  std::optional<int64_t> ttl_nanos;       // kPush: asked for by the pusher
  size_t expired = 0;                     // kExpire: how many groups it expired
  std::vector<std::string> errors;        // found before taking the lock
  std::vector<StoredFamilyPtr> prepared;  // sanitized, rendered, may include empty families
  WriteResult result;
  bool done = false;  // applied and answered (guarded by queue_mu_)
  bool lead = false;  // this request's thread is to apply the next batch (guarded by queue_mu_)
  std::condition_variable cv;
};

Store::Store(plugin_host::StoragePluginInstance* storage, OwnFamilyTypes own_types)
    : storage_(storage), own_types_(std::move(own_types)) {}

void Store::load() {
  if (!storage_) return;
  std::unique_lock lock(state_mu_);
  std::string failure;
  size_t skipped = 0;
  auto status = storage_->scan([&](std::string_view key, std::string_view value) {
    std::unique_ptr<Group> group;
    try {
      group = decodeGroup(key, value);
    } catch (const std::exception& e) {
      failure = std::string("cannot decode stored group: ") + e.what();
      return false;
    }
    // A stored group must still be consistent with what was loaded before it (it always was
    // when written; this guards against a storage edited by hand or by another version).
    std::vector<StoredFamilyPtr> families;
    for (const auto& [name, family] : group->families) {
      if (!isTimestampFamily(name)) families.push_back(family);
    }
    std::vector<std::string> errors;
    if (!group->expired) {
      ConsistencyCheck(IndexView(index_), own_types_, group->key, true, families).check(errors);
    }
    if (!errors.empty()) {
      util::logError("stored group is inconsistent with the rest of the store; not loaded",
                     {{"group", group->key}, {"err", families::joinErrors(errors)}});
      ++skipped;
      return true;
    }
    Group& stored = *group;
    groups_[stored.key] = std::move(group);
    // A hidden expired group keeps its families out of the index: served nowhere.
    if (!stored.expired) {
      for (const auto& [name, family] : stored.families) adopt(stored, *family);
    }
    order(stored);
    return true;
  });
  if (!status.ok()) throw std::runtime_error("storage scan failed: " + status.message);
  if (!failure.empty()) throw std::runtime_error(failure);
  group_count_ = groups_.size();
  series_count_ = index_.seriesCount();
  generation_.fetch_add(1, std::memory_order_release);
  util::logInfo("store loaded", {{"groups", std::to_string(groups_.size())},
                                 {"series", std::to_string(index_.seriesCount())},
                                 {"skipped", std::to_string(skipped)}});
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
  } else {
    families::sanitizePush(pushed.families, grouping_labels);
    families::validatePush(pushed.families, request.errors);
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

size_t Store::expire(int64_t now_nanos) {
  if (nextDeadline() > now_nanos) return 0;  // the common case: no write at all
  Request request;
  request.kind = Request::Kind::kExpire;
  request.now_nanos = now_nanos;
  WriteResult result = submit(request);
  if (!result.ok()) {
    util::logError("expiring groups failed; retried", {{"err", result.message}});
    return 0;
  }
  if (request.expired > 0) {
    expired_total_.fetch_add(request.expired, std::memory_order_relaxed);
    util::logDebug("groups expired", {{"count", std::to_string(request.expired)}});
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

WriteResult Store::submit(Request& request) {
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(&request);
  if (writing_) {
    // Another thread is applying a batch. Sleep until that batch (or a later one) contains
    // this request, or until the writer hands the writer's role to this thread.
    request.cv.wait(lock, [&] { return request.done || request.lead; });
    if (request.done) return request.result;
  }
  writing_ = true;
  std::deque<Request*> batch;
  batch.swap(queue_);  // contains `request`
  lock.unlock();
  try {
    applyBatch(batch);
  } catch (const std::exception& e) {  // e.g. bad_alloc: fail the batch, never the queue
    util::logError("write batch failed", {{"err", e.what()}});
    for (Request* r : batch) {
      if (r->result.ok()) r->result = {WriteResult::Code::kStorageFailed, e.what()};
    }
  }
  lock.lock();
  for (Request* r : batch) {
    r->done = true;
    if (r != &request) r->cv.notify_one();
  }
  if (queue_.empty()) {
    writing_ = false;
    idle_cv_.notify_all();
  } else {
    // Hand over to the oldest waiting request: exactly one thread wakes up to write.
    queue_.front()->lead = true;
    queue_.front()->cv.notify_one();
  }
  return request.result;
}

void Store::applyBatch(std::deque<Request*>& batch) {
  auto first = batch.begin();
  while (first != batch.end()) {
    // One plan per storage call: everything up to and including the next wipe.
    auto last = first;
    while (last != batch.end()) {
      bool wipe = (*last++)->kind == Request::Kind::kWipe;
      if (wipe) break;
    }
    try {
      WritePlan planned(groups_, index_);
      for (auto it = first; it != last; ++it) plan(planned, **it);
      commit(planned, first, last);
    } catch (const std::exception& e) {  // e.g. bad_alloc while planning: nothing was installed
      util::logError("internal error applying write", {{"err", e.what()}});
      for (auto it = first; it != last; ++it) {
        (*it)->result = {WriteResult::Code::kStorageFailed,
                         std::string("internal error applying write: ") + e.what()};
      }
    }
    first = last;
  }
}

void Store::plan(WritePlan& plan, Request& request) {
  switch (request.kind) {
    case Request::Kind::kPush:
      planPush(plan, request);
      break;
    case Request::Kind::kRemove:
      plan.remove(request.key);
      request.result = {};
      break;
    case Request::Kind::kWipe:
      plan.wipe();
      request.result = {};
      break;
    case Request::Kind::kExpire:
      planExpiry(plan, request);
      break;
  }
}

void Store::commit(WritePlan& plan, RequestIt first, RequestIt last) {
  if (plan.empty()) return;
  std::string failure = writeToStorage(plan);
  if (!failure.empty()) {
    util::logError("storage write failed; the batch is not applied",
                   {{"err", failure}, {"requests", std::to_string(last - first)}});
    for (auto it = first; it != last; ++it) {
      (*it)->result = {WriteResult::Code::kStorageFailed, "storage write failed: " + failure};
    }
    return;
  }
  std::vector<StoredFamilyPtr> retired_families;
  std::vector<std::unique_ptr<Group>> retired_groups;
  {
    std::unique_lock lock(state_mu_);
    install(plan);
    group_count_.store(groups_.size(), std::memory_order_relaxed);
    series_count_.store(index_.seriesCount(), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    retired_families.swap(retired_families_);
    retired_groups.swap(retired_groups_);
  }
  retired_families.clear();
  retired_groups.clear();
  trimmer_.storeSize(stored_bytes_.load(std::memory_order_relaxed));
}

std::string Store::writeToStorage(WritePlan& plan) {
  if (!storage_) return {};
  // Encoded outside every lock: the planned groups belong to the writer alone.
  if (plan.wiped()) {
    auto status = storage_->wipe();
    if (!status.ok()) return status.message.empty() ? "wipe failed" : status.message;
  }
  if (plan.changes().empty()) return {};
  std::vector<plugin_host::StoragePluginInstance::Op> ops;
  ops.reserve(plan.changes().size());
  for (const auto& [key, group] : plan.changes()) {
    if (group) {
      ops.push_back({FERRY_STORAGE_PUT, key, encodeGroup(*group)});
    } else {
      ops.push_back({FERRY_STORAGE_REMOVE, key, {}});
    }
  }
  // Durable before anyone is answered: a storage plugin that promises durability makes the
  // batch durable inside write().
  auto status = storage_->write(ops);
  if (!status.ok()) return status.message.empty() ? "write failed" : status.message;
  return {};
}

void Store::install(WritePlan& plan) {
  if (plan.wiped()) {
    index_.clear();
    by_last_push_.clear();
    by_deadline_.clear();
    stored_bytes_.store(0, std::memory_order_relaxed);
    for (auto& [key, group] : groups_) retired_groups_.push_back(std::move(group));
    groups_.clear();
  }
  for (auto& [key, planned] : plan.changes()) {
    auto live = groups_.find(key);
    if (!planned) {
      if (live != groups_.end()) retireGroup(live);
    } else if (live == groups_.end()) {
      Group& group = *planned;
      if (!group.expired) {
        for (const auto& [name, family] : group.families) adopt(group, *family);
      }
      groups_.emplace(key, std::move(planned));
      order(group);
    } else {
      installGroup(*live->second, *planned);
    }
  }
}

void Store::installFamilies(Group& live, Group& planned) {
  auto& families = live.families;
  auto l = families.begin();
  auto p = planned.families.begin();
  while (l != families.end() || p != planned.families.end()) {
    if (p == planned.families.end() || (l != families.end() && l->first < p->first)) {
      retire(live, std::move(l->second));
      l = families.erase(l);
    } else if (l == families.end() || p->first < l->first) {
      auto added = families.emplace_hint(l, p->first, p->second);
      adopt(live, *added->second);
      ++p;
    } else {
      if (l->second != p->second) {
        retire(live, std::move(l->second));
        l->second = p->second;
        adopt(live, *l->second);
      }
      ++l;
      ++p;
    }
  }
}

void Store::installGroup(Group& live, Group& planned) {
  // The order entries are re-keyed in place (no allocation): extracted before the group changes.
  auto push_entry = by_last_push_.extract(GroupOrderEntry{lastPushOrder(live), &live});
  auto deadline_entry = by_deadline_.extract(GroupOrderEntry{deadlineOrder(live), &live});
  auto& families = live.families;
  if (live.expired || planned.expired) {
    // Hidden groups keep their families out of the index, so hiding or reviving one swaps
    // them wholesale (both happen once per deadline, not per push).
    for (auto& [name, family] : families) {
      if (!live.expired) index_.remove(live, *family);
      stored_bytes_.fetch_sub(family->memoryBytes(), std::memory_order_relaxed);
      retired_families_.push_back(std::move(family));
    }
    families = std::move(planned.families);
    for (const auto& [name, family] : families) {
      if (!planned.expired) index_.add(live, *family);
      stored_bytes_.fetch_add(family->memoryBytes(), std::memory_order_relaxed);
    }
  } else {
    installFamilies(live, planned);
  }
  live.ttl_nanos = planned.ttl_nanos;
  live.deadline_nanos = planned.deadline_nanos;
  live.expired = planned.expired;
  live.last_failure_reason = std::move(planned.last_failure_reason);
  if (push_entry && deadline_entry) {
    push_entry.value().value = lastPushOrder(live);
    by_last_push_.insert(std::move(push_entry));
    deadline_entry.value().value = deadlineOrder(live);
    by_deadline_.insert(std::move(deadline_entry));
  } else {
    unorder(live);
    order(live);
  }
}

void Store::order(const Group& group) {
  by_last_push_.insert(GroupOrderEntry{lastPushOrder(group), &group});
  by_deadline_.insert(GroupOrderEntry{deadlineOrder(group), &group});
}

void Store::unorder(const Group& group) {
  by_last_push_.erase(GroupOrderEntry{lastPushOrder(group), &group});
  by_deadline_.erase(GroupOrderEntry{deadlineOrder(group), &group});
}

void Store::retireGroup(GroupMap::iterator it) {
  Group& group = *it->second;
  unorder(group);
  for (const auto& [name, family] : group.families) {
    if (!group.expired) index_.remove(group, *family);
    stored_bytes_.fetch_sub(family->memoryBytes(), std::memory_order_relaxed);
  }
  retired_groups_.push_back(std::move(it->second));
  groups_.erase(it);
}

void Store::adopt(const Group& group, const StoredFamily& family) {
  index_.add(group, family);
  stored_bytes_.fetch_add(family.memoryBytes(), std::memory_order_relaxed);
}

void Store::retire(const Group& group, StoredFamilyPtr family) {
  index_.remove(group, *family);
  stored_bytes_.fetch_sub(family->memoryBytes(), std::memory_order_relaxed);
  retired_families_.push_back(std::move(family));
}

void Store::planPush(WritePlan& plan, Request& request) {
  const Group* group = plan.find(request.key);
  std::vector<std::string> errors = std::move(request.errors);
  IndexView view = plan.view();
  if (errors.empty()) {
    ConsistencyCheck(view, own_types_, request.key, request.replace_all, request.prepared)
        .check(errors);
  }
  // A new group's own gauges must not duplicate another group's: {job="x"} and
  // {job="x",instance=""} expose the same push_time_seconds series. Pushgateway creates such a
  // group even when the push fails, and every scrape fails from then on (spec §4.5.1); Ferry
  // refuses to create it.
  bool group_would_collide = false;
  if (!group) {
    auto probe = makeTimestampFamily(kPushTimeName, request.labels, 0, request.now_nanos);
    if (view.seriesOwner(kPushTimeName, probe->key(0))) {
      errors.push_back(families::describeMetric(kPushTimeName, probe->metric(0)) +
                       " was collected before with the same name and label values");
      group_would_collide = true;
    }
  }
  double now_seconds = static_cast<double>(request.now_nanos) / 1e9;
  if (!errors.empty()) {
    request.result = {WriteResult::Code::kInvalid,
                      "pushed metrics are invalid or inconsistent with existing metrics: " +
                          families::joinErrors(errors)};
    if (!group_would_collide) {
      Group& target = plan.edit(request.key, request.labels, request.now_nanos);
      plan.setFamily(target, makeTimestampFamily(kPushFailureTimeName, request.labels, now_seconds,
                                                 request.now_nanos));
      target.last_failure_reason = boundedFailureReason(request.result.message);
    }
    return;
  }
  Group& target = plan.edit(request.key, request.labels, request.now_nanos);
  if (target.expired) {
    // A push revives a hidden group with what it sends, as a new group: what it held before
    // expiring was never checked against the pushes made meanwhile.
    std::vector<std::string> stale;
    for (const auto& [name, family] : target.families) {
      if (!isTimestampFamily(name)) stale.push_back(name);
    }
    for (const auto& name : stale) plan.eraseFamily(target, name);
    target.expired = false;
  }
  auto job = request.labels.find("job");
  target.ttl_nanos = policy_.ttlFor(job == request.labels.end() ? std::string_view() : job->second,
                                    request.ttl_nanos);
  target.deadline_nanos = target.ttl_nanos > 0 ? request.now_nanos + target.ttl_nanos : 0;
  std::set<std::string> pushed_names;
  for (const auto& family : request.prepared) pushed_names.insert(family->name());
  std::vector<std::string> replaced;
  for (const auto& [name, family] : target.families) {
    if (!isTimestampFamily(name) && (request.replace_all || pushed_names.count(name) > 0)) {
      replaced.push_back(name);
    }
  }
  for (const auto& name : replaced) plan.eraseFamily(target, name);
  for (auto& family : request.prepared) {
    if (family->size() > 0) plan.setFamily(target, std::move(family));
  }
  plan.setFamily(
      target, makeTimestampFamily(kPushTimeName, request.labels, now_seconds, request.now_nanos));
  request.result = {};
  request.result.deadline_nanos = target.deadline_nanos;
}

void Store::planExpiry(WritePlan& plan, Request& request) {
  request.result = {};
  // The live deadline order is changed only by this (the writer's) thread, so it is read here
  // without the state lock. Each due group is looked up as the batch so far leaves it: a push
  // planned earlier in the batch may have moved its deadline.
  std::vector<const Group*> due;
  for (auto it = by_deadline_.begin();
       it != by_deadline_.end() && it->value <= request.now_nanos && due.size() < kExpireBatch;
       ++it) {
    due.push_back(it->group);
  }
  for (const Group* live : due) {
    const Group* group = plan.find(live->key);
    if (!group || group->expired || group->deadline_nanos == 0 ||
        group->deadline_nanos > request.now_nanos) {
      continue;
    }
    if (policy_.hide_expired) {
      plan.edit(live->key, live->labels, request.now_nanos).expired = true;
    } else {
      plan.remove(live->key);
    }
    ++request.expired;
  }
}

}  // namespace ferry::core::store
