// One write request as the store's writer queue holds it; shared by store.cpp and
// store_shared.cpp only.
#pragma once

#include <condition_variable>
#include <optional>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace ferry::core::store {

struct Store::Request {
  enum class Kind { kPush, kRemove, kWipe, kExpire };
  Kind kind = Kind::kPush;
  std::string key;
  model::LabelMap labels;
  bool replace_all = false;
  int64_t now_nanos = 0;
  std::optional<int64_t> ttl_nanos;       // kPush: asked for by the pusher
  size_t expired = 0;                     // kExpire: how many groups it expired
  std::vector<std::string> errors;        // found before taking the lock
  std::vector<StoredFamilyPtr> prepared;  // sanitized, rendered, may include empty families
  WriteResult result;
  bool done = false;  // applied and answered (guarded by queue_mu_)
  bool lead = false;  // this request's thread is to apply the next batch (guarded by queue_mu_)
  std::condition_variable cv;
};

}  // namespace ferry::core::store
