// Label matchers and selectors (core/model/selector.h) and the full-match regular expressions
// under them (core/model/full_match_regex.h): PromQL's syntax and semantics.
#include <gtest/gtest.h>

#include "core/model/full_match_regex.h"
#include "core/model/selector.h"

namespace ferry::core::model {
namespace {

bool fullMatch(const std::string& pattern, const std::string& value) {
  std::string error;
  auto regex = FullMatchRegex::compile(pattern, error);
  EXPECT_TRUE(regex) << pattern << ": " << error;
  return regex && regex->match(value) == FullMatchRegex::Result::kMatch;
}

std::string compileError(const std::string& pattern) {
  std::string error;
  auto regex = FullMatchRegex::compile(pattern, error);
  return regex ? "" : error;
}

std::string parseError(const std::string& text) {
  try {
    parseSelector(text);
  } catch (const SelectorError& e) {
    return e.what();
  }
  return "";
}

TEST(FullMatchRegex, MatchesTheWholeValueOnly) {
  EXPECT_TRUE(fullMatch("db-.*", "db-1"));
  EXPECT_FALSE(fullMatch("db-.*", "xdb-1"));
  EXPECT_FALSE(fullMatch("db", "db-1"));
  EXPECT_TRUE(fullMatch("a|ab", "ab"));  // not just the leftmost alternative
  EXPECT_TRUE(fullMatch("", ""));
  EXPECT_FALSE(fullMatch("", "x"));
  EXPECT_TRUE(fullMatch(".*", ""));
  EXPECT_TRUE(fullMatch(".*", "multi\nline"));  // '.' matches a newline, as in PromQL
  EXPECT_FALSE(fullMatch("a$", "a\n"));         // '$' is the end of the value only
  EXPECT_TRUE(fullMatch("(?i)DB-[0-9]+", "db-42"));
  EXPECT_TRUE(fullMatch("\\d+", "123"));
  EXPECT_FALSE(fullMatch("\\d", "\xd9\xa3"));           // ASCII-only classes, as RE2
  EXPECT_TRUE(fullMatch("caf\xc3\xa9|.", "\xc3\xa9"));  // UTF-8: one rune is one '.'
  EXPECT_TRUE(fullMatch("(?P<x>a)b", "ab"));
  EXPECT_TRUE(fullMatch("[[:alpha:]]+", "abc"));
  EXPECT_TRUE(fullMatch("a{2,3}", "aaa"));
  EXPECT_TRUE(fullMatch("\\Q.*\\E", ".*"));
}

TEST(FullMatchRegex, WrappingCannotEscapeTheAnchors) {
  EXPECT_NE(compileError("a)|(b"), "");
  EXPECT_NE(compileError("(a"), "");
  EXPECT_NE(compileError("["), "");
}

TEST(FullMatchRegex, RefusesWhatRe2Refuses) {
  for (const char* pattern :
       {"(a)\\1", "(?=a)a", "(?!b)a", "(?<=a)b",  "(?<!a)b",      "(?>a)",  "a++",   "a*+",
        "a?+",    "a{2}+",  "(?R)",   "(*UTF8)a", "(?#comment)a", "\\Ka",   "a\\Z",  "\\Ga",
        "\\h",    "\\X",    "\\C",    "a{1001}",  "(?x)a",        "(?P=n)", "\\k<n>"}) {
    std::string error = compileError(pattern);
    EXPECT_NE(error.find("RE2 syntax (as in PromQL) has no"), std::string::npos)
        << pattern << ": " << error;
  }
  EXPECT_EQ(compileError("\\12"), "");  // octal, in both
  EXPECT_EQ(compileError("a{1000}"), "");
  EXPECT_EQ(compileError("[\\]a]"), "");
  EXPECT_EQ(compileError("(?i:a)(?s)b(?-m)"), "");
  EXPECT_EQ(compileError("[(?=]"), "");  // inside a class it is literal
}

TEST(FullMatchRegex, CatastrophicBacktrackingIsBoundedAndReported) {
  std::string error;
  auto regex = FullMatchRegex::compile("(a|aa)+", error);
  ASSERT_TRUE(regex) << error;
  EXPECT_EQ(regex->match(std::string(40, 'a') + "b"), FullMatchRegex::Result::kTooComplex);
  EXPECT_EQ(regex->match("aaa"), FullMatchRegex::Result::kMatch);
}

TEST(FullMatchRegex, InvalidUtf8ValuesDoNotMatch) { EXPECT_FALSE(fullMatch(".*", "\xff")); }

TEST(Selector, ParsesPromqlMatchers) {
  Selector s = parseSelector(" { job = \"a\" , instance=~'db-.*', env!=`prod`, x!~\"y|z\", } ");
  ASSERT_EQ(s.matchers().size(), 4u);
  EXPECT_EQ(s.matchers()[0].op(), LabelMatcher::Op::kEqual);
  EXPECT_EQ(s.matchers()[1].op(), LabelMatcher::Op::kRegexMatch);
  EXPECT_EQ(s.matchers()[2].op(), LabelMatcher::Op::kNotEqual);
  EXPECT_EQ(s.matchers()[3].op(), LabelMatcher::Op::kRegexNoMatch);
  EXPECT_EQ(s.toString(), "{job=\"a\",instance=~\"db-.*\",env!=\"prod\",x!~\"y|z\"}");
  EXPECT_TRUE(s.matches({{"job", "a"}, {"instance", "db-1"}}));
  EXPECT_TRUE(s.matches({{"job", "a"}, {"instance", "db-1"}, {"env", "dev"}, {"x", "w"}}));
  EXPECT_FALSE(s.matches({{"job", "a"}, {"instance", "db-1"}, {"env", "prod"}}));
  EXPECT_FALSE(s.matches({{"job", "a"}, {"instance", "db-1"}, {"x", "y"}}));
  EXPECT_FALSE(s.matches({{"job", "a"}}));  // a missing label is ""
  EXPECT_FALSE(s.matches({{"job", "b"}, {"instance", "db-1"}}));
}

TEST(Selector, UnquotesGoEscapes) {
  Selector s = parseSelector(R"({job="a\"b\\c\n\x41\101\u00e9\U0001F600"})");
  EXPECT_EQ(s.matchers()[0].value(), "a\"b\\c\nAA\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(parseSelector(R"({job='it\'s'})").matchers()[0].value(), "it's");
  EXPECT_EQ(parseSelector(R"({job=`raw\n`})").matchers()[0].value(), "raw\\n");
  EXPECT_NE(parseError(R"({job="\q"})").find("unknown escape sequence \\q"), std::string::npos);
  EXPECT_NE(parseError(R"({job="\'"})"), "");  // not an escape inside "..."
  EXPECT_NE(parseError(R"({job="\ud800"})"), "");
  EXPECT_NE(parseError("{job=\"a\nb\"}"), "");
  EXPECT_NE(parseError("{job=\"\xff\"}").find("not valid UTF-8"), std::string::npos);
}

TEST(Selector, RefusesSyntaxErrorsWithAPosition) {
  EXPECT_NE(parseError("").find("expected '{' at position 0"), std::string::npos);
  EXPECT_NE(parseError("up{job=\"a\"}").find("has no metric name"), std::string::npos);
  EXPECT_NE(parseError("{job}").find("expected '=', '!=', '=~' or '!~'"), std::string::npos);
  EXPECT_NE(parseError("{job=a}").find("expected a quoted label value"), std::string::npos);
  EXPECT_NE(parseError("{job=\"a\"").find("expected '}'"), std::string::npos);
  EXPECT_NE(parseError("{job=\"a\" x=\"b\"}").find("expected ',' or '}'"), std::string::npos);
  EXPECT_NE(parseError("{job=\"a\"} x").find("unexpected text after '}'"), std::string::npos);
  EXPECT_NE(parseError("{1x=\"a\"}").find("expected a label name"), std::string::npos);
  EXPECT_NE(parseError("{job=\"a").find("unterminated"), std::string::npos);
  EXPECT_NE(parseError("{job=~\"(\"}").find("invalid regular expression"), std::string::npos);
  EXPECT_NE(parseError("{job=~\"(?=a)\"}").find("look-ahead"), std::string::npos);
}

TEST(Selector, RefusesSelectorsThatMatchEverything) {
  for (const char* text :
       {"{}", "{env=\"\"}", "{job=~\".*\"}", "{env!=\"prod\"}", "{x!~\"a\",y=~\"b?\"}"}) {
    EXPECT_NE(parseError(text).find("at least one matcher that does not match the empty string"),
              std::string::npos)
        << text;
  }
  for (const char* text : {"{job!=\"\"}", "{job=~\".+\"}", "{job!~\"\"}"}) {
    EXPECT_NE(parseError(text).find("it matches every group"), std::string::npos) << text;
  }
  EXPECT_EQ(parseError("{job=~\".+\",env=\"prod\"}"), "");
  EXPECT_EQ(parseError("{instance!=\"\"}"), "");
  EXPECT_EQ(parseError("{job=~\"a.+\"}"), "");
}

TEST(Selector, TooMuchBacktrackingFailsTheMatchWithAMessage) {
  Selector s = parseSelector("{job=~\"(a|aa)+\"}");
  try {
    s.matches({{"job", std::string(40, 'a') + "b"}});
    FAIL() << "no error";
  } catch (const SelectorError& e) {
    EXPECT_NE(std::string(e.what()).find("needs too much backtracking"), std::string::npos);
  }
}

}  // namespace
}  // namespace ferry::core::model
