#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/store/group.h"

namespace ferry::core::store {

// One series as the index sees it: where it lives.
struct SeriesRef {
  const Group* group;
  const StoredFamily* family;
  int index;  // series index within the family
};

// Every stored series of one metric name across all groups, in exposition order.
struct IndexedFamily {
  pb::MetricType type = pb::UNTYPED;  // shared by all contributors (the check guarantees it)
  // seriesSortKey → series; the keys point into the stored families, which outlive their
  // index entries (a family is removed from the index before it is released).
  std::map<std::string_view, SeriesRef> series;
  // Groups that hold a family of this name, by grouping key: ordered, so the HELP shown for
  // conflicting HELP strings is deterministic (see help()). The keys point at Group::key of
  // stored groups, which outlive their index entries like the families do.
  std::map<std::string_view, const StoredFamily*> contributors;
  // Changes with every add or remove, so caches of the rendered family know when to redo it.
  uint64_t version = 0;

  // The HELP of the merged family: the first group's non-empty one, else "" if some group set
  // an empty HELP, else null (no HELP line). The Pushgateway takes a random group's instead.
  const std::string* help() const;
};

// Metric name → IndexedFamily, kept in step with the groups on every write. It is the
// consistency check's memory (a push is checked against it in O(size of the push)) and the
// scrape's merge order (families sorted by name, series sorted within each family).
class FamilyIndex {
 public:
  void add(const Group& group, const StoredFamily& family);
  void remove(const Group& group, const StoredFamily& family);
  void clear() { families_.clear(); }

  const IndexedFamily* find(const std::string& name) const;
  const std::map<std::string, IndexedFamily>& families() const { return families_; }
  size_t seriesCount() const { return series_count_; }

 private:
  std::map<std::string, IndexedFamily> families_;
  size_t series_count_ = 0;
  uint64_t next_version_ = 0;
};

}  // namespace ferry::core::store
