#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

// Structured logging in Pushgateway's two formats (logfmt and json) on top of spdlog, which
// provides the sink, the level filter and thread safety. Every line carries ts, level and msg;
// callers add key/value fields.
namespace ferry::core::util {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kLogfmt, kJson };

using LogField = std::pair<std::string_view, std::string_view>;
using LogFields = std::initializer_list<LogField>;

// Throws std::invalid_argument for an unknown level or format name.
void initLogging(std::string_view level, std::string_view format);
bool logEnabled(LogLevel level);
void log(LogLevel level, std::string_view msg, LogFields fields = {});

inline void logDebug(std::string_view msg, LogFields f = {}) { log(LogLevel::kDebug, msg, f); }
inline void logInfo(std::string_view msg, LogFields f = {}) { log(LogLevel::kInfo, msg, f); }
inline void logWarn(std::string_view msg, LogFields f = {}) { log(LogLevel::kWarn, msg, f); }
inline void logError(std::string_view msg, LogFields f = {}) { log(LogLevel::kError, msg, f); }

// Formats one line (without the trailing newline); exposed for tests.
std::string formatLogLine(LogFormat format, LogLevel level, std::string_view timestamp,
                          std::string_view msg, LogFields fields);

}  // namespace ferry::core::util
