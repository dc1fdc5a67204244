#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/store/index_view.h"

namespace ferry::core::store {

// Types of the families Ferry exposes about itself; pushed families must agree with them.
using OwnFamilyTypes = std::map<std::string, pb::MetricType>;

// The checks of client_golang's gather that involve what is already stored, done against the
// index (as a write batch has planned it so far) instead of re-gathering everything: the push's
// families as they would stand after the write (PUT replaces all of the group's families, POST the
// same-named ones) must not clash in type with other groups or Ferry's own metrics, must not
// duplicate another group's series, and must not collide through the _count/_sum/_bucket suffixes
// of summaries and histograms.
class ConsistencyCheck {
 public:
  ConsistencyCheck(const IndexView& index, const OwnFamilyTypes& own, const std::string& group_key,
                   bool replace_all, const std::vector<StoredFamilyPtr>& pushed);

  // Appends Pushgateway-worded errors for the pushed families.
  void check(std::vector<std::string>& errors) const;

 private:
  struct NameState {
    bool exists = false;
    pb::MetricType type = pb::UNTYPED;
  };
  NameState after(const std::string& name) const;
  void checkFamily(const StoredFamily& family, std::vector<std::string>& errors) const;
  void checkSuffixes(const StoredFamily& family, std::vector<std::string>& errors) const;

  const IndexView& index_;
  const OwnFamilyTypes& own_;
  const std::string& group_key_;
  bool replace_all_;
  std::map<std::string, const StoredFamily*> pushed_;
};

}  // namespace ferry::core::store
