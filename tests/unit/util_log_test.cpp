// Log lines stay one valid UTF-8 line of valid logfmt or JSON whatever bytes a client puts into
// a field (decoded label values, jobs, the raw URI): every byte value, invalid UTF-8, C0 and C1
// controls, and the escapes that were already right stay as they were.
#include <gtest/gtest.h>

#include <ferry/support/utf8.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/util/log.h"

namespace ferry::core::util {
namespace {

constexpr char kTs[] = "2024-01-02T03:04:05.678Z";

std::string logfmt(std::string_view value) {
  return formatLogLine(LogFormat::kLogfmt, LogLevel::kWarn, kTs, "m", {{"v", value}});
}
std::string json(std::string_view value) {
  return formatLogLine(LogFormat::kJson, LogLevel::kWarn, kTs, "m", {{"v", value}});
}

// The text after "v=" of a logfmt line, as written.
std::string logfmtValue(const std::string& line) {
  size_t at = line.find(" v=");
  return at == std::string::npos ? "(no field)" : line.substr(at + 3);
}

// The JSON line parsed strictly (nlohmann refuses raw control characters and invalid UTF-8).
nlohmann::json parsed(const std::string& line) { return nlohmann::json::parse(line); }

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A strict reader of one logfmt value as the logger writes it: bare (no space, '"', '=' or
// control byte) or quoted with the escapes \" \\ \n \r \t \xNN \uNNNN \UNNNNNNNN. Returns false
// for anything else, so a malformed line fails the test.
bool decodeLogfmtValue(const std::string& text, std::string& out) {
  out.clear();
  if (text.empty()) return false;
  if (text.front() != '"') {
    for (unsigned char c : text) {
      if (c <= 0x20 || c == '"' || c == '=' || c == 0x7f) return false;
    }
    out = text;
    return true;
  }
  size_t i = 1;
  while (i < text.size() && text[i] != '"') {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return false;  // raw control bytes never appear
    if (c != '\\') {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (++i >= text.size()) return false;
    char e = text[i++];
    auto hex = [&](size_t n, uint32_t& v) {
      v = 0;
      for (size_t k = 0; k < n; ++k, ++i) {
        if (i >= text.size() || hexDigit(text[i]) < 0) return false;
        v = v * 16 + static_cast<uint32_t>(hexDigit(text[i]));
      }
      return true;
    };
    uint32_t v = 0;
    switch (e) {
      case '"':
      case '\\':
        out += e;
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'x':
        if (!hex(2, v)) return false;
        out += static_cast<char>(v);
        break;
      case 'u':
        if (!hex(4, v)) return false;
        support::appendRune(out, v);
        break;
      case 'U':
        if (!hex(8, v)) return false;
        support::appendRune(out, v);
        break;
      default:
        return false;
    }
  }
  return i == text.size() - 1;  // the closing quote ends the line
}

// What Go's encoding/json (and so a JSON reader of the line) sees: invalid bytes as U+FFFD.
std::string withReplacementCharacters(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    support::DecodedRune d = support::decodeRune(in);
    support::appendRune(out, d.rune);
    in.remove_prefix(d.width);
  }
  return out;
}

void expectValidLines(const std::string& value) {
  std::string text = logfmt(value);
  EXPECT_TRUE(support::isValidUtf8(text)) << text;
  EXPECT_EQ(text.find('\n'), std::string::npos);
  std::string decoded;
  ASSERT_TRUE(decodeLogfmtValue(logfmtValue(text), decoded)) << text;
  EXPECT_EQ(decoded, value) << "logfmt keeps every byte: " << text;

  std::string line = json(value);
  EXPECT_TRUE(support::isValidUtf8(line)) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  nlohmann::json j;
  ASSERT_NO_THROW(j = parsed(line)) << line;
  EXPECT_EQ(j.at("v").get<std::string>(), withReplacementCharacters(value)) << line;
  EXPECT_EQ(j.at("msg"), "m");
}

TEST(LogEscaping, EveryByteValueGivesValidLines) {
  for (int b = 0; b < 256; ++b) {
    SCOPED_TRACE("byte " + std::to_string(b));
    std::string one(1, static_cast<char>(b));
    expectValidLines(one);
    expectValidLines("job-" + one + "-x");
  }
}

TEST(LogEscaping, EveryPairOfBytesAfterALeadByteGivesValidLines) {
  // Truncated and overlong sequences, surrogates and values above U+10FFFF start here.
  for (int lead : {0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5}) {
    for (int b = 0; b < 256; ++b) {
      std::string value{static_cast<char>(lead), static_cast<char>(b), 'x'};
      SCOPED_TRACE(std::to_string(lead) + " " + std::to_string(b));
      expectValidLines(value);
    }
  }
}

TEST(LogEscaping, ExistingEscapesStay) {
  EXPECT_EQ(logfmt("a\"b\\c\nd\re\tf"),
            std::string("ts=") + kTs + " level=warn msg=m v=\"a\\\"b\\\\c\\nd\\re\\tf\"");
  EXPECT_EQ(json("a\"b\\c\nd\re\tf"), std::string("{\"ts\":\"") + kTs +
                                          "\",\"level\":\"warn\",\"msg\":\"m\","
                                          "\"v\":\"a\\\"b\\\\c\\nd\\re\\tf\"}");
  EXPECT_EQ(logfmtValue(logfmt("\x1b[31mred")), "\"\\x1b[31mred\"");
  EXPECT_EQ(parsed(json("\x1b")).at("v"), "\x1b");
  EXPECT_NE(json("\x1b").find("\\u001b"), std::string::npos);
  EXPECT_EQ(logfmtValue(logfmt(std::string("\0", 1))), "\"\\x00\"");
}

TEST(LogEscaping, PlainValuesStayBare) {
  EXPECT_EQ(logfmtValue(logfmt("/metrics/job/ci")), "/metrics/job/ci");
  EXPECT_EQ(logfmtValue(logfmt("grüße-日本")), "grüße-日本");
  EXPECT_EQ(logfmtValue(logfmt("a\\b")), "a\\b");  // a bare backslash is literal
  EXPECT_EQ(logfmtValue(logfmt("")), "\"\"");
  EXPECT_EQ(logfmtValue(logfmt("a b")), "\"a b\"");
  EXPECT_EQ(logfmtValue(logfmt("a=b")), "\"a=b\"");
  EXPECT_EQ(json("grüße"), std::string("{\"ts\":\"") + kTs +
                               "\",\"level\":\"warn\",\"msg\":\"m\",\"v\":\"grüße\"}");
}

TEST(LogEscaping, DeleteAndC1ControlsAreEscaped) {
  EXPECT_EQ(logfmtValue(logfmt("a\x7f")), "\"a\\x7f\"");
  EXPECT_NE(json("a\x7f").find("a\\u007f"), std::string::npos);
  // U+0085 (NEL) and U+009B (CSI) are valid UTF-8 but control characters.
  EXPECT_EQ(logfmtValue(logfmt("a\xc2\x85"
                               "b\xc2\x9b")),
            "\"a\\u0085b\\u009b\"");
  EXPECT_NE(json("a\xc2\x85").find("a\\u0085"), std::string::npos);
}

TEST(LogEscaping, InvalidUtf8IsEscaped) {
  // logfmt keeps the byte (as Go's %q); JSON has no byte escape and says U+FFFD, as Go's
  // encoding/json does.
  EXPECT_EQ(logfmtValue(logfmt("job\xff")), "\"job\\xff\"");
  EXPECT_EQ(logfmtValue(logfmt("\xed\xa0\x80")), "\"\\xed\\xa0\\x80\"");  // a surrogate
  EXPECT_EQ(logfmtValue(logfmt("\xc0\xaf")), "\"\\xc0\\xaf\"");           // overlong '/'
  EXPECT_NE(json("job\xff").find("job\\ufffd"), std::string::npos);
  EXPECT_EQ(parsed(json("\xe2\x82")).at("v"), "\xef\xbf\xbd\xef\xbf\xbd");  // truncated
  // A real U+FFFD is printable and written as is.
  EXPECT_EQ(logfmtValue(logfmt("\xef\xbf\xbd")), "\xef\xbf\xbd");
}

TEST(LogEscaping, UnprintableRunesCannotFakeOrHideText) {
  // Line and paragraph separators, a right-to-left override, a zero-width space.
  EXPECT_EQ(logfmtValue(logfmt("a\xe2\x80\xa8"
                               "b\xe2\x80\xae"
                               "c\xe2\x80\x8b")),
            "\"a\\u2028b\\u202ec\\u200b\"");
  EXPECT_NE(json("a\xe2\x80\xa8").find("a\\u2028"), std::string::npos);
  // Above U+FFFF: JSON needs a surrogate pair, logfmt follows Go's %q.
  EXPECT_EQ(logfmtValue(logfmt("\xf3\xa0\x80\x81")), "\"\\U000e0001\"");
  EXPECT_NE(json("\xf3\xa0\x80\x81").find("\\udb40\\udc01"), std::string::npos);
  EXPECT_EQ(parsed(json("\xf3\xa0\x80\x81")).at("v"), "\xf3\xa0\x80\x81");
  // A printable rune above U+FFFF stays as it is.
  EXPECT_EQ(logfmtValue(logfmt("\xf0\x9f\x98\x80")), "\xf0\x9f\x98\x80");
}

TEST(LogEscaping, RandomBytesAlwaysGiveValidLines) {
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::string value(rng() % 24, '\0');
    for (char& c : value) c = static_cast<char>(rng() & 0xff);
    SCOPED_TRACE(i);
    expectValidLines(value);
  }
}

TEST(LogEscaping, MessageAndKeysAreEscapedToo) {
  std::string line =
      formatLogLine(LogFormat::kJson, LogLevel::kInfo, kTs, "m\xff\n", {{"k\x01", "v"}});
  EXPECT_TRUE(support::isValidUtf8(line));
  auto j = parsed(line);
  EXPECT_EQ(j.at("msg"), "m\xef\xbf\xbd\n");
  EXPECT_EQ(j.at("k\x01"), "v");
  std::string text =
      formatLogLine(LogFormat::kLogfmt, LogLevel::kInfo, kTs, "m\xff\n", {{"k", "v"}});
  EXPECT_EQ(text, std::string("ts=") + kTs + " level=info msg=\"m\\xff\\n\" k=v");
}

}  // namespace
}  // namespace ferry::core::util
