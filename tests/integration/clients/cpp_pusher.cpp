// cpp_pusher pushes to a Pushgateway with prometheus-cpp's Gateway (Debian prometheus-cpp-dev),
// a client on libcurl, for test_cpp_client.py.
//
//   cpp_pusher URL JOB push|push-add|delete|delete-job [SERIES [NAME=VALUE]...]
//
// push and push-add call the Gateway's Push and PushAdd with one registry: a gauge, and unless
// SERIES is 0 a counter family with SERIES series (a body over 1 MiB is sent by curl with
// "Expect: 100-continue"), a histogram and a summary.
// NAME=VALUE pairs are the grouping labels. delete is the Gateway's DeleteForInstance (the
// group of JOB and the grouping labels), delete-job its Delete (the group of JOB alone). Prints
// the HTTP status the Gateway returned (a negative number is a curl error) to stderr, as curl
// writes the response body to stdout; exits 0 on 200 or 202.
#include <prometheus/counter.h>
#include <prometheus/gateway.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(
        stderr,
        "usage: cpp_pusher URL JOB push|push-add|delete|delete-job [SERIES [NAME=VALUE]...]\n");
    return 2;
  }
  const std::string url = argv[1];
  const std::string action = argv[3];
  const int series = argc > 4 ? std::atoi(argv[4]) : 1;
  prometheus::Labels grouping;
  for (int i = 5; i < argc; ++i) {
    const std::string pair = argv[i];
    const auto eq = pair.find('=');
    grouping[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
  }
  // The Gateway takes the port apart from the host ("http://127.0.0.1", "9091").
  const auto colon = url.rfind(':');
  prometheus::Gateway gateway(url.substr(0, colon), url.substr(colon + 1), argv[2], grouping);

  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::BuildGauge()
      .Name("cpp_last_run_seconds")
      .Help("Unix time of the last run.")
      .Register(*registry)
      .Add({})
      .Set(1.7e9);
  if (series > 0) {
    auto& jobs = prometheus::BuildCounter()
                     .Name("cpp_jobs_total")
                     .Help("Jobs processed, by queue.")
                     .Register(*registry);
    for (int i = 0; i < series; ++i) jobs.Add({{"queue", "q" + std::to_string(i)}}).Increment(i);
    auto& latency = prometheus::BuildHistogram()
                        .Name("cpp_latency_seconds")
                        .Help("Latency.")
                        .Register(*registry)
                        .Add({}, prometheus::Histogram::BucketBoundaries{0.1, 0.5});
    for (double v : {0.05, 0.3, 2.0}) latency.Observe(v);
    auto& size = prometheus::BuildSummary()
                     .Name("cpp_size_bytes")
                     .Help("Sizes.")
                     .Register(*registry)
                     .Add({}, prometheus::Summary::Quantiles{{0.5, 0.05}});
    size.Observe(1024);
  }
  gateway.RegisterCollectable(registry);

  int status = 0;
  if (action == "push") {
    status = gateway.Push();
  } else if (action == "push-add") {
    status = gateway.PushAdd();
  } else if (action == "delete") {
    status = gateway.DeleteForInstance();
  } else if (action == "delete-job") {
    status = gateway.Delete();
  } else {
    std::fprintf(stderr, "unknown action %s\n", action.c_str());
    return 2;
  }
  std::fflush(stdout);
  std::fprintf(stderr, "%d\n", status);
  return status == 200 || status == 202 ? 0 : 1;
}
