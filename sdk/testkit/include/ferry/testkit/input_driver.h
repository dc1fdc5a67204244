// A small C++ driver over one input plugin instance: create, accepts, parse and destroy through
// the C ABI, with std::string in and out. Used by the input contract suite; also handy for a
// plugin author's own tests.
#pragma once

#include <ferry/plugin_abi.h>
#include <ferry/testkit/plugin_loader.h>
#include <ferry/testkit/storage_driver.h>

#include <memory>
#include <string>
#include <vector>

namespace ferry::testkit {

// What one parse call gave: its status and message, and the bytes written to the sink.
struct ParseResult {
  CallResult call;
  std::string output;
};

// The families of a stream of varint-length-delimited io.prometheus.client.MetricFamily
// messages (what an input plugin writes).
struct DecodedFamilies {
  bool ok = false;
  std::string error;               // why the stream is malformed, if !ok
  std::vector<std::string> names;  // family names in stream order
  size_t metrics = 0;              // metrics over all families
};
DecodedFamilies decodeDelimitedFamilies(const std::string& bytes);

class InputDriver : public PluginInstance {
 public:
  // Creates an instance with `config_json`; on failure returns nullptr and fills `error`.
  static std::unique_ptr<InputDriver> open(const PluginLibrary& library,
                                           const std::string& config_json,
                                           CallResult* error = nullptr);

  // Thread-safe as the ABI promises for the plugin: accepts and parse may run concurrently.
  bool accepts(const std::string& content_type) const;
  ParseResult parse(const std::string& content_type, const std::string& body) const;

 private:
  friend class PluginInstance;
  using PluginInstance::PluginInstance;
};

}  // namespace ferry::testkit
