#include "core/pipeline/pipeline.h"

#include "core/util/log.h"

namespace ferry::core::pipeline {

Pipeline::Pipeline(std::vector<std::unique_ptr<plugin_host::InputPluginInstance>> inputs,
                   store::Store& store, PipelineOptions options)
    : inputs_(std::move(inputs)), store_(store), options_(options) {}

const plugin_host::InputPluginInstance* Pipeline::selectInput(std::string_view content_type) const {
  for (const auto& input : inputs_) {
    if (input->accepts(content_type)) return input.get();
  }
  return nullptr;
}

Outcome Pipeline::push(const model::LabelMap& grouping_labels, bool replace_all,
                       std::string_view content_type, std::string_view body,
                       std::optional<int64_t> ttl_nanos) {
  const auto* input = selectInput(content_type);
  if (!input) {
    return {415, "no input plugin accepts Content-Type \"" + std::string(content_type) + "\"", 0,
            "content_type"};
  }
  // The plugin's families are built straight into the push's arena (the family builder), or
  // decoded into it from the delimited bytes of a plugin of the older interface.
  store::PushedFamilies families{store::makePushArena(), {}};
  auto status = input->parse(content_type, body, families.arena.get(), families.families);
  if (status.status == FERRY_ERR_INVALID_INPUT) return {400, status.message, 0, "parse"};
  if (!status.ok()) {
    util::logError("input plugin failed",
                   {{"plugin", input->info().name}, {"err", status.message}});
    return {500, "input plugin \"" + input->info().name + "\" failed: " + status.message, 0,
            "input_plugin"};
  }
  auto result = store_.push(grouping_labels, std::move(families), replace_all, ttl_nanos);
  switch (result.code) {
    case store::WriteResult::Code::kOk:
      return {options_.consistency_check ? 200 : 202, {}, result.deadline_nanos};
    case store::WriteResult::Code::kInvalid:
      if (!options_.consistency_check) {
        // Like the Pushgateway with --push.disable-consistency-check: the client is not told
        // (202); the failure is in push_failure_time_seconds and the log.
        util::logWarn("push refused", {{"err", result.message}});
        return {202, {}, 0, result.reason};
      }
      return {400, result.message, 0, result.reason};
    case store::WriteResult::Code::kOverLimit:
      // Refused whatever --push.disable-consistency-check says: a client must see it.
      return {model::limitStatus(*result.limit), result.message, 0, result.reason};
    case store::WriteResult::Code::kStorageFailed:
      return {500, result.message, 0, "storage"};
    case store::WriteResult::Code::kUnavailable:
      return {503, result.message, 0, "storage"};
  }
  return {500, "unexpected store result"};
}

Outcome Pipeline::writeOutcome(const store::WriteResult& result) {
  if (result.ok()) return {202, {}};
  // A shared store that cannot be reached is a temporary condition: 503, so clients retry.
  return {result.code == store::WriteResult::Code::kUnavailable ? 503 : 500, result.message};
}

Outcome Pipeline::remove(const model::LabelMap& grouping_labels) {
  return writeOutcome(store_.remove(grouping_labels));
}

store::SelectorDeleteResult Pipeline::removeMatching(const std::vector<model::Selector>& selectors,
                                                     const store::JobPermission& may_delete,
                                                     bool dry_run) {
  return store_.removeMatching(selectors, may_delete, dry_run);
}

Outcome Pipeline::wipe() { return writeOutcome(store_.wipe()); }

}  // namespace ferry::core::pipeline
