#include "core/store/index_view.h"

#include "core/store/write_plan.h"

namespace ferry::core::store {

bool IndexView::overridden(std::string_view group_key, const std::string& name,
                           const StoredFamily* family) const {
  if (!plan_) return false;
  if (plan_->wiped_) return true;
  auto it = plan_->changes_.find(group_key);
  if (it == plan_->changes_.end()) return false;
  if (!it->second) return true;
  auto planned = it->second->families.find(name);
  return planned == it->second->families.end() || planned->second.get() != family;
}

std::optional<pb::MetricType> IndexView::typeInOtherGroups(const std::string& name,
                                                           const std::string& group_key) const {
  if (plan_ && plan_->planned_indexed_) {
    if (const IndexedFamily* planned = plan_->planned_index_.find(name)) {
      for (const auto& [key, family] : planned->contributors) {
        if (key != group_key) return planned->type;
      }
    }
  }
  if (const IndexedFamily* live = live_.find(name)) {
    // Skips at most this group and the groups the plan changed: bounded by the batch.
    for (const auto& [key, family] : live->contributors) {
      if (key != group_key && !overridden(key, name, family)) return live->type;
    }
  }
  return std::nullopt;
}

std::optional<pb::MetricType> IndexView::typeInGroup(const std::string& name,
                                                     const std::string& group_key) const {
  if (plan_ && (plan_->wiped_ || plan_->changes_.count(group_key))) {
    const Group* group = plan_->find(group_key);
    if (!group) return std::nullopt;
    auto it = group->families.find(name);
    if (it == group->families.end() || it->second->size() == 0) return std::nullopt;
    return it->second->type();
  }
  const IndexedFamily* live = live_.find(name);
  if (!live || !live->contributors.count(group_key)) return std::nullopt;
  return live->type;
}

const std::string* IndexView::seriesOwner(const std::string& name,
                                          std::string_view series_key) const {
  if (plan_ && plan_->planned_indexed_) {
    if (const IndexedFamily* planned = plan_->planned_index_.find(name)) {
      auto it = planned->series.find(series_key);
      if (it != planned->series.end()) return &it->second.group->key;
    }
  }
  const IndexedFamily* live = live_.find(name);
  if (!live) return nullptr;
  auto it = live->series.find(series_key);
  if (it == live->series.end()) return nullptr;
  const SeriesRef& ref = it->second;
  if (overridden(ref.group->key, name, ref.family)) return nullptr;
  return &ref.group->key;
}

}  // namespace ferry::core::store
