// The host side of the family builder (ferry_family_builder, ABI 1.2): the builder calls of one
// parse become io.prometheus.client.MetricFamily messages in an arena. Ferry's plugin host and
// the input kit both use it, so a plugin's output is built the same way in its tests as in
// Ferry. Plugins never need it: they use ferry::sdk::Families (ferry/sdk/families.hpp).
#pragma once

#include <ferry/metrics.pb.h>
#include <ferry/plugin_abi.h>
#include <google/protobuf/arena.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ferry::families {

class FamilyCollector {
 public:
  // The families are created in `arena`, which must outlive them.
  explicit FamilyCollector(google::protobuf::Arena* arena);
  FamilyCollector(const FamilyCollector&) = delete;
  FamilyCollector& operator=(const FamilyCollector&) = delete;
  ~FamilyCollector();

  // The callback table a host puts in ferry_host.family_builder.
  static const ferry_family_builder* builder();
  // What parse_families gets as `out`.
  ferry_families* handle() { return reinterpret_cast<ferry_families*>(this); }

  // Adds varint-length-delimited MetricFamily messages (the bytes interface); a family of a
  // name seen before replaces it. False, with message(), when the bytes are malformed.
  bool addDelimited(std::string_view bytes);

  // The first builder call that failed: its status (FERRY_OK if none) and message. It decides
  // the outcome of the parse, whatever the plugin returned.
  ferry_status status() const { return status_; }
  const std::string& message() const { return message_; }

  // The families, in the order their names first came.
  const std::vector<io::prometheus::client::MetricFamily*>& families() const { return families_; }
  std::vector<io::prometheus::client::MetricFamily*> takeFamilies() { return std::move(families_); }

  // The largest a family may grow through the builder: StoredFamily offsets are 32 bits wide and
  // protobuf cannot encode a message of 2 GiB.
  static constexpr size_t kMaxFamilyBytes = size_t{1} << 30;

 private:
  struct Slot;
  ferry_status fail(ferry_status status, std::string message);
  ferry_status startFamily(const ferry_family_info* info, ferry_family** family);
  ferry_status addSeries(Slot& slot, const ferry_series* series);
  Slot& slotFor(io::prometheus::client::MetricFamily* family);

  google::protobuf::Arena* arena_;
  std::vector<io::prometheus::client::MetricFamily*> families_;
  std::vector<std::unique_ptr<Slot>> slots_;              // one per family, same order
  std::unordered_map<std::string_view, size_t> by_name_;  // views into the families' names
  ferry_status status_ = FERRY_OK;
  std::string message_;

  friend struct BuilderCallbacks;
};

}  // namespace ferry::families
