// Not for plugin authors: how the C functions of ferry/detail/*_trampolines.hpp reach a plugin
// instance and keep exceptions from crossing the C boundary.
#pragma once

#include <ferry/plugin_abi.h>

#include <exception>
#include <ferry/sdk/bytes.hpp>
#include <ferry/sdk/errors.hpp>
#include <memory>
#include <string_view>

namespace ferry::sdk::detail {

inline void setError(const ferry_host* host, ferry_error* err, std::string_view message) {
  if (host && host->error_set && err) host->error_set(err, toBytes(message));
}

// Runs fn, turning every exception into a status and an error message.
template <typename Fn>
ferry_status guarded(const ferry_host* host, ferry_error* err, Fn&& fn) noexcept {
  try {
    fn();
    return FERRY_OK;
  } catch (const Error& e) {
    setError(host, err, e.what());
    return e.status();
  } catch (const std::exception& e) {
    setError(host, err, e.what());
    return FERRY_ERR_INTERNAL;
  } catch (...) {
    setError(host, err, "unknown exception in plugin");
    return FERRY_ERR_INTERNAL;
  }
}

// What the host holds as a plugin instance: the plugin object and the host table it was given.
template <typename P>
struct Instance {
  ferry_host host;  // copied: the host's struct outlives the instance, but copying is cheap
  std::unique_ptr<P> plugin;
};

template <typename P>
Instance<P>& self(void* instance) {
  return *static_cast<Instance<P>*>(instance);
}

}  // namespace ferry::sdk::detail
