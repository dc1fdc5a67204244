#include "core/model/selector.h"

#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>

namespace ferry::core::model {
namespace {

const char* opText(LabelMatcher::Op op) {
  switch (op) {
    case LabelMatcher::Op::kEqual:
      return "=";
    case LabelMatcher::Op::kNotEqual:
      return "!=";
    case LabelMatcher::Op::kRegexMatch:
      return "=~";
    case LabelMatcher::Op::kRegexNoMatch:
      return "!~";
  }
  return "?";
}

bool isRegexOp(LabelMatcher::Op op) {
  return op == LabelMatcher::Op::kRegexMatch || op == LabelMatcher::Op::kRegexNoMatch;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Selector parse() {
    skipSpace();
    if (at_end() || peek() != '{') {
      if (!at_end() && isNameStart(peek())) {
        fail("a selector of grouping labels has no metric name; write {job=\"...\"}");
      }
      fail("expected '{'");
    }
    ++pos_;
    std::vector<LabelMatcher> matchers;
    skipSpace();
    while (!at_end() && peek() != '}') {
      matchers.push_back(matcher());
      skipSpace();
      if (!at_end() && peek() == ',') {
        ++pos_;
        skipSpace();
      } else if (!at_end() && peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    if (at_end()) fail("expected '}'");
    ++pos_;
    skipSpace();
    if (!at_end()) fail("unexpected text after '}'");
    return Selector(std::move(matchers));
  }

 private:
  static bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skipSpace() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw SelectorError("invalid selector " + support::goQuote(text_) + ": " + what +
                        " at position " + std::to_string(pos_));
  }

  LabelMatcher matcher() {
    if (!isNameStart(peek())) fail("expected a label name");
    size_t start = pos_;
    while (!at_end() && isNameChar(peek())) ++pos_;
    std::string name(text_.substr(start, pos_ - start));
    skipSpace();
    LabelMatcher::Op op;
    if (text_.substr(pos_, 2) == "=~") {
      op = LabelMatcher::Op::kRegexMatch;
      pos_ += 2;
    } else if (text_.substr(pos_, 2) == "!=") {
      op = LabelMatcher::Op::kNotEqual;
      pos_ += 2;
    } else if (text_.substr(pos_, 2) == "!~") {
      op = LabelMatcher::Op::kRegexNoMatch;
      pos_ += 2;
    } else if (!at_end() && peek() == '=') {
      op = LabelMatcher::Op::kEqual;
      ++pos_;
    } else {
      fail("expected '=', '!=', '=~' or '!~' after label name \"" + name + "\"");
    }
    skipSpace();
    std::string value = stringLiteral();
    try {
      return LabelMatcher(std::move(name), op, std::move(value));
    } catch (const SelectorError& e) {
      fail(e.what());
    }
  }

  // A PromQL string literal: "..." or '...' with Go's escapes, or `...` raw.
  std::string stringLiteral() {
    if (at_end()) fail("expected a quoted label value");
    const char quote = peek();
    if (quote != '"' && quote != '\'' && quote != '`') fail("expected a quoted label value");
    ++pos_;
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated quoted string");
      char c = text_[pos_++];
      if (c == quote) break;
      if (quote == '`' || c != '\\') {
        if (quote != '`' && c == '\n') fail("newline in a quoted string");
        out.push_back(c);
        continue;
      }
      escape(quote, out);
    }
    if (!support::isValidUtf8(out)) fail("label value is not valid UTF-8");
    return out;
  }

  void escape(char quote, std::string& out) {
    if (at_end()) fail("unterminated quoted string");
    char c = text_[pos_++];
    switch (c) {
      case 'a':
        out.push_back('\a');
        return;
      case 'b':
        out.push_back('\b');
        return;
      case 'f':
        out.push_back('\f');
        return;
      case 'n':
        out.push_back('\n');
        return;
      case 'r':
        out.push_back('\r');
        return;
      case 't':
        out.push_back('\t');
        return;
      case 'v':
        out.push_back('\v');
        return;
      case '\\':
        out.push_back('\\');
        return;
      default:
        break;
    }
    if (c == quote) {
      out.push_back(c);
      return;
    }
    int digits = 0, base = 16;
    uint32_t max = 255;
    if (c >= '0' && c <= '7') {
      digits = 3;
      base = 8;
      --pos_;
    } else if (c == 'x') {
      digits = 2;
    } else if (c == 'u') {
      digits = 4;
      max = 0x10FFFF;
    } else if (c == 'U') {
      digits = 8;
      max = 0x10FFFF;
    } else {
      fail(std::string("unknown escape sequence \\") + c);
    }
    uint32_t value = 0;
    for (int i = 0; i < digits; ++i) {
      int d = at_end() ? -1 : hexValue(peek());
      if (d < 0 || d >= base) fail("invalid escape sequence");
      value = value * static_cast<uint32_t>(base) + static_cast<uint32_t>(d);
      ++pos_;
    }
    if (value > max || (value >= 0xD800 && value < 0xE000 && max > 255)) {
      fail("escape sequence is an invalid Unicode code point");
    }
    if (c == 'u' || c == 'U') {
      support::appendRune(out, value);
    } else {
      out.push_back(static_cast<char>(value));  // \x and octal are bytes, as in Go
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// True when the matcher accepts every non-empty job (every group has one).
bool acceptsEveryJob(const LabelMatcher& m) {
  if (m.name() != "job") return false;
  switch (m.op()) {
    case LabelMatcher::Op::kNotEqual:
    case LabelMatcher::Op::kRegexNoMatch:
      return m.value().empty();
    case LabelMatcher::Op::kRegexMatch:
      return m.value() == ".+" || m.value() == ".+?" || m.value() == "(.+)" ||
             m.value() == "(?:.+)";
    case LabelMatcher::Op::kEqual:
      return false;
  }
  return false;
}

}  // namespace

LabelMatcher::LabelMatcher(std::string name, Op op, std::string value)
    : name_(std::move(name)), op_(op), value_(std::move(value)) {
  if (isRegexOp(op_)) {
    std::string error;
    regex_ = FullMatchRegex::compile(value_, error);
    if (!regex_) throw SelectorError(error);
  }
}

bool LabelMatcher::matches(std::string_view value) const {
  switch (op_) {
    case Op::kEqual:
      return value == value_;
    case Op::kNotEqual:
      return value != value_;
    case Op::kRegexMatch:
    case Op::kRegexNoMatch: {
      auto result = regex_->match(value);
      if (result == FullMatchRegex::Result::kTooComplex) {
        throw SelectorError("regular expression " + support::goQuote(value_) +
                            " needs too much backtracking on the value " + support::goQuote(value) +
                            " of label \"" + name_ + "\"");
      }
      return (result == FullMatchRegex::Result::kMatch) == (op_ == Op::kRegexMatch);
    }
  }
  return false;
}

std::string LabelMatcher::toString() const {
  return name_ + opText(op_) + support::goQuote(value_);
}

bool Selector::matches(const LabelMap& labels) const {
  static const std::string kEmpty;
  for (const auto& m : matchers_) {
    auto it = labels.find(m.name());
    if (!m.matches(it == labels.end() ? kEmpty : it->second)) return false;
  }
  return true;
}

std::string Selector::toString() const {
  std::string out = "{";
  for (const auto& m : matchers_) {
    if (out.size() > 1) out += ",";
    out += m.toString();
  }
  return out + "}";
}

Selector parseSelector(std::string_view text) {
  Selector selector = Parser(text).parse();
  bool rejects_empty = false, selective = false;
  for (const auto& m : selector.matchers()) {
    if (m.matches("")) continue;
    rejects_empty = true;
    if (!acceptsEveryJob(m)) selective = true;
  }
  if (!rejects_empty) {
    throw SelectorError("invalid selector " + support::goQuote(text) +
                        ": it needs at least one matcher that does not match the empty string "
                        "(as in PromQL); to remove every group, use the admin wipe");
  }
  if (!selective) {
    throw SelectorError("invalid selector " + support::goQuote(text) +
                        ": it matches every group; to remove every group, use the admin wipe");
  }
  return selector;
}

}  // namespace ferry::core::model
