// How a plugin reports a failure: throw one of these (or any std::exception, which becomes
// FERRY_ERR_INTERNAL). The SDK catches everything at the C boundary.
#pragma once

#include <ferry/plugin_abi.h>

#include <stdexcept>
#include <string>

namespace ferry::sdk {

// A failure with a status. The message reaches the HTTP client (for FERRY_ERR_INVALID_INPUT)
// or the log.
class Error : public std::runtime_error {
 public:
  Error(ferry_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  ferry_status status() const noexcept { return status_; }

 private:
  ferry_status status_;
};

// Shorthands for the common failures.
inline Error invalidInput(const std::string& message) {
  return Error(FERRY_ERR_INVALID_INPUT, message);
}
inline Error configError(const std::string& message) { return Error(FERRY_ERR_CONFIG, message); }
inline Error ioError(const std::string& message) { return Error(FERRY_ERR_IO, message); }

}  // namespace ferry::sdk
