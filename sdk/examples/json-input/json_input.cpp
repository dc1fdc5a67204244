// json-input: an input plugin for a small JSON push format, e.g.
//   [{"name": "backup_last_success_seconds", "type": "gauge", "help": "Last good backup.",
//     "labels": {"db": "main"}, "value": 1717600000}]
// Samples of one name become one MetricFamily; the output is what every input plugin writes:
// varint-length-delimited io.prometheus.client.MetricFamily messages.
#include <ferry/metrics.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <ferry/sdk.hpp>
#include <ferry/support/go_quote.hpp>
#include <map>
#include <string>
#include <vector>

namespace {

namespace pb = io::prometheus::client;
using nlohmann::json;

bool isName(const std::string& s, bool colon_ok) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (colon_ok && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// The media type of a Content-Type header, lower-cased, without parameters and blanks.
std::string mediaType(std::string_view content_type) {
  std::string out;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c != ' ' && c != '\t')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

pb::MetricType typeOf(const json& sample, const std::string& where) {
  std::string type = sample.value("type", "untyped");
  if (type == "counter") return pb::COUNTER;
  if (type == "gauge") return pb::GAUGE;
  if (type == "untyped") return pb::UNTYPED;
  throw ferry::sdk::invalidInput(where + ": type must be counter, gauge or untyped");
}

// Adds one sample to its family (created on first sight, in body order).
void addSample(const json& sample, const std::string& where, std::vector<pb::MetricFamily>& out,
               std::map<std::string, size_t>& index) {
  if (!sample.is_object()) throw ferry::sdk::invalidInput(where + " is not an object");
  for (const auto& [key, v] : sample.items()) {
    if (key != "name" && key != "type" && key != "help" && key != "labels" && key != "value") {
      throw ferry::sdk::invalidInput(where + ": unknown key \"" + key + "\"");
    }
  }
  if (!sample.contains("name") || !sample["name"].is_string() ||
      !isName(sample["name"].get<std::string>(), true)) {
    throw ferry::sdk::invalidInput(where + ": \"name\" must be a valid metric name");
  }
  if (!sample.contains("value") || !sample["value"].is_number()) {
    throw ferry::sdk::invalidInput(where + ": \"value\" must be a number");
  }
  std::string name = sample["name"].get<std::string>();
  pb::MetricType type = typeOf(sample, where);
  std::string help = sample.value("help", "");
  auto [it, is_new] = index.emplace(name, out.size());
  if (is_new) {
    out.emplace_back().set_name(name);
    out.back().set_type(type);
    if (!help.empty()) out.back().set_help(help);
  }
  pb::MetricFamily& family = out[it->second];
  if (family.type() != type || family.help() != help) {
    throw ferry::sdk::invalidInput(where + ": type or help differs from an earlier " + name);
  }
  pb::Metric* metric = family.add_metric();
  const json labels = sample.value("labels", json::object());
  if (!labels.is_object()) throw ferry::sdk::invalidInput(where + ": \"labels\" is not an object");
  for (const auto& [label, value] : labels.items()) {
    if (!isName(label, false) || !value.is_string()) {
      // Quoted as Ferry quotes names in its own errors (Go's %q), so that no byte of the
      // client's input reaches its terminal or log unescaped.
      throw ferry::sdk::invalidInput(where + ": label " + ferry::support::goQuote(label) +
                                     " needs a valid name and a string value");
    }
    pb::LabelPair* pair = metric->add_label();
    pair->set_name(label);
    pair->set_value(value.get<std::string>());
  }
  double value = sample["value"].get<double>();
  if (type == pb::COUNTER) metric->mutable_counter()->set_value(value);
  if (type == pb::GAUGE) metric->mutable_gauge()->set_value(value);
  if (type == pb::UNTYPED) metric->mutable_untyped()->set_value(value);
}

class JsonInput : public ferry::sdk::InputPlugin {
 public:
  JsonInput(const ferry::sdk::Host&, ferry::sdk::Config& config)
      : media_type_(mediaType(config.get<std::string>("content_type", "application/json"))) {
    if (media_type_.empty()) throw ferry::sdk::configError("\"content_type\" is empty");
  }

  bool accepts(std::string_view content_type) const override {
    return mediaType(content_type) == media_type_;
  }

  // Called concurrently: no state is shared between calls.
  void parse(std::string_view, std::string_view body, ferry::sdk::Output& out) override {
    json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) throw ferry::sdk::invalidInput("body is not valid JSON");
    if (!doc.is_array()) throw ferry::sdk::invalidInput("body must be a JSON array of samples");
    std::vector<pb::MetricFamily> families;
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < doc.size(); ++i) {
      addSample(doc[i], "sample " + std::to_string(i), families, index);
    }
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      for (const auto& family : families) {
        coded.WriteVarint32(static_cast<uint32_t>(family.ByteSizeLong()));
        family.SerializeWithCachedSizes(&coded);
      }
    }
    out.write(bytes);
  }

 private:
  const std::string media_type_;
};

}  // namespace

FERRY_PLUGIN(JsonInput, "json", "1.0.0",
             "A JSON array of samples: name, type, help, labels, value (config: content_type)",
             R"({"content_type": "application/json"})")
