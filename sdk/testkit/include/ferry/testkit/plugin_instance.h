// One plugin instance driven through the C ABI: created with its own TestHost from a JSON
// config, destroyed with the plugin's destroy(). The storage, input and auth drivers are built
// on it, so creating, reporting a failed create and destroying work the same for every kind.
#pragma once

#include <ferry/plugin_abi.h>
#include <ferry/testkit/plugin_loader.h>

#include <memory>
#include <string>

namespace ferry::testkit {

// The outcome of one call: a status and the message the plugin set with error_set.
struct CallResult {
  ferry_status status = FERRY_OK;
  std::string message;
  bool ok() const { return status == FERRY_OK; }
  // "FERRY_ERR_IO: cannot open ..." for assertion messages.
  std::string describe() const;
};

class PluginInstance {
 public:
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const TestHost& host() const { return *host_; }

 protected:
  // What create() gave: the instance, or nullptr (then `error`, if given, holds
  // FERRY_ERR_INTERNAL and the plugin's message, which may be empty, or FERRY_ERR_CONFIG when
  // the config does not fit the declared keys and create() was not called, as in Ferry).
  struct Created {
    std::unique_ptr<TestHost> host;
    void* instance = nullptr;
  };
  static Created create(const PluginLibrary& library, const std::string& config_json,
                        CallResult* error);
  PluginInstance(const PluginLibrary& library, Created created);

  // Opens a driver of type D (a subclass with a constructor (library, Created)).
  template <typename D>
  static std::unique_ptr<D> open(const PluginLibrary& library, const std::string& config_json,
                                 CallResult* error) {
    Created created = create(library, config_json, error);
    if (!created.instance) return nullptr;
    return std::unique_ptr<D>(new D(library, std::move(created)));
  }

  const PluginLibrary& library_;
  std::unique_ptr<TestHost> host_;
  void* instance_;
};

}  // namespace ferry::testkit
