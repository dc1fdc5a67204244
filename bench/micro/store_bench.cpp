// Micro-benchmarks of the push and scrape paths without HTTP: where a push's time goes, and
// that a push costs the same whatever the store holds. Run: build/bin/ferry_micro_bench.
#include <benchmark/benchmark.h>

#include "core/store/exposition.h"
#include "core/store/store.h"
#include "plugins/text/text_parser.h"

namespace ferry::core::store {
namespace {

const char kBody[] =
    "# TYPE bench_requests_total counter\n"
    "bench_requests_total{code=\"200\",method=\"get\"} 1027\n"
    "bench_requests_total{code=\"200\",method=\"post\"} 311\n"
    "bench_requests_total{code=\"404\",method=\"get\"} 7\n"
    "bench_requests_total{code=\"500\",method=\"get\"} 2\n"
    "bench_requests_total{code=\"500\",method=\"post\"} 1\n"
    "# TYPE bench_temperature_celsius gauge\n"
    "bench_temperature_celsius{sensor=\"s0\"} 21.5\n"
    "bench_temperature_celsius{sensor=\"s1\"} 22.25\n"
    "bench_temperature_celsius{sensor=\"s2\"} 19.75\n"
    "bench_temperature_celsius{sensor=\"s3\"} 23\n"
    "bench_temperature_celsius{sensor=\"s4\"} 20.125\n";

std::vector<pb::MetricFamily> parsed() {
  std::vector<pb::MetricFamily> families;
  plugins::text::parseText(kBody, families);
  return families;
}

model::LabelMap groupLabels(int i) {
  return {{"job", "bench_load"}, {"instance", "i" + std::to_string(i)}};
}

void fill(Store& store, int groups) {
  for (int i = 0; i < groups; ++i) store.push(groupLabels(i), parsed(), true);
}

void BM_TextParse(benchmark::State& state) {
  std::vector<pb::MetricFamily> families;
  for (auto _ : state) {
    plugins::text::parseText(kBody, families);
    benchmark::DoNotOptimize(families);
  }
}
BENCHMARK(BM_TextParse);

// A checked PUT (sanitize, validate, index, consistency check) round-robin over the groups
// already stored; the argument is the number of groups (10 series each).
void BM_StorePut(benchmark::State& state) {
  Store store(nullptr, {});
  const int groups = static_cast<int>(state.range(0));
  fill(store, groups);
  auto families = parsed();
  int i = 0;
  for (auto _ : state) {
    auto result = store.push(groupLabels(i++ % groups), families, true);
    if (!result.ok()) state.SkipWithError(result.message.c_str());
  }
}
BENCHMARK(BM_StorePut)->Arg(1000)->Arg(10000);

// GET /metrics body for an unchanged store (served from the cache) and right after a write
// (the cache is rebuilt); the argument is the number of groups.
void BM_ScrapeUnchanged(benchmark::State& state) {
  Store store(nullptr, {});
  fill(store, static_cast<int>(state.range(0)));
  Exposition exposition(store);
  for (auto _ : state) {
    auto body = exposition.render(expo::Format::kText, {});
    benchmark::DoNotOptimize(body.size());
  }
}
BENCHMARK(BM_ScrapeUnchanged)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ScrapeAfterWrite(benchmark::State& state) {
  Store store(nullptr, {});
  const int groups = static_cast<int>(state.range(0));
  fill(store, groups);
  Exposition exposition(store);
  auto families = parsed();
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    store.push(groupLabels(i++ % groups), families, true);
    state.ResumeTiming();
    auto body = exposition.render(expo::Format::kText, {});
    benchmark::DoNotOptimize(body.size());
  }
}
BENCHMARK(BM_ScrapeAfterWrite)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ferry::core::store

BENCHMARK_MAIN();
