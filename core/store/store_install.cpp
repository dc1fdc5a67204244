#include "core/store/store.h"

namespace ferry::core::store {

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

void Store::tally(const WritePlan& plan) {
  if (plan.wiped()) {
    pushed_series_ = 0;
    job_groups_.clear();
  }
  pushed_series_ += plan.seriesDelta();
  for (const auto& [job, delta] : plan.jobDeltas()) {
    if (delta == 0) continue;
    auto it = job_groups_.try_emplace(job, 0).first;
    it->second += delta;
    if (it->second <= 0) job_groups_.erase(it);
  }
}

}  // namespace ferry::core::store
