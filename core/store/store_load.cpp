#include <ferry/families/push_rules.hpp>

#include "core/store/feed_follower.h"
#include "core/store/group_codec.h"
#include "core/store/store.h"
#include "core/util/log.h"

namespace ferry::core::store {

void Store::load() {
  if (!storage_) return;
  if (shared_status_) {
    follower_ = std::make_unique<FeedFollower>(*this, *storage_, *shared_status_);
    follower_->start();
    return;
  }
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
    pushed_series_ += static_cast<int64_t>(stored.pushedSeriesCount());
    ++job_groups_[std::string(model::jobOf(stored.labels))];
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

}  // namespace ferry::core::store
