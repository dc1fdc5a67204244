// Ferry plugin SDK: a header-only C++17 layer over the C ABI in ferry/plugin_abi.h.
//
// A plugin is one class derived from InputPlugin, StoragePlugin or AuthPlugin, with a
// constructor `(const ferry::sdk::Host&, ferry::sdk::Config&)`, plus one FERRY_PLUGIN line:
//
//   #include <ferry/sdk.hpp>
//
//   class Shout : public ferry::sdk::AuthPlugin {
//    public:
//     Shout(const ferry::sdk::Host&, ferry::sdk::Config& config)
//         : word_(config.get<std::string>("word", "let-me-in")) {}
//     ferry::sdk::AuthResult authenticate(const ferry::sdk::AuthRequest& request) override {
//       std::string_view said = request.header("X-Word");
//       if (said.empty()) return ferry::sdk::AuthResult::noCredentials();
//       if (said != word_) return ferry::sdk::AuthResult::denied();
//       return ferry::sdk::AuthResult::ok("shouter");
//     }
//
//    private:
//     const std::string word_;
//   };
//
//   FERRY_PLUGIN(Shout, "shout", "1.0.0", "A password in a header", R"({"word": "let-me-in"})")
//
// What each part is:
//   ferry/sdk/input_plugin.hpp    InputPlugin: a push body into metric families
//   ferry/sdk/storage_plugin.hpp  StoragePlugin: durable key-value store of serialized groups
//   ferry/sdk/auth_plugin.hpp     AuthPlugin: a request's credentials into an identity
//   ferry/sdk/config.hpp          Config: the plugin's JSON settings
//   ferry/sdk/host.hpp            Host: Ferry's log
//   ferry/sdk/errors.hpp          Error, invalidInput, configError, ioError
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
#include <ferry/sdk/host.hpp>
#include <ferry/sdk/input_plugin.hpp>
#include <ferry/sdk/storage_plugin.hpp>

// Registers plugin class CLASS under NAME. Use once per shared library, at namespace scope.
#define FERRY_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION, DEFAULT_CONFIG_JSON)                      \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_plugin_descriptor* ferry_plugin_entry_v1(void) {     \
    static const ferry_plugin_descriptor descriptor = {sizeof(ferry_plugin_descriptor),           \
                                                       FERRY_ABI_MAJOR,                           \
                                                       FERRY_ABI_MINOR,                           \
                                                       CLASS::kKind,                              \
                                                       NAME,                                      \
                                                       VERSION,                                   \
                                                       DESCRIPTION,                               \
                                                       DEFAULT_CONFIG_JSON,                       \
                                                       &::ferry::sdk::detail::create<CLASS>,      \
                                                       &::ferry::sdk::detail::destroy<CLASS>,     \
                                                       ::ferry::sdk::detail::vtableFor<CLASS>()}; \
    return &descriptor;                                                                           \
  }
