#pragma once

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

// Value rules shared by the command line and the config file, so "--log.level=x" and
// {"log": {"level": "x"}} are judged alike. Each caller adds its own context (flag or key).
namespace ferry::core::config::detail {

class ValueError : public std::runtime_error {
 public:
  // verbatim: the text is the Pushgateway's own error for this flag (kingpin prints it without
  // naming the flag), so the command line must print it unchanged.
  ValueError(const std::string& message, bool verbatim)
      : std::runtime_error(message), verbatim_(verbatim) {}
  bool verbatim() const { return verbatim_; }

 private:
  bool verbatim_;
};

// promslog: case-insensitive, canonical lower case; "unrecognized log level x".
std::string canonicalLogLevel(std::string_view value);
// promslog: "logfmt" or "json", case-sensitive; "unrecognized log format x".
std::string checkLogFormat(std::string_view value);
std::string checkTelemetryPath(std::string_view value);
// --web.external-url must be a URL Go's url.Parse accepts (kingpin's "invalid URL: ..." text).
std::string checkExternalUrl(std::string_view value);
std::chrono::nanoseconds persistenceInterval(std::string_view value);
// Ferry's own values.
size_t parseByteCount(std::string_view value);
size_t checkMaxConnections(unsigned long long value);
size_t parseMaxConnections(std::string_view value);
unsigned checkHandlerThreads(unsigned long long value);
unsigned parseHandlerThreads(std::string_view value);
std::chrono::seconds keepAliveTimeout(std::string_view value);
// A Go duration above zero (the front door's timeouts).
std::chrono::nanoseconds positiveDuration(std::string_view value);
// A byte count above zero (--web.max-header-bytes, --web.read-body-min-rate).
size_t positiveByteCount(std::string_view value);
size_t checkPositiveByteCount(unsigned long long value);
// A group TTL (Go duration, not negative; "0s" = never expires).
std::chrono::nanoseconds parseTtl(std::string_view value);
// Go's strconv.ParseBool spellings: 1 t T TRUE true True 0 f F FALSE false False.
bool parseBool(std::string_view value);

}  // namespace ferry::core::config::detail
