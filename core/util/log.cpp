#include "core/util/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace ferry::core::util {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kLogfmt};
std::atomic<LogLevel> g_level{LogLevel::kInfo};

std::string_view levelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

spdlog::level::level_enum spdLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

bool needsQuoting(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

void appendEscaped(std::string& out, std::string_view v, bool json) {
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, json ? "\\u%04x" : "\\x%02x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

void appendLogfmtPair(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out += ' ';
  out.append(key);
  out += '=';
  if (needsQuoting(value)) {
    out += '"';
    appendEscaped(out, value, false);
    out += '"';
  } else {
    out.append(value);
  }
}

void appendJsonPair(std::string& out, std::string_view key, std::string_view value) {
  out += out.size() > 1 ? ",\"" : "\"";
  appendEscaped(out, key, true);
  out += "\":\"";
  appendEscaped(out, value, true);
  out += '"';
}

std::string nowTimestamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

std::string formatLogLine(LogFormat format, LogLevel level, std::string_view timestamp,
                          std::string_view msg, LogFields fields) {
  std::string out;
  out.reserve(96 + msg.size());
  if (format == LogFormat::kJson) {
    out += '{';
    appendJsonPair(out, "ts", timestamp);
    appendJsonPair(out, "level", levelName(level));
    appendJsonPair(out, "msg", msg);
    for (const auto& [k, v] : fields) appendJsonPair(out, k, v);
    out += '}';
  } else {
    appendLogfmtPair(out, "ts", timestamp);
    appendLogfmtPair(out, "level", levelName(level));
    appendLogfmtPair(out, "msg", msg);
    for (const auto& [k, v] : fields) appendLogfmtPair(out, k, v);
  }
  return out;
}

void initLogging(std::string_view level, std::string_view format) {
  LogLevel parsed_level;
  if (level == "debug") {
    parsed_level = LogLevel::kDebug;
  } else if (level == "info") {
    parsed_level = LogLevel::kInfo;
  } else if (level == "warn") {
    parsed_level = LogLevel::kWarn;
  } else if (level == "error") {
    parsed_level = LogLevel::kError;
  } else {
    throw std::invalid_argument("unknown log level \"" + std::string(level) + "\"");
  }
  LogFormat parsed_format;
  if (format == "logfmt") {
    parsed_format = LogFormat::kLogfmt;
  } else if (format == "json") {
    parsed_format = LogFormat::kJson;
  } else {
    throw std::invalid_argument("unknown log format \"" + std::string(format) + "\"");
  }
  spdlog::drop("ferry");
  auto logger = spdlog::stderr_logger_mt("ferry");
  logger->set_pattern("%v");
  logger->set_level(spdLevel(parsed_level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  g_level = parsed_level;
  g_format = parsed_format;
}

bool logEnabled(LogLevel level) { return level >= g_level.load(std::memory_order_relaxed); }

void log(LogLevel level, std::string_view msg, LogFields fields) {
  if (!logEnabled(level)) return;
  std::string line = formatLogLine(g_format.load(std::memory_order_relaxed), level,
                                   nowTimestamp(), msg, fields);
  spdlog::log(spdLevel(level), "{}", line);
}

}  // namespace ferry::core::util
