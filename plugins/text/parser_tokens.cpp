// Token readers of the text format parser. Each one starts where its Go counterpart starts
// (at the current byte, or at the next one for label values), leaves the byte after the token
// as the current byte, and sets eof_ when the body ends first.
#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>

#include "plugins/text/parser.h"

namespace ferry::plugins::text::detail {
namespace {

// Go's fmt.Sprintf("invalid escape sequence '\\%c'", b): %c takes the byte as a rune.
std::string invalidEscape(char escaped) {
  std::string message = "invalid escape sequence '\\";
  support::appendRune(message, static_cast<unsigned char>(escaped));
  message += '\'';
  return message;
}

}  // namespace

std::string_view Parser::readTokenUntilWhitespace() {
  const char* start = pos_ - 1;
  const char* p = start;
  while (p != end_ && *p != ' ' && *p != '\t' && *p != '\n') ++p;
  advanceTo(p);
  return {start, static_cast<size_t>(p - start)};
}

std::string_view Parser::readName(uint8_t start_class, uint8_t continuation_class) {
  if (!(kChars.bits[cur_] & start_class)) return {};
  const char* start = pos_ - 1;
  const char* p = pos_;
  while (p != end_ && (kChars.bits[static_cast<unsigned char>(*p)] & continuation_class)) ++p;
  advanceTo(p);
  return {start, static_cast<size_t>(p - start)};
}

// The current byte is the opening quote. Escapes: \\, \" and \n; anything else after a
// backslash is an error, and so is a raw newline.
bool Parser::readLabelValue(Label& label) {
  const char* const start = pos_;
  const char* p = start;
  while (p != end_ && *p != '"' && *p != '\\' && *p != '\n') ++p;
  if (p != end_ && *p == '"') {
    label.raw = {start, static_cast<size_t>(p - start)};
    label.escaped = false;
    advanceTo(p);
    return true;
  }
  std::string& value = label.unescaped;
  value.assign(start, p);
  label.escaped = true;
  while (true) {
    if (p == end_) {
      advanceTo(p);
      unexpectedEnd();
      return false;
    }
    const char c = *p;
    if (c == '"') {
      advanceTo(p);
      return true;
    }
    if (c == '\n') {
      advanceTo(p);
      fail("label value " + support::goQuote(value) + " contains unescaped new-line");
      return false;
    }
    if (c == '\\') {
      if (++p == end_) {
        advanceTo(p);
        unexpectedEnd();
        return false;
      }
      const char escaped = *p;
      if (escaped == '"' || escaped == '\\') {
        value += escaped;
      } else if (escaped == 'n') {
        value += '\n';
      } else {
        advanceTo(p);
        fail(invalidEscape(escaped));
        return false;
      }
      ++p;
      continue;
    }
    const char* run = p;
    while (p != end_ && *p != '"' && *p != '\\' && *p != '\n') ++p;
    value.append(run, p);
  }
}

// Go's readTokenUntilNewline, into token_, starting at the current byte. With escapes (HELP
// text) \\ and \n are recognized and any other escape is an error. Without (TYPE, and what
// follows a timestamp) Go still swallows every backslash, so "coun\ter" reads as "counter".
bool Parser::readRestOfLine(bool recognize_escapes) {
  token_.clear();
  const char* p = pos_ - 1;
  while (true) {
    const char* run = p;
    while (p != end_ && *p != '\n' && *p != '\\') ++p;
    token_.append(run, p);
    if (p == end_) {
      advanceTo(p);
      unexpectedEnd();
      return false;
    }
    if (*p == '\n') {
      advanceTo(p);
      return true;
    }
    ++p;  // the backslash
    if (!recognize_escapes) continue;
    if (p == end_) {
      advanceTo(p);
      unexpectedEnd();
      return false;
    }
    const char escaped = *p;
    if (escaped == '\\') {
      token_ += '\\';
    } else if (escaped == 'n') {
      token_ += '\n';
    } else {
      advanceTo(p);
      fail(invalidEscape(escaped));
      return false;
    }
    ++p;
  }
}

}  // namespace ferry::plugins::text::detail
