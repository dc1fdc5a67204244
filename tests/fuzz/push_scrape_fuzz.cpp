// The whole write and read path of a push, without HTTP: a body parsed by the text or the
// protobuf input, PUT into a Store (label sanitization, validation, the consistency check),
// then scraped through the Exposition in every format and through the JSON API.
// Input: a mode byte ('P': the rest is a delimited protobuf body; anything else: text), then
// the body.
// Invariants:
//  - whatever the store accepts, it serves back unchanged: the protobuf scrape holds exactly
//    the pushed families after the store's documented sanitization (grouping labels set,
//    instance="" added, labels sorted, push_time_seconds/push_failure_time_seconds its own;
//    of a family itself only name, help and type), and the text scrape parses to what the
//    text format can carry of them;
//  - the JSON API is valid JSON (UTF-8 included) for every accepted push;
//  - a refused push has a message.
#include <ferry/metrics.pb.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ferry/families/push_rules.hpp>
#include <ferry/support/go_strconv.hpp>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/expo/negotiation.h"
#include "core/expo/text_format.h"
#include "core/store/exposition.h"
#include "core/store/group.h"
#include "core/store/store.h"
#include "plugins/protobuf/protobuf_parser.h"
#include "plugins/text/text_parser.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/proto_compare.h"

namespace {

namespace pb = io::prometheus::client;
namespace store = ferry::core::store;
using ferry::fuzz::printable;

const ferry::core::model::LabelMap kGrouping{{"job", "fuzz"}};

// What the text format carries of a metric of a family of `type`: labels and the plain values.
// Not created timestamps, exemplars or native histogram buckets; counts as the float they are
// printed as, read back as Go converts them; no bucket or quantile at NaN (Go's parser uses NaN
// for "none" and drops them); a le="+Inf" bucket in every histogram.
pb::Metric textualMetric(pb::MetricType type, const pb::Metric& metric) {
  using ferry::support::goFloatToUint64;
  pb::Metric out;
  *out.mutable_label() = metric.label();
  switch (type) {
    case pb::COUNTER:
      out.mutable_counter()->set_value(metric.counter().value());
      break;
    case pb::GAUGE:
      out.mutable_gauge()->set_value(metric.gauge().value());
      break;
    case pb::UNTYPED:
      out.mutable_untyped()->set_value(metric.untyped().value());
      break;
    case pb::SUMMARY: {
      auto* summary = out.mutable_summary();
      summary->set_sample_count(
          goFloatToUint64(static_cast<double>(metric.summary().sample_count())));
      summary->set_sample_sum(metric.summary().sample_sum());
      for (const auto& q : metric.summary().quantile()) {
        if (!std::isnan(q.quantile())) *summary->add_quantile() = q;
      }
      break;
    }
    case pb::HISTOGRAM:
    case pb::GAUGE_HISTOGRAM: {
      const auto& in = metric.histogram();
      auto* histogram = out.mutable_histogram();
      const double count = in.sample_count_float() != 0 ? in.sample_count_float()
                                                        : static_cast<double>(in.sample_count());
      histogram->set_sample_count(goFloatToUint64(count));
      histogram->set_sample_sum(in.sample_sum());
      bool has_inf = false;
      for (const auto& bucket : in.bucket()) {
        if (std::isnan(bucket.upper_bound())) continue;
        has_inf = has_inf || bucket.upper_bound() == std::numeric_limits<double>::infinity();
        auto* kept = histogram->add_bucket();
        kept->set_upper_bound(bucket.upper_bound());
        kept->set_cumulative_count(goFloatToUint64(
            bucket.cumulative_count_float() != 0 ? bucket.cumulative_count_float()
                                                 : static_cast<double>(bucket.cumulative_count())));
      }
      if (!has_inf) {
        auto* inf = histogram->add_bucket();
        inf->set_upper_bound(std::numeric_limits<double>::infinity());
        inf->set_cumulative_count(goFloatToUint64(count));
      }
      break;
    }
  }
  return out;
}

// What the text format carries of families (exposition skips metrics without the value their
// type needs, and writes GAUGE_HISTOGRAM as histogram; a HELP text's leading blanks are lost).
std::vector<pb::MetricFamily> textual(const std::vector<pb::MetricFamily>& families) {
  std::vector<pb::MetricFamily> out;
  for (const auto& family : families) {
    pb::MetricFamily kept;
    kept.set_name(family.name());
    // The parser skips the blanks between the name and the HELP text (as Go's does).
    const size_t text_start = family.help().find_first_not_of(" \t");
    kept.set_help(text_start == std::string::npos ? "" : family.help().substr(text_start));
    kept.set_type(family.type() == pb::GAUGE_HISTOGRAM ? pb::HISTOGRAM : family.type());
    for (const auto& metric : family.metric()) {
      if (!ferry::core::expo::metricMatchesType(family.type(), metric)) continue;
      *kept.add_metric() = textualMetric(family.type(), metric);
    }
    if (kept.metric_size() > 0) out.push_back(std::move(kept));
  }
  return out;
}

// Families by name, without the group's own timestamp gauges.
std::map<std::string, pb::MetricFamily> byName(const std::vector<pb::MetricFamily>& families) {
  std::map<std::string, pb::MetricFamily> out;
  for (const auto& family : families) {
    if (!store::isTimestampFamily(family.name())) out[family.name()] = family;
  }
  return out;
}

// The same families with the same series in any order (the store orders series its own way).
void checkSame(const std::map<std::string, pb::MetricFamily>& want,
               const std::map<std::string, pb::MetricFamily>& got, const char* what) {
  using google::protobuf::util::DefaultFieldComparator;
  using google::protobuf::util::MessageDifferencer;
  FUZZ_CHECK(want.size() == got.size(), std::string(what) + ": " + std::to_string(got.size()) +
                                            " families instead of " + std::to_string(want.size()));
  for (const auto& [name, family] : want) {
    const auto it = got.find(name);
    FUZZ_CHECK(it != got.end(), std::string(what) + ": family " + printable(name) + " is missing");
    DefaultFieldComparator comparator;
    comparator.set_treat_nan_as_equal(true);
    MessageDifferencer differencer;
    differencer.set_field_comparator(&comparator);
    differencer.set_message_field_comparison(MessageDifferencer::EQUIVALENT);
    differencer.TreatAsSet(pb::MetricFamily::descriptor()->FindFieldByName("metric"));
    std::string report;
    differencer.ReportDifferencesToString(&report);
    FUZZ_CHECK(differencer.Compare(family, it->second),
               std::string(what) + ": family " + printable(name) + " changed: " + report);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body = ferry::fuzz::asView(data + 1, size - 1);
  std::vector<pb::MetricFamily> families;
  if (data[0] == 'P') {
    if (ferry::plugins::protobuf::parseDelimited(body, families)) return 0;
  } else {
    if (ferry::plugins::text::parseText(body, families)) return 0;
  }

  // What the store promises to keep: the push after its label rules.
  std::vector<pb::MetricFamily> sanitized = families;
  std::vector<pb::MetricFamily*> pointers;
  for (auto& family : sanitized) pointers.push_back(&family);
  ferry::families::sanitizePush(pointers, kGrouping);
  std::vector<pb::MetricFamily> expected;
  for (auto* family : pointers) {
    // Like the Pushgateway, whose gatherer rebuilds each family from its name, help, type and
    // metrics, the store keeps nothing else of a family (unit, unknown fields).
    family->clear_unit();
    family->mutable_unknown_fields()->Clear();
    if (family->metric_size() > 0) expected.push_back(*family);
  }

  store::Store state(nullptr, {});
  const store::WriteResult result = state.push(kGrouping, std::move(families), true);
  if (!result.ok()) {
    FUZZ_CHECK(!result.message.empty(), "a refused push without a message");
    return 0;
  }

  store::Exposition exposition(state);
  const std::string delimited =
      exposition.render(ferry::core::expo::Format::kProtoDelimited, {}).join();
  std::vector<pb::MetricFamily> scraped;
  const auto scrape_error = ferry::plugins::protobuf::parseDelimited(delimited, scraped);
  FUZZ_CHECK(!scrape_error, "the protobuf scrape does not parse: " + scrape_error->message);
  checkSame(byName(expected), byName(scraped), "protobuf scrape");

  const std::string text = exposition.render(ferry::core::expo::Format::kText, {}).join();
  std::vector<pb::MetricFamily> read_back;
  const auto text_error = ferry::plugins::text::parseText(text, read_back);
  FUZZ_CHECK(!text_error, "the text scrape does not parse: " + text_error->message + "\n" +
                              printable(text, 2000));
  checkSame(byName(textual(scraped)), byName(read_back), "text scrape");

  (void)exposition.render(ferry::core::expo::Format::kProtoText, {});
  (void)exposition.render(ferry::core::expo::Format::kProtoCompactText, {});
  const std::string api = exposition.renderApiMetrics();
  FUZZ_CHECK(nlohmann::json::accept(api),
             "the JSON API body is not valid JSON: " + printable(api, 2000));
  return 0;
}
