// json-input: pushes as a JSON array of samples, e.g. [{"name": "files_total", "type": "counter",
// "help": "Files saved.", "labels": {"db": "main"}, "value": 42}]; samples of one name form one
// family. Ferry checks the names, labels and series of every push: this checks the JSON's shape.
#include <ferry/sdk.hpp>
#include <ferry/support/go_quote.hpp>
#include <map>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using Type = ferry::sdk::MetricType;
const json kNoLabels = json::object();
const std::map<std::string, Type> kTypes = {
    {"counter", Type::kCounter}, {"gauge", Type::kGauge}, {"untyped", Type::kUntyped}};

void addSample(const json& s, const std::string& where, ferry::sdk::Families& out) {
  auto bad = [&](const std::string& what) { return ferry::sdk::invalidInput(where + ": " + what); };
  if (!s.is_object() || !s.contains("name") || !s.contains("value")) throw bad("needs name, value");
  for (const auto& [key, value] : s.items()) {
    bool ok = (key == "value" && value.is_number()) || (key == "labels" && value.is_object()) ||
              ((key == "name" || key == "type" || key == "help") && value.is_string());
    if (!ok) throw bad("unknown key or wrong type: \"" + key + "\"");
  }
  auto type = kTypes.find(s.value("type", "untyped"));
  if (type == kTypes.end()) throw bad("\"type\" must be counter, gauge or untyped");
  std::vector<ferry::sdk::Label> labels;
  for (const auto& [name, value] : (s.contains("labels") ? s["labels"] : kNoLabels).items()) {
    if (!value.is_string()) throw bad("label " + ferry::support::goQuote(name) + ": not a string");
    labels.push_back({name, value.get_ref<const std::string&>()});
  }
  out.family(s["name"].get<std::string>(), type->second, s.value("help", ""))
      .add(labels, s["value"].get<double>());
}

class JsonInput : public ferry::sdk::InputPlugin {
 public:
  static inline const ferry::sdk::ConfigKeys kConfigKeys = {
      {"content_type", ferry::sdk::kString, "application/json", "The media type it parses."}};
  JsonInput(const ferry::sdk::Host&, ferry::sdk::Config& config)
      : content_type_(config.get<std::string>("content_type")) {}
  bool accepts(std::string_view content_type) const override {
    return ferry::sdk::mediaTypeIs(content_type, content_type_);  // charset etc. do not matter
  }
  // Called concurrently: nothing is shared between calls.
  void parse(std::string_view, std::string_view body, ferry::sdk::Families& out) override {
    json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (!doc.is_array()) throw ferry::sdk::invalidInput("body is not valid JSON (an array)");
    for (size_t i = 0; i < doc.size(); ++i) addSample(doc[i], "sample " + std::to_string(i), out);
  }

 private:
  const std::string content_type_;
};

}  // namespace

FERRY_PLUGIN(JsonInput, "json", "1.0.0", "A JSON array of samples: name, type, help, labels, value")
