/*
 * Ferry plugin ABI, part "families": the family builder (since ABI 1.2), through which an input
 * plugin hands Ferry the families of a body. Part of ferry/plugin_abi.h, which includes every part
 * and states the rules they all follow (versions, memory, errors, lifecycle). Plain C (C99), like
 * all of the ABI.
 */
#ifndef FERRY_ABI_FAMILIES_H
#define FERRY_ABI_FAMILIES_H

#include "ferry/abi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * The family builder (since ABI 1.2): how an input plugin hands Ferry the families of a body.
 * The plugin calls ferry_host.family_builder; Ferry builds its own representation from the
 * calls, so nothing is encoded by the plugin and decoded again by the host, and the plugin
 * cannot produce malformed data. Every struct below mirrors a message of
 * io.prometheus.client (metrics.proto) field by field; fields that proto2 leaves unset unless
 * given have a presence bit.
 *
 * Failures: a builder call returns FERRY_OK or a failure; the first failure decides the outcome
 * of the parse, whatever parse_families returns afterwards (Ferry keeps the message), so a
 * plugin only needs to return the status on:
 *   FERRY_ERR_INVALID_INPUT  the data cannot be stored: a family given again with another type
 *                            or HELP, a family that grows past 1 GiB (HTTP 400)
 *   FERRY_ERR_INTERNAL       the plugin broke a rule of this API: a NULL pointer with a non-zero
 *                            count, a struct_size smaller than ABI 1.2's, a value that does
 *                            not belong to the family's type, malformed delimited bytes (500)
 * Names, label names and values and UTF-8 are not checked by the builder: Ferry checks them
 * for every push, whatever the input plugin, and answers 400 in the Pushgateway's wording.
 */
typedef struct ferry_families ferry_families; /* the families of one parse_families call */
typedef struct ferry_family ferry_family;     /* one family of it; valid until the call returns */

/* The same numbers as io.prometheus.client.MetricType. */
typedef enum ferry_metric_type {
  FERRY_METRIC_COUNTER = 0,
  FERRY_METRIC_GAUGE = 1,
  FERRY_METRIC_SUMMARY = 2,
  FERRY_METRIC_UNTYPED = 3,
  FERRY_METRIC_HISTOGRAM = 4,
  FERRY_METRIC_GAUGE_HISTOGRAM = 5
} ferry_metric_type;

/* A label pair, of a series or of an exemplar. */
typedef struct ferry_label {
  ferry_bytes name;
  ferry_bytes value;
} ferry_label;

/* google.protobuf.Timestamp: seconds since the Unix epoch, nanoseconds 0 to 999,999,999. */
typedef struct ferry_timestamp {
  int64_t seconds;
  int32_t nanos;
} ferry_timestamp;

/* ferry_exemplar.flags */
#define FERRY_EXEMPLAR_TIMESTAMP 0x1u /* timestamp is set */

typedef struct ferry_exemplar {
  const ferry_label* labels;
  size_t label_count;
  double value;
  uint32_t flags; /* FERRY_EXEMPLAR_* */
  ferry_timestamp timestamp;
} ferry_exemplar;

typedef struct ferry_quantile {
  double quantile;
  double value;
} ferry_quantile;

/* ferry_summary.flags and ferry_histogram.flags */
#define FERRY_AGGREGATE_COUNT 0x1u /* sample_count (or sample_count_float) is set */
#define FERRY_AGGREGATE_SUM 0x2u   /* sample_sum is set */
/* ferry_histogram.flags only */
#define FERRY_HISTOGRAM_FLOAT                                                                      \
  0x4u                              /* a float histogram: the *_float counts and positive/negative \
                                       _counts are used instead of the integer counts and deltas */
#define FERRY_HISTOGRAM_NATIVE 0x8u /* schema, zero_threshold and the zero count are set */

typedef struct ferry_summary {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_AGGREGATE_* */
  uint64_t sample_count;
  double sample_sum;
  const ferry_quantile* quantiles;
  size_t quantile_count;
} ferry_summary;

/* A classic histogram bucket. */
typedef struct ferry_bucket {
  double upper_bound;
  uint64_t cumulative_count;
  double cumulative_count_float;  /* with FERRY_HISTOGRAM_FLOAT */
  const ferry_exemplar* exemplar; /* NULL or the bucket's exemplar */
} ferry_bucket;

/* A run of native histogram buckets. */
typedef struct ferry_bucket_span {
  int32_t offset;
  uint32_t length;
} ferry_bucket_span;

typedef struct ferry_histogram {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_AGGREGATE_*, FERRY_HISTOGRAM_* */
  uint64_t sample_count;
  double sample_count_float; /* with FERRY_HISTOGRAM_FLOAT */
  double sample_sum;
  const ferry_bucket* buckets; /* classic buckets */
  size_t bucket_count;
  /* Native histograms. */
  int32_t schema;
  double zero_threshold;
  uint64_t zero_count;
  double zero_count_float; /* with FERRY_HISTOGRAM_FLOAT */
  const ferry_bucket_span* negative_spans;
  size_t negative_span_count;
  const int64_t* negative_deltas; /* integer histograms: count deltas */
  size_t negative_delta_count;
  const double* negative_counts; /* float histograms: absolute counts */
  size_t negative_count_count;
  const ferry_bucket_span* positive_spans;
  size_t positive_span_count;
  const int64_t* positive_deltas;
  size_t positive_delta_count;
  const double* positive_counts;
  size_t positive_count_count;
  const ferry_exemplar* exemplars; /* a native histogram's exemplars */
  size_t exemplar_count;
} ferry_histogram;

/* ferry_series.flags */
#define FERRY_SERIES_TIMESTAMP 0x1u /* timestamp_ms is set */
#define FERRY_SERIES_CREATED 0x2u   /* created is set (counter, summary, histogram) */

/* One series (io.prometheus.client.Metric) of a family: its labels and the value of the
 * family's type: `value` for counter, gauge and untyped, `summary` for summary and `histogram`
 * for histogram and gauge histogram families (the other two NULL). */
typedef struct ferry_series {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_SERIES_* */
  const ferry_label* labels;
  size_t label_count;
  double value;
  const ferry_summary* summary;
  const ferry_histogram* histogram;
  int64_t timestamp_ms;
  ferry_timestamp created;
  const ferry_exemplar* exemplar; /* counters only: NULL or the counter's exemplar */
} ferry_series;

/* ferry_family_info.flags */
#define FERRY_FAMILY_HELP 0x1u /* help is set (possibly empty) */
#define FERRY_FAMILY_UNIT 0x2u /* unit is set */

typedef struct ferry_family_info {
  uint32_t struct_size;
  ferry_metric_type type;
  uint32_t flags; /* FERRY_FAMILY_* */
  ferry_bytes name;
  ferry_bytes help;
  ferry_bytes unit;
} ferry_family_info;

typedef struct ferry_family_builder {
  uint32_t struct_size;
  /* Starts the family info->name in `out`, or continues it when this parse started it before
   * with the same type, HELP and unit (FERRY_ERR_INVALID_INPUT otherwise). *family receives its
   * handle. */
  ferry_status (*family)(ferry_families* out, const ferry_family_info* info, ferry_family** family);
  /* Appends one series to a family. Everything is copied. */
  ferry_status (*series)(ferry_family* family, const ferry_series* series);
  /* Adds families given as varint-length-delimited io.prometheus.client.MetricFamily messages
   * (the bytes interface, e.g. a protobuf body passed through). A family of a name that this
   * parse already has replaces it, as in a protobuf push. */
  ferry_status (*delimited)(ferry_families* out, ferry_bytes bytes);
} ferry_family_builder;

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_FAMILIES_H */
