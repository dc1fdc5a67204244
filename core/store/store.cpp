#include "core/store/store.h"

#include <chrono>
#include <ferry/families/push_rules.hpp>
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
  enum class Kind { kPush, kRemove, kWipe };
  Kind kind = Kind::kPush;
  std::string key;
  model::LabelMap labels;
  bool replace_all = false;
  int64_t now_nanos = 0;
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
    ConsistencyCheck(index_, own_types_, group->key, true, families).check(errors);
    if (!errors.empty()) {
      util::logError("stored group is inconsistent with the rest of the store; not loaded",
                     {{"group", group->key}, {"err", families::joinErrors(errors)}});
      ++skipped;
      return true;
    }
    Group& stored = *group;
    groups_[stored.key] = std::move(group);
    for (const auto& [name, family] : stored.families) index_.add(stored, *family);
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
                        std::vector<pb::MetricFamily> families, bool replace_all) {
  PushedFamilies pushed{makePushArena(), {}};
  for (auto& family : families) {
    auto* copy = google::protobuf::Arena::CreateMessage<pb::MetricFamily>(pushed.arena.get());
    *copy = std::move(family);
    pushed.families.push_back(copy);
  }
  return push(grouping_labels, std::move(pushed), replace_all);
}

WriteResult Store::push(const model::LabelMap& grouping_labels, PushedFamilies pushed,
                        bool replace_all) {
  Request request;
  request.kind = Request::Kind::kPush;
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

namespace {

// Storage work of one batch, in order: a wipe must stay between the writes around it.
struct StorageStep {
  std::vector<std::pair<std::string, std::optional<Group>>> groups;  // nullopt = remove
  bool wipe_after = false;
};

}  // namespace

void Store::applyBatch(std::deque<Request*>& batch) {
  std::vector<StorageStep> steps(1);
  std::vector<StoredFamilyPtr> retired_families;
  std::vector<std::unique_ptr<Group>> retired_groups;
  {
    std::unique_lock lock(state_mu_);
    for (Request* request : batch) {
      try {
        apply(*request);
      } catch (const std::exception& e) {
        request->result = {WriteResult::Code::kStorageFailed,
                           std::string("internal error applying write: ") + e.what()};
        util::logError("internal error applying write", {{"err", e.what()}});
      }
      if (request->kind == Request::Kind::kWipe) {
        dirty_keys_.clear();  // everything before the wipe is gone anyway
        steps.back().wipe_after = true;
        steps.emplace_back();
      }
    }
    steps.back().groups = takeDirty();
    group_count_.store(groups_.size(), std::memory_order_relaxed);
    series_count_.store(index_.seriesCount(), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    retired_families.swap(retired_families_);
    retired_groups.swap(retired_groups_);
  }
  retired_families.clear();
  retired_groups.clear();
  if (!storage_) return;
  // Durable before anyone is answered: a storage plugin that promises durability makes the
  // batch durable inside write().
  std::string failure;
  for (auto& step : steps) {
    if (!step.groups.empty() && failure.empty()) {
      std::vector<plugin_host::StoragePluginInstance::Op> ops;
      ops.reserve(step.groups.size());
      for (auto& [key, group] : step.groups) {
        if (group) {
          ops.push_back({FERRY_STORAGE_PUT, key, encodeGroup(*group)});
        } else {
          ops.push_back({FERRY_STORAGE_REMOVE, key, {}});
        }
      }
      auto status = storage_->write(ops);
      if (!status.ok()) failure = status.message;
    }
    if (step.wipe_after && failure.empty()) {
      auto status = storage_->wipe();
      if (!status.ok()) failure = status.message;
    }
  }
  if (failure.empty()) return;
  util::logError("storage write failed", {{"err", failure}});
  for (Request* request : batch) {
    if (request->result.ok()) {
      request->result = {WriteResult::Code::kStorageFailed, "storage write failed: " + failure};
    }
  }
}

void Store::apply(Request& request) {
  switch (request.kind) {
    case Request::Kind::kPush:
      applyPush(request);
      break;
    case Request::Kind::kRemove:
      applyRemove(request);
      break;
    case Request::Kind::kWipe:
      applyWipe(request);
      break;
  }
}

void Store::applyPush(Request& request) {
  auto found = groups_.find(request.key);
  Group* group = found == groups_.end() ? nullptr : found->second.get();
  std::vector<std::string> errors = std::move(request.errors);
  if (errors.empty()) {
    ConsistencyCheck(index_, own_types_, request.key, request.replace_all, request.prepared)
        .check(errors);
  }
  // A new group's own gauges must not duplicate another group's: {job="x"} and
  // {job="x",instance=""} expose the same push_time_seconds series. Pushgateway creates such a
  // group even when the push fails, and every scrape fails from then on (spec §4.5.1); Ferry
  // refuses to create it.
  bool group_would_collide = false;
  if (!group) {
    auto probe = makeTimestampFamily(kPushTimeName, request.labels, 0, request.now_nanos);
    const IndexedFamily* indexed = index_.find(kPushTimeName);
    if (indexed && indexed->series.count(probe->key(0))) {
      errors.push_back(families::describeMetric(kPushTimeName, probe->metric(0)) +
                       " was collected before with the same name and label values");
      group_would_collide = true;
    }
  }
  double now_seconds = static_cast<double>(request.now_nanos) / 1e9;
  if (!errors.empty()) {
    if (!group_would_collide) {
      Group& target = group ? *group : createGroup(request.key, request.labels);
      setFamily(target, makeTimestampFamily(kPushFailureTimeName, request.labels, now_seconds,
                                            request.now_nanos));
      markDirty(request.key);
    }
    request.result = {WriteResult::Code::kInvalid,
                      "pushed metrics are invalid or inconsistent with existing metrics: " +
                          families::joinErrors(errors)};
    return;
  }
  Group& target = group ? *group : createGroup(request.key, request.labels);
  std::set<std::string> pushed_names;
  for (const auto& family : request.prepared) pushed_names.insert(family->name());
  for (auto it = target.families.begin(); it != target.families.end();) {
    bool replaced =
        !isTimestampFamily(it->first) && (request.replace_all || pushed_names.count(it->first) > 0);
    if (replaced) {
      auto next = std::next(it);
      eraseFamily(target, it);
      it = next;
    } else {
      ++it;
    }
  }
  for (auto& family : request.prepared) {
    if (family->size() > 0) setFamily(target, std::move(family));
  }
  setFamily(target,
            makeTimestampFamily(kPushTimeName, request.labels, now_seconds, request.now_nanos));
  markDirty(request.key);
  request.result = {};
}

void Store::applyRemove(Request& request) {
  auto found = groups_.find(request.key);
  if (found != groups_.end()) {
    Group& group = *found->second;
    for (const auto& [name, family] : group.families) index_.remove(group, *family);
    retired_groups_.push_back(std::move(found->second));
    groups_.erase(found);
    markDirty(request.key);
  }
  request.result = {};
}

void Store::applyWipe(Request& request) {
  index_.clear();
  for (auto& [key, group] : groups_) retired_groups_.push_back(std::move(group));
  groups_.clear();
  request.result = {};
}

Group& Store::createGroup(const std::string& key, const model::LabelMap& labels) {
  auto group = std::make_unique<Group>();
  group->key = key;
  group->labels = labels;
  Group& ref = *group;
  groups_[key] = std::move(group);
  int64_t now = nowNanos();
  setFamily(ref, makeTimestampFamily(kPushTimeName, labels, 0, now));
  setFamily(ref, makeTimestampFamily(kPushFailureTimeName, labels, 0, now));
  return ref;
}

void Store::setFamily(Group& group, StoredFamilyPtr family) {
  auto [it, inserted] = group.families.try_emplace(family->name(), family);
  if (!inserted) {
    index_.remove(group, *it->second);
    retired_families_.push_back(std::move(it->second));
    it->second = std::move(family);
  }
  index_.add(group, *it->second);
}

void Store::eraseFamily(Group& group, std::map<std::string, StoredFamilyPtr>::iterator it) {
  index_.remove(group, *it->second);
  retired_families_.push_back(std::move(it->second));
  group.families.erase(it);
}

void Store::markDirty(const std::string& key) {
  if (storage_) dirty_keys_.push_back(key);
}

std::vector<std::pair<std::string, std::optional<Group>>> Store::takeDirty() {
  std::vector<std::pair<std::string, std::optional<Group>>> out;
  std::set<std::string> seen;
  for (auto& key : dirty_keys_) {
    if (!seen.insert(key).second) continue;
    auto found = groups_.find(key);
    if (found == groups_.end()) {
      out.emplace_back(std::move(key), std::nullopt);
    } else {
      out.emplace_back(std::move(key), *found->second);
    }
  }
  dirty_keys_.clear();
  return out;
}

}  // namespace ferry::core::store
