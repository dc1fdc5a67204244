#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/store/family_index.h"
#include "core/store/group.h"
#include "core/store/index_view.h"

namespace ferry::core::store {

// The changes of one write batch, planned against the live state without touching it: the new
// version of every group the batch touches (or its removal), and an index of the families those
// versions changed, so that each request of the batch is checked against the state the
// requests before it would leave. The store hands the plan to the storage plugin and installs
// it in the live state only once the plugin accepted it; a refused plan is simply dropped, so a
// failed storage write leaves memory exactly as it was.
//
// A plan reads the live groups and index without a lock: only the writer changes them, and it
// is the one planning. The index of planned families is built only when a second request of
// the batch needs it, so a batch of one request pays for no second index.
class WritePlan {
 public:
  WritePlan(const GroupMap& live, const FamilyIndex& live_index)
      : live_(live), live_index_(live_index) {}
  WritePlan(const WritePlan&) = delete;
  WritePlan& operator=(const WritePlan&) = delete;

  // The group as the batch so far leaves it, or null.
  const Group* find(const std::string& key) const;
  // The planned version of the group, for changing: copied from the live group when the batch
  // first touches it, or a new group holding both timestamp gauges at 0.
  Group& edit(const std::string& key, const model::LabelMap& labels, int64_t now_nanos);
  // Changes a planned group (from edit()).
  void setFamily(Group& group, StoredFamilyPtr family);
  void eraseFamily(Group& group, const std::string& name);
  void remove(const std::string& key);
  // Sets a group's planned version wholesale (a group another replica committed), replacing
  // whatever the batch so far leaves under its key.
  void put(std::unique_ptr<Group> group);
  // Removes every group, including those planned so far.
  void wipe();
  // Calls fn(group) for every group as the batch so far leaves it, live or planned, in no
  // particular order.
  template <typename Fn>
  void forEachGroup(Fn&& fn) const {
    if (!wiped_) {
      for (const auto& [key, group] : live_) {
        if (changes_.find(key) == changes_.end()) fn(*group);
      }
    }
    for (const auto& [key, group] : changes_) {
      if (group) fn(*group);
    }
  }

  // How the batch so far changes what the limits count, relative to the live state (to an
  // empty store after a planned wipe): groups, series as pushed (without the timestamp
  // gauges), and groups per job.
  int64_t groupDelta() const { return group_delta_; }
  int64_t seriesDelta() const { return series_delta_; }
  const std::map<std::string, int64_t, std::less<>>& jobDeltas() const { return job_deltas_; }

  // The state as the batch so far leaves it, for the consistency check.
  IndexView view();

  bool empty() const { return !wiped_ && changes_.empty(); }
  // True when the live state is to be wiped before the changes are installed.
  bool wiped() const { return wiped_; }
  // Every touched group by key: its planned version, or null when it is removed. Installing
  // moves new groups out of it.
  GroupMap& changes() { return changes_; }

 private:
  friend class IndexView;

  // The live group's family `name`, or null (also after a planned wipe).
  const StoredFamily* liveFamily(const std::string& key, const std::string& name) const;
  // Families of a planned group that are not the live group's go into the planned index.
  void indexPlanned(const Group& group);
  void unindexPlanned(const Group& group);

  const GroupMap& live_;
  const FamilyIndex& live_index_;
  GroupMap changes_;
  bool wiped_ = false;
  bool planned_indexed_ = false;  // planned_index_ is kept in step with changes_
  int64_t group_delta_ = 0;
  int64_t series_delta_ = 0;
  std::map<std::string, int64_t, std::less<>> job_deltas_;
  // Points into the groups of changes_, so it is declared after them (destroyed first).
  FamilyIndex planned_index_;
};

}  // namespace ferry::core::store
