#include "core/util/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>
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

// Writes `r` as a \u escape: JSON needs a UTF-16 surrogate pair above U+FFFF, logfmt values
// follow Go's %q (\UNNNNNNNN).
void appendRuneEscape(std::string& out, char32_t r, bool json) {
  char buf[16];
  if (r <= 0xFFFF) {
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(r));
  } else if (json) {
    char32_t v = r - 0x10000;
    std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", static_cast<unsigned>(0xD800 + (v >> 10)),
                  static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(r));
  }
  out += buf;
}

// Everything a client sends may end up in a field (decoded label values, jobs, the raw URI),
// so every line must stay one valid UTF-8 line whatever the bytes: quotes, backslashes and
// control characters (C0, DEL, C1) are escaped, other runes Go's strconv.IsPrint calls
// unprintable (line and paragraph separators, bidi and zero-width format characters,
// unassigned code points) too, so nothing can fake or hide text in a log viewer. An invalid
// UTF-8 byte becomes \xNN in logfmt (the byte is kept, as Go's %q writes it) and \ufffd in
// JSON, which has no byte escape (as Go's encoding/json does).
void appendEscaped(std::string& out, std::string_view v, bool json) {
  size_t i = 0;
  while (i < v.size()) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c < 0x80) {
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
          if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, json ? "\\u%04x" : "\\x%02x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    support::DecodedRune d = support::decodeRune(v.substr(i));
    if (d.rune == support::kRuneError && d.width == 1) {
      if (json) {
        out += "\\ufffd";
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      }
    } else if (!support::goIsPrint(d.rune)) {
      appendRuneEscape(out, d.rune, json);
    } else {
      out.append(v.substr(i, d.width));
    }
    i += d.width;
  }
}

// A logfmt value is quoted when it is empty or holds a space, '"', '=' or anything
// appendEscaped changes other than a backslash (a bare backslash is literal unquoted).
bool needsQuoting(std::string_view v) {
  if (v.empty()) return true;
  size_t i = 0;
  while (i < v.size()) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c < 0x80) {
      if (c <= 0x20 || c == '"' || c == '=' || c == 0x7f) return true;
      ++i;
      continue;
    }
    support::DecodedRune d = support::decodeRune(v.substr(i));
    if ((d.rune == support::kRuneError && d.width == 1) || !support::goIsPrint(d.rune)) return true;
    i += d.width;
  }
  return false;
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
  std::string line =
      formatLogLine(g_format.load(std::memory_order_relaxed), level, nowTimestamp(), msg, fields);
  spdlog::log(spdLevel(level), "{}", line);
}

}  // namespace ferry::core::util
