#include "core/store/write_plan.h"

namespace ferry::core::store {
namespace {

// Series a family adds to what the limits count: the timestamp gauges count for nothing.
int64_t countedSeries(const std::string& name, const StoredFamily& family) {
  return isTimestampFamily(name) ? 0 : family.size();
}

}  // namespace

const Group* WritePlan::find(const std::string& key) const {
  if (auto it = changes_.find(key); it != changes_.end()) return it->second.get();
  if (wiped_) return nullptr;
  auto it = live_.find(key);
  return it == live_.end() ? nullptr : it->second.get();
}

Group& WritePlan::edit(const std::string& key, const model::LabelMap& labels, int64_t now_nanos) {
  auto [it, inserted] = changes_.try_emplace(key);
  if (it->second) return *it->second;
  auto live = wiped_ || !inserted ? live_.end() : live_.find(key);
  if (live != live_.end()) {
    // Shares the live group's families; only what the batch changes gets new ones.
    it->second = std::make_unique<Group>(*live->second);
    return *it->second;
  }
  it->second = std::make_unique<Group>();
  Group& group = *it->second;
  group.key = key;
  group.labels = labels;
  ++group_delta_;
  ++job_deltas_[std::string(model::jobOf(group.labels))];
  setFamily(group, makeTimestampFamily(kPushTimeName, labels, 0, now_nanos));
  setFamily(group, makeTimestampFamily(kPushFailureTimeName, labels, 0, now_nanos));
  return group;
}

const StoredFamily* WritePlan::liveFamily(const std::string& key, const std::string& name) const {
  if (wiped_) return nullptr;
  auto group = live_.find(key);
  if (group == live_.end()) return nullptr;
  auto family = group->second->families.find(name);
  return family == group->second->families.end() ? nullptr : family->second.get();
}

void WritePlan::setFamily(Group& group, StoredFamilyPtr family) {
  auto [it, inserted] = group.families.try_emplace(family->name(), family);
  const StoredFamily* live = planned_indexed_ ? liveFamily(group.key, it->first) : nullptr;
  if (!inserted) {
    if (planned_indexed_ && it->second.get() != live) planned_index_.remove(group, *it->second);
    series_delta_ -= countedSeries(it->first, *it->second);
    it->second = std::move(family);
  }
  series_delta_ += countedSeries(it->first, *it->second);
  if (planned_indexed_ && it->second.get() != live) planned_index_.add(group, *it->second);
}

void WritePlan::eraseFamily(Group& group, const std::string& name) {
  auto it = group.families.find(name);
  if (it == group.families.end()) return;
  if (planned_indexed_ && it->second.get() != liveFamily(group.key, name)) {
    planned_index_.remove(group, *it->second);
  }
  series_delta_ -= countedSeries(name, *it->second);
  group.families.erase(it);
}

void WritePlan::remove(const std::string& key) {
  if (const Group* group = find(key)) {
    --group_delta_;
    --job_deltas_[std::string(model::jobOf(group->labels))];
    series_delta_ -= static_cast<int64_t>(group->pushedSeriesCount());
  }
  auto it = changes_.find(key);
  if (it != changes_.end() && it->second && planned_indexed_) unindexPlanned(*it->second);
  if (!wiped_ && live_.count(key)) {
    if (it == changes_.end()) {
      changes_.emplace(key, nullptr);
    } else {
      it->second.reset();
    }
  } else if (it != changes_.end()) {
    changes_.erase(it);  // created by this batch: nothing stored to remove
  }
}

void WritePlan::put(std::unique_ptr<Group> group) {
  if (const Group* old = find(group->key)) {
    --group_delta_;
    --job_deltas_[std::string(model::jobOf(old->labels))];
    series_delta_ -= static_cast<int64_t>(old->pushedSeriesCount());
  }
  ++group_delta_;
  ++job_deltas_[std::string(model::jobOf(group->labels))];
  series_delta_ += static_cast<int64_t>(group->pushedSeriesCount());
  auto& slot = changes_[group->key];
  if (slot && planned_indexed_) unindexPlanned(*slot);
  slot = std::move(group);
  if (planned_indexed_) indexPlanned(*slot);
}

void WritePlan::wipe() {
  planned_index_.clear();
  changes_.clear();
  wiped_ = true;
  group_delta_ = 0;
  series_delta_ = 0;
  job_deltas_.clear();
}

IndexView WritePlan::view() {
  if (!planned_indexed_ && !changes_.empty()) {
    for (const auto& [key, group] : changes_) {
      if (group) indexPlanned(*group);
    }
    planned_indexed_ = true;
  }
  return IndexView(live_index_, this);
}

void WritePlan::indexPlanned(const Group& group) {
  for (const auto& [name, family] : group.families) {
    if (family.get() != liveFamily(group.key, name)) planned_index_.add(group, *family);
  }
}

void WritePlan::unindexPlanned(const Group& group) {
  for (const auto& [name, family] : group.families) {
    if (family.get() != liveFamily(group.key, name)) planned_index_.remove(group, *family);
  }
}

}  // namespace ferry::core::store
