// The input contract of the Ferry SDK, run against this plugin's .so.
#include <ferry/testkit/input_contract.h>

using ferry::testkit::InputBackend;
using ferry::testkit::InputContract;
using ferry::testkit::InputSample;

InputBackend jsonBackend() {
  InputBackend b;
  b.name = "json";
  b.library_path = FERRY_PLUGIN_PATH;
  b.config = R"({"content_type": "application/json"})";
  b.accepted_types = {"application/json", "Application/JSON; charset=utf-8"};
  b.rejected_types = {"text/plain", "", "application/jsonx"};
  const std::string type = "application/json";
  b.good = {
      InputSample::good("empty array", type, "[]"),
      InputSample::good(
          "one gauge", type,
          R"([{"name": "backup_last_success_seconds", "type": "gauge", "help": "Last good backup.",
            "labels": {"db": "main"}, "value": 1717600000}])",
          {"backup_last_success_seconds"}),
      InputSample::good(
          "two series of one counter and an untyped", type,
          R"([{"name": "jobs_total", "type": "counter", "labels": {"q": "a"}, "value": 1},
           {"name": "queue_depth", "value": 4},
           {"name": "jobs_total", "type": "counter", "labels": {"q": "b"}, "value": 2}])",
          {"jobs_total", "queue_depth"}),
  };
  b.bad = {
      InputSample::bad("not JSON", type, "{oops", "not valid JSON"),
      InputSample::bad("an object, not an array", type, R"({"name": "x", "value": 1})", "an array"),
      // Refused by the rules Ferry applies to every push, which the kit runs on the families.
      InputSample::bad("bad metric name", type, R"([{"name": "1x", "value": 1}])",
                       "metric family has an invalid name: \"1x\""),
      InputSample::bad("one series twice", type,
                       R"([{"name": "x", "value": 1}, {"name": "x", "value": 2}])",
                       "was collected before with the same name and label values"),
      InputSample::bad("value is a string", type, R"([{"name": "x", "value": "1"}])", "\"value\""),
      InputSample::bad("unknown type", type, R"([{"name": "x", "type": "histogram", "value": 1}])",
                       "type"),
      InputSample::bad("type changes", type,
                       R"([{"name": "x", "type": "gauge", "value": 1}, {"name": "x", "value": 2}])",
                       "another type"),
      InputSample::bad("unknown key", type, R"([{"name": "x", "value": 1, "unit": "s"}])",
                       "\"unit\""),
      InputSample::bad("control byte in a label name", type,
                       R"([{"name": "x", "labels": {"a\tb": "v"}, "value": 1}])",
                       "has a label with an invalid name"),
  };
  return b;
}

INSTANTIATE_TEST_SUITE_P(JsonInput, InputContract, ::testing::Values(jsonBackend()),
                         ferry::testkit::inputBackendName);
