#pragma once

#include <condition_variable>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace ferry::core::store {

// One write waiting in (or being applied from) the store's queue; it lives on the stack of the
// thread that asked for the write until that thread is answered. Shared by the store's .cpp
// files only.
struct Store::Request {
  enum class Kind { kPush, kRemove, kWipe, kExpire, kRemoveMatching };
  Kind kind = Kind::kPush;
  std::string key;
  model::LabelMap labels;
  bool replace_all = false;
  int64_t now_nanos = 0;
  std::optional<int64_t> ttl_nanos;       // kPush: asked for by the pusher
  size_t expired = 0;                     // kExpire: how many groups it expired
  std::vector<std::string> errors;        // found before taking the lock
  std::vector<StoredFamilyPtr> prepared;  // sanitized, rendered, may include empty families
  const char* error_reason = nullptr;     // kPush: why `errors` refuse it
  // kRemoveMatching: what to delete, who may, and what it matched.
  const std::vector<model::Selector>* selectors = nullptr;
  const JobPermission* may_delete = nullptr;
  SelectorDeleteResult* matched = nullptr;
  WriteResult result;
  bool done = false;  // applied and answered (guarded by queue_mu_)
  bool lead = false;  // this request's thread is to apply the next batch (guarded by queue_mu_)
  std::condition_variable cv;
};

}  // namespace ferry::core::store
