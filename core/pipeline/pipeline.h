#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/grouping_key.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/store/store.h"

namespace ferry::core::pipeline {

struct PipelineOptions {
  // Pushgateway answers a checked push with 200 or 400 after the store's verdict, and with 202
  // without a verdict when --push.disable-consistency-check is set. Ferry's check is
  // incremental and always runs (no inconsistent data is ever stored); the flag only changes
  // the answer to 202 either way.
  bool consistency_check = true;
};

// The HTTP-independent outcome of a request: status code and, for errors, the message.
struct Outcome {
  int status = 200;
  std::string message;         // error text without the trailing newline
  int64_t deadline_nanos = 0;  // a stored push: the group's deadline (0: none)
  // A refused push (also one answered 202 without the consistency check): why, as
  // ferry_push_rejected_total's reason; null when it was stored.
  const char* reason = nullptr;
};

// Push, delete and wipe as the config wires them: the body goes to the first input plugin that
// accepts its Content-Type, the families it returns go to the store.
class Pipeline {
 public:
  Pipeline(std::vector<std::unique_ptr<plugin_host::InputPluginInstance>> inputs,
           store::Store& store, PipelineOptions options);

  // `body` is already decompressed.
  // `ttl_nanos`: the TTL the pusher asked for (Ferry-TTL), if any.
  Outcome push(const model::LabelMap& grouping_labels, bool replace_all,
               std::string_view content_type, std::string_view body,
               std::optional<int64_t> ttl_nanos = std::nullopt);
  Outcome remove(const model::LabelMap& grouping_labels);
  // DELETE <prefix>/api/v1/groups?match[]=: see Store::removeMatching.
  store::SelectorDeleteResult removeMatching(const std::vector<model::Selector>& selectors,
                                             const store::JobPermission& may_delete, bool dry_run);
  Outcome wipe();

  const std::vector<std::unique_ptr<plugin_host::InputPluginInstance>>& inputs() const {
    return inputs_;
  }

 private:
  // 202, or the status a failed remove/wipe gets (503 for an unreachable shared store).
  static Outcome writeOutcome(const store::WriteResult& result);
  const plugin_host::InputPluginInstance* selectInput(std::string_view content_type) const;

  std::vector<std::unique_ptr<plugin_host::InputPluginInstance>> inputs_;
  store::Store& store_;
  PipelineOptions options_;
};

}  // namespace ferry::core::pipeline
