// The first-party input plugins against the input contract of sdk/testkit. The protobuf
// samples are built with the same shared MetricFamily library the plugins use.
#include <ferry/metrics.pb.h>
#include <ferry/testkit/input_contract.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace {

using ferry::testkit::InputBackend;
using ferry::testkit::InputContract;
using ferry::testkit::InputSample;

const char kProtoType[] =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
    "encoding=delimited";

#ifdef FERRY_INPUT_TEXT_PLUGIN
InputBackend textBackend() {
  InputBackend b;
  b.name = "text";
  b.library_path = FERRY_INPUT_TEXT_PLUGIN;
  b.accepted_types = {"text/plain; version=0.0.4", "", "application/json"};
  b.good = {
      InputSample::good("one counter", "text/plain",
                        "# TYPE jobs_total counter\njobs_total{q=\"a\"} 3\n", {"jobs_total"}),
      InputSample::good("two families with help", "text/plain",
                        "# HELP a_seconds A.\n# TYPE a_seconds gauge\na_seconds 1.5\nb_total 2\n",
                        {"a_seconds", "b_total"}),
      InputSample::good(
          "histogram", "text/plain",
          "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n",
          {"h"}),
  };
  b.bad = {
      InputSample::bad("label without quotes", "text/plain", "m{a=b} 1\n"),
      InputSample::bad("value is not a number", "text/plain", "m nan_or_not\n"),
      InputSample::bad("duplicate TYPE", "text/plain", "# TYPE m gauge\n# TYPE m gauge\nm 1\n"),
  };
  return b;
}
INSTANTIATE_TEST_SUITE_P(Text, InputContract, ::testing::Values(textBackend()),
                         ferry::testkit::inputBackendName);
#endif

#ifdef FERRY_INPUT_PROTOBUF_PLUGIN
std::string delimited(const std::vector<io::prometheus::client::MetricFamily>& families) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  for (const auto& f : families) {
    coded.WriteVarint32(static_cast<uint32_t>(f.ByteSizeLong()));
    f.SerializeWithCachedSizes(&coded);
  }
  coded.Trim();
  return out;
}

io::prometheus::client::MetricFamily gaugeFamily(const std::string& name, double value) {
  io::prometheus::client::MetricFamily f;
  f.set_name(name);
  f.set_type(io::prometheus::client::GAUGE);
  auto* m = f.add_metric();
  auto* label = m->add_label();
  label->set_name("q");
  label->set_value("a");
  m->mutable_gauge()->set_value(value);
  return f;
}

InputBackend protobufBackend() {
  InputBackend b;
  b.name = "protobuf";
  b.library_path = FERRY_INPUT_PROTOBUF_PLUGIN;
  b.accepted_types = {kProtoType};
  b.rejected_types = {"text/plain", "", "application/json"};
  std::string two = delimited({gaugeFamily("a_g", 1), gaugeFamily("b_g", 2)});
  b.good = {
      InputSample::good("one family", kProtoType, delimited({gaugeFamily("a_g", 1)}), {"a_g"}),
      InputSample::good("two families", kProtoType, two, {"a_g", "b_g"})};
  b.bad = {
      InputSample::bad("truncated", kProtoType, two.substr(0, two.size() - 3)),
      InputSample::bad("bad family name", kProtoType, delimited({gaugeFamily("0bad name", 1)}))};
  return b;
}
INSTANTIATE_TEST_SUITE_P(Protobuf, InputContract, ::testing::Values(protobufBackend()),
                         ferry::testkit::inputBackendName);
#endif

}  // namespace
