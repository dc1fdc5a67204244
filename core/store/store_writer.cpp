#include "core/store/group_codec.h"
#include "core/store/store.h"
#include "core/store/store_request.h"
#include "core/util/log.h"

namespace ferry::core::store {

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
  std::deque<Request*> batch = takeBatch();  // begins with `request`
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

std::deque<Store::Request*> Store::takeBatch() {
  auto end = queue_.begin() + 1;
  while (end != queue_.end() && (*end)->kind != Request::Kind::kExpire) ++end;
  std::deque<Request*> batch(queue_.begin(), end);
  queue_.erase(queue_.begin(), end);
  return batch;
}

size_t Store::queuedWrites() const {
  std::lock_guard<std::mutex> lock(queue_mu_);
  return queue_.size();
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
      if (shared_status_) {
        applyShared(first, last);
      } else {
        WritePlan planned(groups_, index_);
        for (auto it = first; it != last; ++it) plan(planned, **it);
        commit(planned, first, last);
      }
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
    case Request::Kind::kRemoveMatching:
      planSelectorDelete(plan, request);
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
  publish(plan);
}

void Store::publish(WritePlan& plan) {
  std::vector<StoredFamilyPtr> retired_families;
  std::vector<std::unique_ptr<Group>> retired_groups;
  {
    std::unique_lock lock(state_mu_);
    install(plan);
    tally(plan);
    group_count_.store(groups_.size(), std::memory_order_relaxed);
    series_count_.store(index_.seriesCount(), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    retired_families.swap(retired_families_);
    retired_groups.swap(retired_groups_);
  }
  if (retired_groups.empty()) {
    retired_families.clear();  // pushes: freed here, as before (no hand-over on the push path)
  } else {
    // Removed groups (DELETE, wipe, expiry) are freed on the trimmer's thread, before the trim
    // that storeSize() below may ask for (MemoryTrimmer::dispose says why).
    struct Retired {
      std::vector<StoredFamilyPtr> families;
      std::vector<std::unique_ptr<Group>> groups;
    };
    trimmer_.dispose(
        std::make_shared<Retired>(Retired{std::move(retired_families), std::move(retired_groups)}));
  }
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
  auto ops = storageOps(plan);
  // Durable before anyone is answered: a storage plugin that promises durability makes the
  // batch durable inside write().
  auto status = storage_->write(ops);
  if (!status.ok()) return status.message.empty() ? "write failed" : status.message;
  return {};
}

std::vector<plugin_host::StoragePluginInstance::Op> Store::storageOps(WritePlan& plan) {
  std::vector<plugin_host::StoragePluginInstance::Op> ops;
  ops.reserve(plan.changes().size());
  for (const auto& [key, group] : plan.changes()) {
    if (group) {
      ops.push_back({FERRY_STORAGE_PUT, key, encodeGroup(*group)});
    } else {
      ops.push_back({FERRY_STORAGE_REMOVE, key, {}});
    }
  }
  return ops;
}

}  // namespace ferry::core::store
