#pragma once

#include <ferry/metrics.pb.h>

#include <string>
#include <string_view>

// Text exposition format 0.0.4, byte for byte as prometheus/common expfmt.MetricFamilyToText
// writes it for Pushgateway 1.5.1. The header and the samples are separate calls so that a
// caller can cache the rendered samples of each stored group and merge them per family.
//
// Two deliberate departures from 1.5.1, following current upstream expfmt: GAUGE_HISTOGRAM is
// rendered as a histogram ("# TYPE name histogram"; 1.5.1 aborted the scrape body with
// "unknown metric type"), and float histogram counts (sample_count_float,
// cumulative_count_float) are used when non-zero (1.5.1 printed the integer counts, i.e. 0).
// Metric timestamps are never written: the store rejects pushed timestamps.
namespace ferry::core::expo {

// Label values: `\` → `\\`, `"` → `\"`, newline → `\n`; every other byte as is.
void escapeLabelValue(std::string& out, std::string_view value);
// HELP text: `\` → `\\`, newline → `\n`.
void escapeHelp(std::string& out, std::string_view help);

// Go expfmt's writeFloat: formatFloat() except that negative zero is "0" (the text format
// hard-codes f == 0).
void appendTextFloat(std::string& out, double v);

// True if the type is one the text format can render (every MetricType value).
bool isTextRenderableType(io::prometheus::client::MetricType type);

// True if the metric carries the value field its family type needs (counter for COUNTER,
// histogram for HISTOGRAM and GAUGE_HISTOGRAM, ...). Go's expfmt aborts the whole scrape on a
// mismatch ("expected counter in metric ..."); the Pushgateway's gather check rejects such
// data before it is encoded, and Ferry's store does the same on checked pushes.
bool metricMatchesType(io::prometheus::client::MetricType type,
                       const io::prometheus::client::Metric& metric);

// "# HELP name escaped-help\n" (unless help is null) + "# TYPE name type\n". Keyed on the
// presence of HELP as Go is: a family pushed via protobuf with help set to "" (the Go client's
// push of a metric without Help) gets "# HELP name \n" from 1.5.1, one whose HELP was never set
// gets none. Writes nothing for a type outside the MetricType enum.
void appendFamilyHeader(std::string& out, const std::string& name, const std::string* help,
                        io::prometheus::client::MetricType type);

// Same, for a whole family.
void appendFamilyHeader(std::string& out, const io::prometheus::client::MetricFamily& family);

// All sample lines of one metric of a family named `name` of type `type`: labels in stored
// order with `quantile`/`le` appended last; summary quantiles then _sum and _count; histogram
// buckets, a synthesized le="+Inf" bucket (= sample count) unless some bucket already is +Inf
// (so a native-only histogram prints just +Inf, _sum, _count), then _sum and _count.
// Writes nothing for a metric that fails metricMatchesType() (Go would abort the scrape there).
void appendMetricText(std::string& out, const std::string& name,
                      io::prometheus::client::MetricType type,
                      const io::prometheus::client::Metric& metric);

// Header plus every metric, in the stored order. Like the gathered output that
// MetricFamilyToText sees, a family without a name or without metrics produces nothing.
void appendFamilyText(std::string& out, const io::prometheus::client::MetricFamily& family);

}  // namespace ferry::core::expo
