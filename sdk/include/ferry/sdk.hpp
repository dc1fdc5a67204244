// Ferry plugin SDK: a header-only C++17 layer over the C ABI in ferry/plugin_abi.h.
//
// A plugin is one class derived from InputPlugin, StoragePlugin or AuthPlugin, the config keys
// it takes declared next to it (kConfigKeys), a constructor `(const ferry::sdk::Host&,
// ferry::sdk::Config&)`, and one FERRY_PLUGIN line. This one parses bodies of "name value"
// lines (a test builds it, so it compiles as shown):
//
//   #include <ferry/sdk.hpp>
//   #include <sstream>
//
//   class Lines : public ferry::sdk::InputPlugin {
//    public:
//     static inline const ferry::sdk::ConfigKeys kConfigKeys = {
//         {"content_type", ferry::sdk::kString, "text/x-lines", "The media type it parses."},
//     };
//     Lines(const ferry::sdk::Host&, ferry::sdk::Config& config)
//         : type_(config.get<std::string>("content_type")) {}
//
//     bool accepts(std::string_view content_type) const override {
//       return ferry::sdk::mediaTypeIs(content_type, type_);
//     }
//     void parse(std::string_view, std::string_view body, ferry::sdk::Families& out) override {
//       std::istringstream lines{std::string(body)};
//       std::string name;
//       double value;
//       while (lines >> name) {
//         if (!(lines >> value)) throw ferry::sdk::invalidInput("expected lines of: name value");
//         out.family(name, ferry::sdk::MetricType::kUntyped).add({}, value);
//       }
//     }
//
//    private:
//     const std::string type_;
//   };
//
//   FERRY_PLUGIN(Lines, "lines", "1.0.0", "Bodies of name value lines")
//
// What each part is:
//   ferry/sdk/input_plugin.hpp    InputPlugin: a push body into metric families
//   ferry/sdk/families.hpp        Families: the family builder parse() fills
//   ferry/sdk/media_type.hpp      mediaTypeIs, parseMediaType: Content-Type headers
//   ferry/sdk/storage_plugin.hpp  StoragePlugin: durable key-value store of serialized groups,
//                                 and shared stores with a change feed (ABI 1.2)
//   ferry/sdk/auth_plugin.hpp     AuthPlugin: a request's credentials into an identity
//   ferry/sdk/config.hpp          ConfigKeys (declared keys), Config (the plugin's settings)
//   ferry/sdk/host.hpp            Host: Ferry's log
//   ferry/sdk/errors.hpp          Error, invalidInput, configError, ioError, unavailable, ...
//   ferry/detail/                 the C functions behind FERRY_PLUGIN (not for plugin code)
//
// Everything here is compiled into the plugin, never into the host, so it may use the plugin's
// own standard library freely. Exceptions thrown by plugin code are caught at the boundary and
// turned into a ferry_status plus message: throw ferry::sdk::Error (or any std::exception) to
// report a failure.
#pragma once

#include <ferry/plugin_abi.h>

#include <ferry/detail/entry.hpp>
#include <ferry/sdk/auth_plugin.hpp>
#include <ferry/sdk/bytes.hpp>
#include <ferry/sdk/config.hpp>
#include <ferry/sdk/errors.hpp>
#include <ferry/sdk/families.hpp>
#include <ferry/sdk/host.hpp>
#include <ferry/sdk/input_plugin.hpp>
#include <ferry/sdk/media_type.hpp>
#include <ferry/sdk/storage_plugin.hpp>

// FERRY_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION) registers plugin class CLASS under NAME
// ([a-z0-9_-]+; the file is <kind>-NAME.so). Use it once per shared library, at namespace
// scope. A plugin without kConfigKeys, which checks its config itself, gives its default config
// as a fifth argument (JSON text).
#define FERRY_PLUGIN(CLASS, NAME, VERSION, ...)                                               \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* ferry_plugin_entry_v1(void) { \
    static const ferry_plugin_descriptor descriptor =                                         \
        ::ferry::sdk::detail::makeDescriptor<CLASS>(NAME, VERSION, __VA_ARGS__);              \
    return &descriptor;                                                                       \
  }
