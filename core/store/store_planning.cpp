#include <algorithm>
#include <ferry/families/push_rules.hpp>
#include <ferry/support/go_quote.hpp>
#include <set>

#include "core/store/push_limits.h"
#include "core/store/store.h"
#include "core/store/store_request.h"

namespace ferry::core::store {

void Store::planPush(WritePlan& plan, Request& request) {
  const Group* group = plan.find(request.key);
  std::vector<std::string> errors = request.errors;  // a shared store may plan it again
  IndexView view = plan.view();
  if (errors.empty()) {
    ConsistencyCheck(view, own_types_, request.key, request.replace_all, request.prepared)
        .check(errors);
  }
  // A new group's own gauges must not duplicate another group's: {job="x"} and
  // {job="x",instance=""} expose the same push_time_seconds series. Pushgateway creates such a
  // group even when the push fails, and every scrape fails from then on (spec §4.5.1); Ferry
  // refuses to create it.
  bool group_would_collide = false;
  if (!group) {
    auto probe = makeTimestampFamily(kPushTimeName, request.labels, 0, request.now_nanos);
    if (view.seriesOwner(kPushTimeName, probe->key(0))) {
      errors.push_back(families::describeMetric(kPushTimeName, probe->metric(0)) +
                       " was collected before with the same name and label values");
      group_would_collide = true;
    }
  }
  double now_seconds = static_cast<double>(request.now_nanos) / 1e9;
  if (!errors.empty()) {
    request.result = {WriteResult::Code::kInvalid,
                      "pushed metrics are invalid or inconsistent with existing metrics: " +
                          families::joinErrors(errors)};
    request.result.reason = request.error_reason ? request.error_reason : "consistency";
    // A failed push creates its group to record the failure, as in the Pushgateway, unless
    // the store has no room for another group.
    const bool no_room = !group && policy_.hasLimits() &&
                         newGroupBreach(plan, model::jobOf(request.labels),
                                        policy_.limitsFor(model::jobOf(request.labels)));
    if (!group_would_collide && !no_room) {
      Group& target = plan.edit(request.key, request.labels, request.now_nanos);
      plan.setFamily(target, makeTimestampFamily(kPushFailureTimeName, request.labels, now_seconds,
                                                 request.now_nanos));
      target.last_failure_reason = boundedFailureReason(request.result.message);
    }
    return;
  }
  if (policy_.hasLimits()) {
    // Refused before the plan changes: nothing of it is stored, not even the failure time.
    WriteResult refused = checkStoreLimits(plan, request, group);
    if (!refused.ok()) {
      request.result = std::move(refused);
      return;
    }
  }
  Group& target = plan.edit(request.key, request.labels, request.now_nanos);
  if (target.expired) {
    // A push revives a hidden group with what it sends, as a new group: what it held before
    // expiring was never checked against the pushes made meanwhile.
    std::vector<std::string> stale;
    for (const auto& [name, family] : target.families) {
      if (!isTimestampFamily(name)) stale.push_back(name);
    }
    for (const auto& name : stale) plan.eraseFamily(target, name);
    target.expired = false;
  }
  target.ttl_nanos = policy_.ttlFor(model::jobOf(request.labels), request.ttl_nanos);
  target.deadline_nanos = target.ttl_nanos > 0 ? request.now_nanos + target.ttl_nanos : 0;
  std::set<std::string> pushed_names;
  for (const auto& family : request.prepared) pushed_names.insert(family->name());
  std::vector<std::string> replaced;
  for (const auto& [name, family] : target.families) {
    if (!isTimestampFamily(name) && (request.replace_all || pushed_names.count(name) > 0)) {
      replaced.push_back(name);
    }
  }
  for (const auto& name : replaced) plan.eraseFamily(target, name);
  for (const auto& family : request.prepared) {
    if (family->size() > 0) plan.setFamily(target, family);
  }
  plan.setFamily(
      target, makeTimestampFamily(kPushTimeName, request.labels, now_seconds, request.now_nanos));
  request.result = {};
  request.result.deadline_nanos = target.deadline_nanos;
}

void Store::planExpiry(WritePlan& plan, Request& request) {
  request.result = {};
  // A shared store plans a batch again after a conflict: count only the plan that commits.
  request.expired = 0;
  if (expiry_batch_hook_) expiry_batch_hook_();
  // The live deadline order is changed only by this (the writer's) thread (on a shared store
  // also by the FeedFollower, which the writer's feed_mu_ keeps out), so it is read here
  // without the state lock. Each due group is looked up as the batch so far leaves it: a push
  // planned earlier in the batch may have moved its deadline.
  std::vector<const Group*> due;
  size_t series = 0;
  for (auto it = by_deadline_.begin(); it != by_deadline_.end() && it->value <= request.now_nanos &&
                                       due.size() < expiry_batch_.groups;
       ++it) {
    series += it->group->seriesCount();
    if (!due.empty() && series > expiry_batch_.series) break;
    due.push_back(it->group);
  }
  for (const Group* live : due) {
    const Group* group = plan.find(live->key);
    if (!group || group->expired || group->deadline_nanos == 0 ||
        group->deadline_nanos > request.now_nanos) {
      continue;
    }
    if (policy_.hide_expired) {
      plan.edit(live->key, live->labels, request.now_nanos).expired = true;
    } else {
      plan.remove(live->key);
    }
    ++request.expired;
  }
}

WriteResult Store::checkStoreLimits(WritePlan& plan, const Request& request,
                                    const Group* group) const {
  using model::Limit;
  const std::string_view job = model::jobOf(request.labels);
  const model::LimitValues limits = policy_.limitsFor(job);
  // The group's series before and after the push: a hidden group keeps none of its old ones.
  const auto before = group ? static_cast<int64_t>(group->pushedSeriesCount()) : 0;
  int64_t after = 0;
  if (group && !group->expired && !request.replace_all) {
    std::set<std::string_view> pushed;
    for (const auto& family : request.prepared) pushed.insert(family->name());
    for (const auto& [name, family] : group->families) {
      if (!isTimestampFamily(name) && pushed.count(name) == 0) after += family->size();
    }
  }
  for (const auto& family : request.prepared) after += family->size();
  std::optional<LimitBreach> breach = checkCount(limits, Limit::kMaxSeriesPerGroup, before, after,
                                                 "the group would hold %d series");
  if (!breach && !group) breach = newGroupBreach(plan, job, limits);
  if (!breach) {
    const int64_t series = (plan.wiped() ? 0 : pushed_series_) + plan.seriesDelta();
    breach = checkCount(limits, Limit::kMaxSeries, series, series - before + after,
                        "the store would hold %d series");
  }
  return breach ? overLimit(*breach) : WriteResult{};
}

std::optional<LimitBreach> Store::newGroupBreach(const WritePlan& plan, std::string_view job,
                                                 const model::LimitValues& limits) const {
  using model::Limit;
  // What the store holds as the batch so far leaves it (a planned wipe empties it).
  const bool wiped = plan.wiped();
  auto live_job = job_groups_.find(job);
  auto planned_job = plan.jobDeltas().find(job);
  const int64_t job_groups = (wiped || live_job == job_groups_.end() ? 0 : live_job->second) +
                             (planned_job == plan.jobDeltas().end() ? 0 : planned_job->second);
  auto breach = checkCount(limits, Limit::kMaxGroupsPerJob, job_groups, job_groups + 1,
                           "job " + support::goQuote(job) + " would have %d groups");
  if (breach) return breach;
  const int64_t groups = (wiped ? 0 : static_cast<int64_t>(groups_.size())) + plan.groupDelta();
  return checkCount(limits, Limit::kMaxGroups, groups, groups + 1,
                    "the store would hold %d groups");
}

namespace {

// The groups `for_each` visits that any of `selectors` matches, by grouping key, into
// out.groups; or out.forbidden_job (and no groups) when `may_delete` refuses the job of one.
// The delete and its dry run both answer through this, so they agree on the same state.
template <typename ForEach>
WriteResult matchGroups(const ForEach& for_each, const std::vector<model::Selector>& selectors,
                        const JobPermission& may_delete, SelectorDeleteResult& out) {
  std::vector<const Group*> matched;
  try {
    for_each([&](const Group& group) {
      for (const auto& selector : selectors) {
        if (selector.matches(group.labels)) {
          matched.push_back(&group);
          return;
        }
      }
    });
  } catch (const model::SelectorError& e) {
    return {WriteResult::Code::kInvalid, e.what()};
  }
  std::sort(matched.begin(), matched.end(),
            [](const Group* a, const Group* b) { return a->key < b->key; });
  for (const Group* group : matched) {
    std::string_view job = model::jobOf(group->labels);
    if (!may_delete(job)) {
      out.forbidden_job = std::string(job);
      return {};
    }
  }
  // Copied: the groups may be freed once the caller lets go of them.
  out.groups.reserve(matched.size());
  for (const Group* group : matched) out.groups.push_back({group->key, group->labels});
  return {};
}

}  // namespace

void Store::planSelectorDelete(WritePlan& plan, Request& request) {
  SelectorDeleteResult& out = *request.matched;
  // A shared store plans a batch again after a conflict: only the plan that commits answers.
  out.groups.clear();
  out.forbidden_job.reset();
  // Matched against the groups as the batch so far leaves them: a push planned before this
  // request in the same batch landed before the delete, so its group is deleted too.
  request.result = matchGroups([&](const auto& fn) { plan.forEachGroup(fn); }, *request.selectors,
                               *request.may_delete, out);
  if (!request.result.ok() || out.forbidden_job) return;
  for (const auto& group : out.groups) plan.remove(group.key);
}

SelectorDeleteResult Store::matchingGroups(const std::vector<model::Selector>& selectors,
                                           const JobPermission& may_delete) const {
  SelectorDeleteResult out;
  // The installed state, as the delete would see it if it were the next write: every write
  // answered before this call is in it, none is half in it.
  read([&](const StoreView& view) {
    out.result = matchGroups(
        [&](const auto& fn) {
          for (const auto& [key, group] : view.groups) fn(*group);
        },
        selectors, may_delete, out);
    return 0;
  });
  if (!out.result.ok()) out.groups.clear();
  return out;
}

}  // namespace ferry::core::store
