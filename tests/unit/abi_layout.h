/* The pinned layout of ABI 1.x on LP64 (x86_64, aarch64). Included from C11, C99 and C++
 * translation units: a change of any size or offset fails the build. Appending fields is
 * allowed only together with a FERRY_ABI_MINOR bump and a new block below; anything else needs
 * FERRY_ABI_MAJOR. */
#ifndef FERRY_TEST_ABI_LAYOUT_H
#define FERRY_TEST_ABI_LAYOUT_H

#include <ferry/plugin_abi.h>
#include <stddef.h>

#if defined(__cplusplus)
#define FERRY_PIN(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define FERRY_PIN(cond, msg) _Static_assert(cond, msg)
#else /* C99: a negative array size is a compile error */
#define FERRY_PIN_CAT2(a, b) a##b
#define FERRY_PIN_CAT(a, b) FERRY_PIN_CAT2(a, b)
#define FERRY_PIN(cond, msg) typedef char FERRY_PIN_CAT(ferry_pin_, __LINE__)[(cond) ? 1 : -1]
/* ABI 1.2: declared config keys, appended to the descriptor. */
FERRY_PIN(offsetof(ferry_plugin_descriptor, config_keys) == 72, "descriptor.config_keys");
FERRY_PIN(offsetof(ferry_plugin_descriptor, config_key_count) == 80, "descriptor.config_key_count");
FERRY_PIN(sizeof(ferry_plugin_descriptor) == 88, "ferry_plugin_descriptor size in 1.2");
FERRY_PIN(sizeof(ferry_config_key) == 48, "ferry_config_key size");
FERRY_PIN(offsetof(ferry_config_key, types) == 4, "ferry_config_key.types");
FERRY_PIN(offsetof(ferry_config_key, name) == 8, "ferry_config_key.name");
FERRY_PIN(offsetof(ferry_config_key, description) == 16, "ferry_config_key.description");
FERRY_PIN(offsetof(ferry_config_key, default_json) == 24, "ferry_config_key.default_json");
FERRY_PIN(offsetof(ferry_config_key, example_json) == 32, "ferry_config_key.example_json");
FERRY_PIN(offsetof(ferry_config_key, choices_json) == 40, "ferry_config_key.choices_json");
FERRY_PIN(FERRY_CONFIG_STRING == 0x1u && FERRY_CONFIG_BOOL == 0x2u && FERRY_CONFIG_INT == 0x4u &&
              FERRY_CONFIG_UINT == 0x8u && FERRY_CONFIG_NUMBER == 0x10u &&
              FERRY_CONFIG_DURATION == 0x20u && FERRY_CONFIG_STRING_LIST == 0x40u &&
              FERRY_CONFIG_STRING_MAP == 0x80u && FERRY_CONFIG_OBJECT == 0x100u &&
              FERRY_CONFIG_ARRAY == 0x200u,
          "config types");

/* ABI 1.2: the family builder, appended to ferry_host and ferry_input_vtable. */
FERRY_PIN(offsetof(ferry_host, family_builder) == 40, "ferry_host.family_builder");
FERRY_PIN(sizeof(ferry_host) == 48, "ferry_host size in 1.2");
FERRY_PIN(offsetof(ferry_input_vtable, parse_families) == 24, "input_vtable.parse_families");
FERRY_PIN(sizeof(ferry_input_vtable) == 32, "ferry_input_vtable size in 1.2");
FERRY_PIN(FERRY_METRIC_COUNTER == 0 && FERRY_METRIC_GAUGE == 1 && FERRY_METRIC_SUMMARY == 2 &&
              FERRY_METRIC_UNTYPED == 3 && FERRY_METRIC_HISTOGRAM == 4 &&
              FERRY_METRIC_GAUGE_HISTOGRAM == 5,
          "metric types (as io.prometheus.client.MetricType)");
FERRY_PIN(sizeof(ferry_label) == 32 && offsetof(ferry_label, value) == 16, "ferry_label");
FERRY_PIN(sizeof(ferry_timestamp) == 16 && offsetof(ferry_timestamp, nanos) == 8,
          "ferry_timestamp");
FERRY_PIN(sizeof(ferry_exemplar) == 48, "ferry_exemplar size");
FERRY_PIN(offsetof(ferry_exemplar, label_count) == 8, "ferry_exemplar.label_count");
FERRY_PIN(offsetof(ferry_exemplar, value) == 16, "ferry_exemplar.value");
FERRY_PIN(offsetof(ferry_exemplar, flags) == 24, "ferry_exemplar.flags");
FERRY_PIN(offsetof(ferry_exemplar, timestamp) == 32, "ferry_exemplar.timestamp");
FERRY_PIN(sizeof(ferry_quantile) == 16 && offsetof(ferry_quantile, value) == 8, "quantile");
FERRY_PIN(sizeof(ferry_summary) == 40, "ferry_summary size");
FERRY_PIN(offsetof(ferry_summary, flags) == 4, "ferry_summary.flags");
FERRY_PIN(offsetof(ferry_summary, sample_count) == 8, "ferry_summary.sample_count");
FERRY_PIN(offsetof(ferry_summary, sample_sum) == 16, "ferry_summary.sample_sum");
FERRY_PIN(offsetof(ferry_summary, quantiles) == 24, "ferry_summary.quantiles");
FERRY_PIN(offsetof(ferry_summary, quantile_count) == 32, "ferry_summary.quantile_count");
FERRY_PIN(sizeof(ferry_bucket) == 32, "ferry_bucket size");
FERRY_PIN(offsetof(ferry_bucket, cumulative_count) == 8, "ferry_bucket.cumulative_count");
FERRY_PIN(offsetof(ferry_bucket, cumulative_count_float) == 16, "bucket.cumulative_count_float");
FERRY_PIN(offsetof(ferry_bucket, exemplar) == 24, "ferry_bucket.exemplar");
FERRY_PIN(sizeof(ferry_bucket_span) == 8 && offsetof(ferry_bucket_span, length) == 4, "span");
FERRY_PIN(sizeof(ferry_histogram) == 192, "ferry_histogram size");
FERRY_PIN(offsetof(ferry_histogram, sample_count) == 8, "histogram.sample_count");
FERRY_PIN(offsetof(ferry_histogram, sample_count_float) == 16, "histogram.sample_count_float");
FERRY_PIN(offsetof(ferry_histogram, sample_sum) == 24, "histogram.sample_sum");
FERRY_PIN(offsetof(ferry_histogram, buckets) == 32, "histogram.buckets");
FERRY_PIN(offsetof(ferry_histogram, bucket_count) == 40, "histogram.bucket_count");
FERRY_PIN(offsetof(ferry_histogram, schema) == 48, "histogram.schema");
FERRY_PIN(offsetof(ferry_histogram, zero_threshold) == 56, "histogram.zero_threshold");
FERRY_PIN(offsetof(ferry_histogram, zero_count) == 64, "histogram.zero_count");
FERRY_PIN(offsetof(ferry_histogram, zero_count_float) == 72, "histogram.zero_count_float");
FERRY_PIN(offsetof(ferry_histogram, negative_spans) == 80, "histogram.negative_spans");
FERRY_PIN(offsetof(ferry_histogram, negative_deltas) == 96, "histogram.negative_deltas");
FERRY_PIN(offsetof(ferry_histogram, negative_counts) == 112, "histogram.negative_counts");
FERRY_PIN(offsetof(ferry_histogram, positive_spans) == 128, "histogram.positive_spans");
FERRY_PIN(offsetof(ferry_histogram, positive_deltas) == 144, "histogram.positive_deltas");
FERRY_PIN(offsetof(ferry_histogram, positive_counts) == 160, "histogram.positive_counts");
FERRY_PIN(offsetof(ferry_histogram, exemplars) == 176, "histogram.exemplars");
FERRY_PIN(offsetof(ferry_histogram, exemplar_count) == 184, "histogram.exemplar_count");
FERRY_PIN(sizeof(ferry_series) == 80, "ferry_series size");
FERRY_PIN(offsetof(ferry_series, flags) == 4, "ferry_series.flags");
FERRY_PIN(offsetof(ferry_series, labels) == 8, "ferry_series.labels");
FERRY_PIN(offsetof(ferry_series, label_count) == 16, "ferry_series.label_count");
FERRY_PIN(offsetof(ferry_series, value) == 24, "ferry_series.value");
FERRY_PIN(offsetof(ferry_series, summary) == 32, "ferry_series.summary");
FERRY_PIN(offsetof(ferry_series, histogram) == 40, "ferry_series.histogram");
FERRY_PIN(offsetof(ferry_series, timestamp_ms) == 48, "ferry_series.timestamp_ms");
FERRY_PIN(offsetof(ferry_series, created) == 56, "ferry_series.created");
FERRY_PIN(offsetof(ferry_series, exemplar) == 72, "ferry_series.exemplar");
FERRY_PIN(sizeof(ferry_family_info) == 64, "ferry_family_info size");
FERRY_PIN(offsetof(ferry_family_info, type) == 4, "ferry_family_info.type");
FERRY_PIN(offsetof(ferry_family_info, flags) == 8, "ferry_family_info.flags");
FERRY_PIN(offsetof(ferry_family_info, name) == 16, "ferry_family_info.name");
FERRY_PIN(offsetof(ferry_family_info, help) == 32, "ferry_family_info.help");
FERRY_PIN(offsetof(ferry_family_info, unit) == 48, "ferry_family_info.unit");
FERRY_PIN(sizeof(ferry_family_builder) == 32, "ferry_family_builder size");
FERRY_PIN(offsetof(ferry_family_builder, family) == 8, "ferry_family_builder.family");
FERRY_PIN(offsetof(ferry_family_builder, series) == 16, "ferry_family_builder.series");
FERRY_PIN(offsetof(ferry_family_builder, delimited) == 24, "ferry_family_builder.delimited");
FERRY_PIN(FERRY_SERIES_TIMESTAMP == 0x1u && FERRY_SERIES_CREATED == 0x2u &&
              FERRY_AGGREGATE_COUNT == 0x1u && FERRY_AGGREGATE_SUM == 0x2u &&
              FERRY_HISTOGRAM_FLOAT == 0x4u && FERRY_HISTOGRAM_NATIVE == 0x8u &&
              FERRY_EXEMPLAR_TIMESTAMP == 0x1u && FERRY_FAMILY_HELP == 0x1u &&
              FERRY_FAMILY_UNIT == 0x2u,
          "builder flags");

#endif

FERRY_PIN(FERRY_ABI_MAJOR == 1 && FERRY_ABI_MINOR == 2, "ABI version changed: update the pins");
FERRY_PIN(sizeof(void*) == 8, "the pins below are for LP64");

FERRY_PIN(sizeof(ferry_bytes) == 16, "ferry_bytes size");
FERRY_PIN(offsetof(ferry_bytes, size) == 8, "ferry_bytes.size");

FERRY_PIN(FERRY_HOST_SIZE_1_0 == 40, "ferry_host size in 1.0");
FERRY_PIN(offsetof(ferry_host, abi_major) == 4, "ferry_host.abi_major");
FERRY_PIN(offsetof(ferry_host, abi_minor) == 6, "ferry_host.abi_minor");
FERRY_PIN(offsetof(ferry_host, host_ctx) == 8, "ferry_host.host_ctx");
FERRY_PIN(offsetof(ferry_host, log) == 16, "ferry_host.log");
FERRY_PIN(offsetof(ferry_host, error_set) == 24, "ferry_host.error_set");
FERRY_PIN(offsetof(ferry_host, sink_write) == 32, "ferry_host.sink_write");

FERRY_PIN(FERRY_INPUT_VTABLE_SIZE_1_0 == 24, "ferry_input_vtable size in 1.0");
FERRY_PIN(offsetof(ferry_input_vtable, accepts) == 8, "ferry_input_vtable.accepts");
FERRY_PIN(offsetof(ferry_input_vtable, parse) == 16, "ferry_input_vtable.parse");

FERRY_PIN(sizeof(ferry_storage_op) == 40, "ferry_storage_op size");
FERRY_PIN(offsetof(ferry_storage_op, kind) == 4, "ferry_storage_op.kind");
FERRY_PIN(offsetof(ferry_storage_op, key) == 8, "ferry_storage_op.key");
FERRY_PIN(offsetof(ferry_storage_op, value) == 24, "ferry_storage_op.value");

FERRY_PIN(FERRY_STORAGE_VTABLE_SIZE_1_0 == 40, "ferry_storage_vtable size in 1.0");
FERRY_PIN(offsetof(ferry_storage_vtable, write) == 8, "ferry_storage_vtable.write");
FERRY_PIN(offsetof(ferry_storage_vtable, scan) == 16, "ferry_storage_vtable.scan");
FERRY_PIN(offsetof(ferry_storage_vtable, wipe) == 24, "ferry_storage_vtable.wipe");
FERRY_PIN(offsetof(ferry_storage_vtable, flush) == 32, "ferry_storage_vtable.flush");

FERRY_PIN(sizeof(ferry_header) == 32, "ferry_header size");
FERRY_PIN(offsetof(ferry_header, value) == 16, "ferry_header.value");

FERRY_PIN(offsetof(ferry_auth_request, tls_flags) == 88, "ferry_auth_request size in 1.0");
FERRY_PIN(offsetof(ferry_auth_request, method) == 8, "ferry_auth_request.method");
FERRY_PIN(offsetof(ferry_auth_request, path) == 24, "ferry_auth_request.path");
FERRY_PIN(offsetof(ferry_auth_request, headers) == 40, "ferry_auth_request.headers");
FERRY_PIN(offsetof(ferry_auth_request, header_count) == 48, "ferry_auth_request.header_count");
FERRY_PIN(offsetof(ferry_auth_request, remote_address) == 56, "ferry_auth_request.remote");
FERRY_PIN(offsetof(ferry_auth_request, tls_peer_subject) == 72, "ferry_auth_request.tls");

FERRY_PIN(FERRY_AUTH_VTABLE_SIZE_1_0 == 16, "ferry_auth_vtable size in 1.0");
FERRY_PIN(offsetof(ferry_auth_vtable, authenticate) == 8, "ferry_auth_vtable.authenticate");

FERRY_PIN(FERRY_PLUGIN_DESCRIPTOR_SIZE_1_0 == 72, "ferry_plugin_descriptor size in 1.0");
FERRY_PIN(offsetof(ferry_plugin_descriptor, abi_major) == 4, "descriptor.abi_major");
FERRY_PIN(offsetof(ferry_plugin_descriptor, abi_minor) == 6, "descriptor.abi_minor");
FERRY_PIN(offsetof(ferry_plugin_descriptor, kind) == 8, "descriptor.kind");
FERRY_PIN(offsetof(ferry_plugin_descriptor, name) == 16, "descriptor.name");
FERRY_PIN(offsetof(ferry_plugin_descriptor, version) == 24, "descriptor.version");
FERRY_PIN(offsetof(ferry_plugin_descriptor, description) == 32, "descriptor.description");
FERRY_PIN(offsetof(ferry_plugin_descriptor, default_config) == 40, "descriptor.default_config");
FERRY_PIN(offsetof(ferry_plugin_descriptor, create) == 48, "descriptor.create");
FERRY_PIN(offsetof(ferry_plugin_descriptor, destroy) == 56, "descriptor.destroy");
FERRY_PIN(offsetof(ferry_plugin_descriptor, vtable) == 64, "descriptor.vtable");

FERRY_PIN(FERRY_OK == 0 && FERRY_ERR_INVALID_INPUT == 1 && FERRY_AUTH_DENIED == 7, "statuses");
FERRY_PIN(FERRY_KIND_INPUT == 1 && FERRY_KIND_STORAGE == 2 && FERRY_KIND_AUTH == 3, "kinds");
FERRY_PIN(FERRY_STORAGE_PUT == 1 && FERRY_STORAGE_REMOVE == 2, "storage op kinds");

/* ABI 1.1: appended to ferry_storage_vtable. */
FERRY_PIN(offsetof(ferry_storage_vtable, flags) == 40, "ferry_storage_vtable.flags");
FERRY_PIN(FERRY_STORAGE_VTABLE_SIZE_1_1 == 48, "ferry_storage_vtable size in 1.1");
FERRY_PIN(FERRY_STORAGE_VOLATILE == 0x1u, "storage flags");

/* ABI 1.2: appended to ferry_auth_request and ferry_auth_vtable. */
FERRY_PIN(sizeof(ferry_auth_request) == 96, "ferry_auth_request size in 1.2");
FERRY_PIN(offsetof(ferry_auth_vtable, flags) == 16, "ferry_auth_vtable.flags");
FERRY_PIN(offsetof(ferry_auth_vtable, challenge) == 24, "ferry_auth_vtable.challenge");
FERRY_PIN(sizeof(ferry_auth_vtable) == 32, "ferry_auth_vtable size in 1.2");
FERRY_PIN(FERRY_AUTH_TLS == 0x1u && FERRY_AUTH_TLS_PEER_CERT == 0x2u &&
              FERRY_AUTH_TLS_PEER_VERIFIED == 0x4u,
          "auth request TLS flags");
FERRY_PIN(FERRY_AUTH_USES_CLIENT_CERT == 0x1u, "auth flags");

/* ABI 1.2: declared config keys, appended to the descriptor. */
FERRY_PIN(offsetof(ferry_plugin_descriptor, config_keys) == 72, "descriptor.config_keys");
FERRY_PIN(offsetof(ferry_plugin_descriptor, config_key_count) == 80, "descriptor.config_key_count");
FERRY_PIN(sizeof(ferry_plugin_descriptor) == 88, "ferry_plugin_descriptor size in 1.2");
FERRY_PIN(sizeof(ferry_config_key) == 48, "ferry_config_key size");
FERRY_PIN(offsetof(ferry_config_key, types) == 4, "ferry_config_key.types");
FERRY_PIN(offsetof(ferry_config_key, name) == 8, "ferry_config_key.name");
FERRY_PIN(offsetof(ferry_config_key, description) == 16, "ferry_config_key.description");
FERRY_PIN(offsetof(ferry_config_key, default_json) == 24, "ferry_config_key.default_json");
FERRY_PIN(offsetof(ferry_config_key, example_json) == 32, "ferry_config_key.example_json");
FERRY_PIN(offsetof(ferry_config_key, choices_json) == 40, "ferry_config_key.choices_json");
FERRY_PIN(FERRY_CONFIG_STRING == 0x1u && FERRY_CONFIG_BOOL == 0x2u && FERRY_CONFIG_INT == 0x4u &&
              FERRY_CONFIG_UINT == 0x8u && FERRY_CONFIG_NUMBER == 0x10u &&
              FERRY_CONFIG_DURATION == 0x20u && FERRY_CONFIG_STRING_LIST == 0x40u &&
              FERRY_CONFIG_STRING_MAP == 0x80u && FERRY_CONFIG_OBJECT == 0x100u &&
              FERRY_CONFIG_ARRAY == 0x200u,
          "config types");

/* ABI 1.2: the family builder, appended to ferry_host and ferry_input_vtable. */
FERRY_PIN(offsetof(ferry_host, family_builder) == 40, "ferry_host.family_builder");
FERRY_PIN(sizeof(ferry_host) == 48, "ferry_host size in 1.2");
FERRY_PIN(offsetof(ferry_input_vtable, parse_families) == 24, "input_vtable.parse_families");
FERRY_PIN(sizeof(ferry_input_vtable) == 32, "ferry_input_vtable size in 1.2");
FERRY_PIN(FERRY_METRIC_COUNTER == 0 && FERRY_METRIC_GAUGE == 1 && FERRY_METRIC_SUMMARY == 2 &&
              FERRY_METRIC_UNTYPED == 3 && FERRY_METRIC_HISTOGRAM == 4 &&
              FERRY_METRIC_GAUGE_HISTOGRAM == 5,
          "metric types (as io.prometheus.client.MetricType)");
FERRY_PIN(sizeof(ferry_label) == 32 && offsetof(ferry_label, value) == 16, "ferry_label");
FERRY_PIN(sizeof(ferry_timestamp) == 16 && offsetof(ferry_timestamp, nanos) == 8,
          "ferry_timestamp");
FERRY_PIN(sizeof(ferry_exemplar) == 48, "ferry_exemplar size");
FERRY_PIN(offsetof(ferry_exemplar, label_count) == 8, "ferry_exemplar.label_count");
FERRY_PIN(offsetof(ferry_exemplar, value) == 16, "ferry_exemplar.value");
FERRY_PIN(offsetof(ferry_exemplar, flags) == 24, "ferry_exemplar.flags");
FERRY_PIN(offsetof(ferry_exemplar, timestamp) == 32, "ferry_exemplar.timestamp");
FERRY_PIN(sizeof(ferry_quantile) == 16 && offsetof(ferry_quantile, value) == 8, "quantile");
FERRY_PIN(sizeof(ferry_summary) == 40, "ferry_summary size");
FERRY_PIN(offsetof(ferry_summary, flags) == 4, "ferry_summary.flags");
FERRY_PIN(offsetof(ferry_summary, sample_count) == 8, "ferry_summary.sample_count");
FERRY_PIN(offsetof(ferry_summary, sample_sum) == 16, "ferry_summary.sample_sum");
FERRY_PIN(offsetof(ferry_summary, quantiles) == 24, "ferry_summary.quantiles");
FERRY_PIN(offsetof(ferry_summary, quantile_count) == 32, "ferry_summary.quantile_count");
FERRY_PIN(sizeof(ferry_bucket) == 32, "ferry_bucket size");
FERRY_PIN(offsetof(ferry_bucket, cumulative_count) == 8, "ferry_bucket.cumulative_count");
FERRY_PIN(offsetof(ferry_bucket, cumulative_count_float) == 16, "bucket.cumulative_count_float");
FERRY_PIN(offsetof(ferry_bucket, exemplar) == 24, "ferry_bucket.exemplar");
FERRY_PIN(sizeof(ferry_bucket_span) == 8 && offsetof(ferry_bucket_span, length) == 4, "span");
FERRY_PIN(sizeof(ferry_histogram) == 192, "ferry_histogram size");
FERRY_PIN(offsetof(ferry_histogram, sample_count) == 8, "histogram.sample_count");
FERRY_PIN(offsetof(ferry_histogram, sample_count_float) == 16, "histogram.sample_count_float");
FERRY_PIN(offsetof(ferry_histogram, sample_sum) == 24, "histogram.sample_sum");
FERRY_PIN(offsetof(ferry_histogram, buckets) == 32, "histogram.buckets");
FERRY_PIN(offsetof(ferry_histogram, bucket_count) == 40, "histogram.bucket_count");
FERRY_PIN(offsetof(ferry_histogram, schema) == 48, "histogram.schema");
FERRY_PIN(offsetof(ferry_histogram, zero_threshold) == 56, "histogram.zero_threshold");
FERRY_PIN(offsetof(ferry_histogram, zero_count) == 64, "histogram.zero_count");
FERRY_PIN(offsetof(ferry_histogram, zero_count_float) == 72, "histogram.zero_count_float");
FERRY_PIN(offsetof(ferry_histogram, negative_spans) == 80, "histogram.negative_spans");
FERRY_PIN(offsetof(ferry_histogram, negative_deltas) == 96, "histogram.negative_deltas");
FERRY_PIN(offsetof(ferry_histogram, negative_counts) == 112, "histogram.negative_counts");
FERRY_PIN(offsetof(ferry_histogram, positive_spans) == 128, "histogram.positive_spans");
FERRY_PIN(offsetof(ferry_histogram, positive_deltas) == 144, "histogram.positive_deltas");
FERRY_PIN(offsetof(ferry_histogram, positive_counts) == 160, "histogram.positive_counts");
FERRY_PIN(offsetof(ferry_histogram, exemplars) == 176, "histogram.exemplars");
FERRY_PIN(offsetof(ferry_histogram, exemplar_count) == 184, "histogram.exemplar_count");
FERRY_PIN(sizeof(ferry_series) == 80, "ferry_series size");
FERRY_PIN(offsetof(ferry_series, flags) == 4, "ferry_series.flags");
FERRY_PIN(offsetof(ferry_series, labels) == 8, "ferry_series.labels");
FERRY_PIN(offsetof(ferry_series, label_count) == 16, "ferry_series.label_count");
FERRY_PIN(offsetof(ferry_series, value) == 24, "ferry_series.value");
FERRY_PIN(offsetof(ferry_series, summary) == 32, "ferry_series.summary");
FERRY_PIN(offsetof(ferry_series, histogram) == 40, "ferry_series.histogram");
FERRY_PIN(offsetof(ferry_series, timestamp_ms) == 48, "ferry_series.timestamp_ms");
FERRY_PIN(offsetof(ferry_series, created) == 56, "ferry_series.created");
FERRY_PIN(offsetof(ferry_series, exemplar) == 72, "ferry_series.exemplar");
FERRY_PIN(sizeof(ferry_family_info) == 64, "ferry_family_info size");
FERRY_PIN(offsetof(ferry_family_info, type) == 4, "ferry_family_info.type");
FERRY_PIN(offsetof(ferry_family_info, flags) == 8, "ferry_family_info.flags");
FERRY_PIN(offsetof(ferry_family_info, name) == 16, "ferry_family_info.name");
FERRY_PIN(offsetof(ferry_family_info, help) == 32, "ferry_family_info.help");
FERRY_PIN(offsetof(ferry_family_info, unit) == 48, "ferry_family_info.unit");
FERRY_PIN(sizeof(ferry_family_builder) == 32, "ferry_family_builder size");
FERRY_PIN(offsetof(ferry_family_builder, family) == 8, "ferry_family_builder.family");
FERRY_PIN(offsetof(ferry_family_builder, series) == 16, "ferry_family_builder.series");
FERRY_PIN(offsetof(ferry_family_builder, delimited) == 24, "ferry_family_builder.delimited");
FERRY_PIN(FERRY_SERIES_TIMESTAMP == 0x1u && FERRY_SERIES_CREATED == 0x2u &&
              FERRY_AGGREGATE_COUNT == 0x1u && FERRY_AGGREGATE_SUM == 0x2u &&
              FERRY_HISTOGRAM_FLOAT == 0x4u && FERRY_HISTOGRAM_NATIVE == 0x8u &&
              FERRY_EXEMPLAR_TIMESTAMP == 0x1u && FERRY_FAMILY_HELP == 0x1u &&
              FERRY_FAMILY_UNIT == 0x2u,
          "builder flags");

/* ABI 1.2: shared stores, appended to ferry_storage_vtable; new statuses and an op kind. */
FERRY_PIN(offsetof(ferry_storage_vtable, snapshot) == 48, "ferry_storage_vtable.snapshot");
FERRY_PIN(offsetof(ferry_storage_vtable, read_changes) == 56, "ferry_storage_vtable.read_changes");
FERRY_PIN(offsetof(ferry_storage_vtable, write_if) == 64, "ferry_storage_vtable.write_if");
FERRY_PIN(offsetof(ferry_storage_vtable, lease) == 72, "ferry_storage_vtable.lease");
FERRY_PIN(sizeof(ferry_storage_vtable) == 80, "ferry_storage_vtable size in 1.2");
FERRY_PIN(FERRY_STORAGE_SHARED == 0x2u, "storage flags");
FERRY_PIN(FERRY_STORAGE_WIPE == 3, "storage op kinds");
FERRY_PIN(sizeof(ferry_storage_commit) == 40, "ferry_storage_commit size");
FERRY_PIN(offsetof(ferry_storage_commit, position) == 8, "ferry_storage_commit.position");
FERRY_PIN(offsetof(ferry_storage_commit, commit_time_unix_nanos) == 16, "commit.commit_time");
FERRY_PIN(offsetof(ferry_storage_commit, ops) == 24, "ferry_storage_commit.ops");
FERRY_PIN(offsetof(ferry_storage_commit, count) == 32, "ferry_storage_commit.count");
FERRY_PIN(FERRY_ERR_CONFLICT == 8 && FERRY_ERR_FEED_GAP == 9 && FERRY_ERR_UNAVAILABLE == 10,
          "shared-store statuses");

#endif
