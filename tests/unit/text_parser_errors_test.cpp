// Error texts of the text format parser, byte for byte. Every row was run against the real
// Pushgateway 1.5.1 (POST to /metrics/job/...), which answered 400 with exactly this text; the
// rows quoted in the spec's Appendix A (E4, E16, E21) come first.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text {
namespace {

constexpr std::string_view kPrefix = "text format parsing error in line ";

std::string errorOf(std::string_view body) {
  std::vector<io::prometheus::client::MetricFamily> out;
  const auto error = parseText(body, out);
  EXPECT_TRUE(out.empty());
  return error ? error->message : "<no error>";
}

TEST(TextParserErrors, SpecQuotedTexts) {
  EXPECT_EQ(errorOf("# TYPE d2 gauge\nd2 1\n# TYPE d2 gauge\nd2 2\n"),
            "text format parsing error in line 3: second TYPE line for metric name \"d2\", or "
            "TYPE reported after samples");
  EXPECT_EQ(errorOf("no_newline 1"),
            "text format parsing error in line 1: unexpected end of input stream");
  EXPECT_EQ(errorOf("crlf 1\r\n"),
            "text format parsing error in line 1: expected float as value, got \"1\\r\"");
  EXPECT_EQ(errorOf("1bad_name 1\n"), "text format parsing error in line 1: invalid metric name");
  EXPECT_EQ(errorOf("bad.name 1\n"),
            "text format parsing error in line 1: expected float as value, got \".name\"");
  EXPECT_EQ(errorOf("dl{a=\"1\",a=\"2\"} 1\n"),
            "text format parsing error in line 1: duplicate label names for metric \"dl\"");
  EXPECT_EQ(errorOf("nm{__name__=\"x\"} 1\n"),
            "text format parsing error in line 1: label name \"__name__\" is reserved");
  EXPECT_EQ(errorOf("bad_utf8{v=\"\xff\"} 1\n"),
            "text format parsing error in line 1: invalid label value \"\\xff\"");
  EXPECT_EQ(errorOf("# TYPE bogus foo\nbogus 1\n"),
            "text format parsing error in line 1: unknown metric type \"foo\"");
  EXPECT_EQ(errorOf("# TYPE ex counter\nex_total 1 # {trace_id=\"abc\"} 1.0\n"),
            "text format parsing error in line 2: expected integer as timestamp, got \"#\"");
  EXPECT_EQ(errorOf("# TYPE q gauge\nq 0x1p-2\nq2 1e3\n"),
            "text format parsing error in line 2: expected float as value, got \"0x1p-2\"");
}

struct ErrorCase {
  std::string_view body;
  int line;
  std::string_view message;
};

class TextParserErrorTable : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(TextParserErrorTable, MatchesPushgateway) {
  const ErrorCase& c = GetParam();
  const std::string want =
      std::string(kPrefix) + std::to_string(c.line) + ": " + std::string(c.message);
  EXPECT_EQ(errorOf(c.body), want) << "body: " << c.body;
}

// clang-format off
const ErrorCase kErrorCases[] = {
    {"# TYPE d2 gauge\nd2 1\n# TYPE d2 gauge\nd2 2\n", 3, "second TYPE line for metric name \"d2\", or TYPE reported after samples"},
    {"1bad_name 1\n", 1, "invalid metric name"},
    {"bad.name 1\n", 1, "expected float as value, got \".name\""},
    {"no_newline 1", 1, "unexpected end of input stream"},
    {"crlf 1\r\n", 1, "expected float as value, got \"1\\r\""},
    {"# TYPE ex counter\nex_total 1 # {trace_id=\"abc\"} 1.0\n", 2, "expected integer as timestamp, got \"#\""},
    {"# TYPE q gauge\nq 0x1p-2\nq2 1e3\n", 2, "expected float as value, got \"0x1p-2\""},
    {"# TYPE bogus foo\nbogus 1\n", 1, "unknown metric type \"foo\""},
    {"dl{a=\"1\",a=\"2\"} 1\n", 1, "duplicate label names for metric \"dl\""},
    {"bad_utf8{v=\"\xff\"} 1\n", 1, "invalid label value \"\\xff\""},
    {"nm{__name__=\"x\"} 1\n", 1, "label name \"__name__\" is reserved"},
    {"x 1\n# TYPE x counter\n", 2, "second TYPE line for metric name \"x\", or TYPE reported after samples"},
    {"# TYPE s summary\n# TYPE s_count gauge\n", 2, "second TYPE line for metric name \"s\", or TYPE reported after samples"},
    {"# HELP x a\n# HELP x b\n", 2, "second HELP line for metric name \"x\""},
    {"# HELP 1x help\n", 1, "invalid metric name in comment"},
    {"# TYPE x.y counter\n", 1, "invalid metric name in comment"},
    {"m{1a=\"x\"} 1\n", 1, "invalid label name for metric \"m\""},
    {"m{,} 1\n", 1, "invalid label name for metric \"m\""},
    {"m{a\x80=\"1\"} 1\n", 1, "expected '=' after label name, found '\\u0080'"},
    {"m{a=\xff} 1\n", 1, "expected '\"' at start of label value, found '\xc3\xbf'"},
    {"m{a='x'} 1\n", 1, "expected '\"' at start of label value, found '\\''"},
    {"m{a\\=\"1\"} 1\n", 1, "expected '=' after label name, found '\\\\'"},
    {"m{a=\"1\",a} 1\n", 1, "expected '=' after label name, found '}'"},
    {"m{a\n=\"1\"} 1\n", 1, "expected '=' after label name, found '\\n'"},
    {"m{a=\"x\ny\"} 1\n", 1, "label value \"x\" contains unescaped new-line"},
    {"m{a=\"x\\ty\"} 1\n", 1, "invalid escape sequence '\\t'"},
    {"# HELP m a\\qb\n", 1, "invalid escape sequence '\\q'"},
    {"# HELP m a\\\nb\n", 1, "invalid escape sequence '\\\n'"},
    {"m{a=\"\\\xc3\xa9\"} 1\n", 1, "invalid escape sequence '\\\xc3\x83'"},
    {"m{a=\"x\\\"y\\\\\"z} 1\n", 1, "unexpected end of label value \"x\\\"y\\\\\""},
    {"m{a=\"1\" b=\"2\"} 1\n", 1, "unexpected end of label value \"1\""},
    {"# TYPE s summary\ns{quantile=\"x\"} 1\n", 2, "expected float as value for 'quantile' label, got \"x\""},
    {"# TYPE h histogram\nh_bucket{le=\"0x1p3\"} 1\n", 2, "expected float as value for 'le' label, got \"0x1p3\""},
    {"m \xe2\x80\x8b\n", 1, "expected float as value, got \"\\u200b\""},
    {"m \xee\x80\x80\n", 1, "expected float as value, got \"\\ue000\""},
    {"m \xf4\x8f\xbf\xbf\n", 1, "expected float as value, got \"\\U0010ffff\""},
    {"m \xc2\x85\x07\x7f\x01\x1b\t\n", 1, "expected float as value, got \"\\u0085\\a\\x7f\\x01\\x1b\""},
    {"m \xe0\xa1\xb0\n", 1, "expected float as value, got \"\\u0870\""},
    {"m \xf0\x9f\x98\x80\n", 1, "expected float as value, got \"\xf0\x9f\x98\x80\""},
    {"m \xc2\xa0\xc2\xad\xe3\x80\x80\n", 1, "expected float as value, got \"\\u00a0\\u00ad\\u3000\""},
    {"m{a=\"\xed\xa0\x80\"} 1\n", 1, "invalid label value \"\\xed\\xa0\\x80\""},
    {"m{a=\"\xc0\xaf\"} 1\n", 1, "invalid label value \"\\xc0\\xaf\""},
    {"m{a=\"\xc3\xbf\xef\xbf\xbd\xff\"} 1\n", 1, "invalid label value \"\xc3\xbf\xef\xbf\xbd\\xff\""},
    {"m{a=\"\xf4\x90\x80\x80\xe2\x82\"} 1\n", 1, "invalid label value \"\\xf4\\x90\\x80\\x80\\xe2\\x82\""},
    {"m 1 \n", 1, "expected integer as timestamp, got \"\""},
    {"m 1 123 \n", 1, "spurious string after timestamp: \" \""},
    {"m 1 123 a\\b\n", 1, "spurious string after timestamp: \" ab\""},
    {"m{a=\"b\"} 1 2 3\n", 1, "spurious string after timestamp: \" 3\""},
    {"m 1 9223372036854775808\n", 1, "expected integer as timestamp, got \"9223372036854775808\""},
    {"m 1 1.0\n", 1, "expected integer as timestamp, got \"1.0\""},
    {"m 1 1_0\n", 1, "expected integer as timestamp, got \"1_0\""},
    {"m 1 0x10\n", 1, "expected integer as timestamp, got \"0x10\""},
    {"m 1 +\n", 1, "expected integer as timestamp, got \"+\""},
    {"m\n", 1, "expected float as value, got \"\""},
    {"m{a=\"b\"}\n", 1, "expected float as value, got \"\""},
    {"m \"a\"\n", 1, "expected float as value, got \"\\\"a\\\"\""},
    {"m 1\\x\n", 1, "expected float as value, got \"1\\\\x\""},
    {"# TYPE x counter \nx 1\n", 1, "unknown metric type \"counter \""},
    {"# TYPE x gauge\xff\nx 1\n", 1, "unknown metric type \"gauge\\xff\""},
    {"{a=\"b\"} 1\n", 1, "invalid metric name"},
    {"\n\nm{a=\"b\" x} 1\n", 3, "unexpected end of label value \"b\""},
    {"a 1\n\n  # c\n\tb{x=\"1\"} 2\nc 3 4 5\n", 5, "spurious string after timestamp: \" 5\""},
    {"#", 1, "unexpected end of input stream"},
    {"# comment", 1, "unexpected end of input stream"},
    {"# HELP", 1, "unexpected end of input stream"},
    {"# HELP m", 1, "unexpected end of input stream"},
    {"# HELP m ", 1, "unexpected end of input stream"},
    {"# HELP m x\\", 1, "unexpected end of input stream"},
    {"# TYPE m counter", 1, "unexpected end of input stream"},
    {"a 1\nm", 2, "unexpected end of input stream"},
    {"m ", 1, "unexpected end of input stream"},
    {"m{", 1, "unexpected end of input stream"},
    {"m{a", 1, "unexpected end of input stream"},
    {"m{a=", 1, "unexpected end of input stream"},
    {"m{a=\"", 1, "unexpected end of input stream"},
    {"m{a=\"\\", 1, "unexpected end of input stream"},
    {"m{a=\"b\"", 1, "unexpected end of input stream"},
    {"m{a=\"b\"}", 1, "unexpected end of input stream"},
    {"m{a=\"b\"} 1", 1, "unexpected end of input stream"},
    {"m 1 2", 1, "unexpected end of input stream"},
    {"m 1 2 ", 1, "unexpected end of input stream"},
    {"m infinit\n", 1, "expected float as value, got \"infinit\""},
    {"m +NaN\n", 1, "expected float as value, got \"+NaN\""},
    {"m -nan\n", 1, "expected float as value, got \"-nan\""},
    {"m .\n", 1, "expected float as value, got \".\""},
    {"m 1e\n", 1, "expected float as value, got \"1e\""},
    {"m 1e+\n", 1, "expected float as value, got \"1e+\""},
    {"m 0x10\n", 1, "expected float as value, got \"0x10\""},
    {"m 1_000\n", 1, "expected float as value, got \"1_000\""},
    {"m ++1\n", 1, "expected float as value, got \"++1\""},
    {"m 1e400\n", 1, "expected float as value, got \"1e400\""},
    {"m 1.7976931348623159e308\n", 1, "expected float as value, got \"1.7976931348623159e308\""},
    {"m 0.000000000000000000001e330\n", 1, "expected float as value, got \"0.000000000000000000001e330\""},
    {"m 1e99999999999999999999\n", 1, "expected float as value, got \"1e99999999999999999999\""},
    {"# HELP x \n# TYPE y\n#  \n# HELP\n# TYPE z summary extra\nz_count 1\n", 5, "unknown metric type \"summary extra\""},
};
// clang-format on

// Names the cases by their index, so that CTest lists readable names, not raw struct bytes.
INSTANTIATE_TEST_SUITE_P(All, TextParserErrorTable, ::testing::ValuesIn(kErrorCases),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) {
                           return "case" + std::to_string(info.index) + "_line" +
                                  std::to_string(info.param.line);
                         });

TEST(TextParserErrors, LineNumbersCountEveryLine) {
  std::string body(100000, '\n');
  body += "ok 1\n  # comment\nbad 1 x\n";
  EXPECT_EQ(errorOf(body),
            "text format parsing error in line 100003: expected integer as timestamp, got \"x\"");
}

}  // namespace
}  // namespace ferry::plugins::text
