// Content-Type selection of the protobuf input (spec §3.1): Go's mime.ParseMediaType rules.
#include <gtest/gtest.h>

#include <ferry/sdk/media_type.hpp>
#include <string>

#include "protobuf_parser.h"

namespace ferry::plugins::protobuf {
namespace {

using namespace std::string_literals;

constexpr char kCanonical[] =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
    "encoding=delimited";

TEST(IsDelimitedProtobuf, AcceptsEveryMimeSpellingOfTheFormat) {
  for (const std::string& ct : {
           std::string(kCanonical),
           "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
           "encoding=delimited"s,
           // Parameter order, extra parameters, a trailing semicolon.
           "application/vnd.google.protobuf; encoding=delimited; "
           "proto=io.prometheus.client.MetricFamily"s,
           std::string(kCanonical) + "; escaping=underscores",
           std::string(kCanonical) + ";",
           std::string(kCanonical) + " ; ",
           // Case of the media type and of parameter names.
           "Application/VND.Google.Protobuf; PROTO=io.prometheus.client.MetricFamily; "
           "Encoding=delimited"s,
           // Whitespace, including the Unicode spaces Go trims.
           "  application/vnd.google.protobuf\t;\tproto = io.prometheus.client.MetricFamily ;"
           "encoding=  delimited  "s,
           "application/vnd.google.protobuf;\u00a0proto=io.prometheus.client.MetricFamily;"
           "\u3000encoding=delimited\u2003"s,
           // Quoted values.
           "application/vnd.google.protobuf; proto=\"io.prometheus.client.MetricFamily\"; "
           "encoding=\"delimited\""s,
           // The same parameter twice with the same value is tolerated.
           std::string(kCanonical) + "; encoding=delimited",
           // RFC 2231 encoded and continued values, which also win over a plain parameter.
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding*=utf-8''delim%69ted"s,
           "application/vnd.google.protobuf; proto*0=io.prometheus.; "
           "proto*1=\"client.MetricFamily\"; encoding=delimited"s,
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=text; encoding*=US-ASCII'en'delimited"s,
       }) {
    EXPECT_TRUE(isDelimitedProtobuf(ct)) << ct;
  }
}

TEST(IsDelimitedProtobuf, EverythingElseFallsBackToText) {
  for (const std::string& ct : {
           ""s,
           "text/plain; version=0.0.4"s,
           "application/json"s,
           "application/openmetrics-text; version=1.0.0"s,
           // E8: the media type alone is parsed as text.
           "application/vnd.google.protobuf"s,
           // E19/E9: other encodings.
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=text"s,
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=compact-text"s,
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily"s,
           "application/vnd.google.protobuf; encoding=delimited"s,
           // Parameter values are case-sensitive.
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=Delimited"s,
           "application/vnd.google.protobuf; proto=io.prometheus.client.metricfamily; "
           "encoding=delimited"s,
           "application/vnd.google.protobuf2; proto=io.prometheus.client.MetricFamily; "
           "encoding=delimited"s,
           "application/vnd.google.protobuf/x; proto=io.prometheus.client.MetricFamily; "
           "encoding=delimited"s,
           // Syntax errors anywhere make Go's parser fail as a whole.
           std::string(kCanonical) + "; charset",
           std::string(kCanonical) + ";;",
           std::string(kCanonical) + "; x=\"unterminated",
           std::string(kCanonical) + "; x=\"a\r\nb\"",
           std::string(kCanonical) + "; x=",
           std::string(kCanonical) + " junk",
           "application/ vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding=delimited"s,
           // Go keeps a backslash that does not precede a tspecial, so this value has one.
           "application/vnd.google.protobuf; proto=\"io\\.prometheus.client.MetricFamily\"; "
           "encoding=delimited"s,
           // A repeated parameter with another value.
           std::string(kCanonical) + "; encoding=text",
           // RFC 2231 values Go cannot decode are dropped.
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding*=iso-8859-1''delimited"s,
           "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
           "encoding*=utf-8''delimited%2"s,
           // Parameters without a media type.
           "; proto=io.prometheus.client.MetricFamily; encoding=delimited"s,
       }) {
    EXPECT_FALSE(isDelimitedProtobuf(ct)) << ct;
  }
}

using sdk::parseMediaType;

TEST(ParseMediaType, FollowsGo) {
  auto mt = parseMediaType("Text/HTML; Charset=\"UTF-8\"; a=\"x\\\\y\\z\"; b=\"\"");
  ASSERT_TRUE(mt.has_value());
  EXPECT_EQ(mt->type, "text/html");
  EXPECT_EQ(mt->params.at("charset"), "UTF-8");
  // A backslash before a tspecial escapes it; before anything else Go keeps it.
  EXPECT_EQ(mt->params.at("a"), "x\\y\\z");
  EXPECT_EQ(mt->params.at("b"), "");
  mt = parseMediaType("form-data");
  ASSERT_TRUE(mt.has_value());
  EXPECT_EQ(mt->type, "form-data");
  EXPECT_TRUE(mt->params.empty());
  mt = parseMediaType("a/b; t*0*=utf-8''x%41; t*1*=%42; t*2=C; t*4=skipped");
  ASSERT_TRUE(mt.has_value());
  EXPECT_EQ(mt->params.at("t"), "xABC");
  EXPECT_FALSE(parseMediaType("").has_value());
  EXPECT_FALSE(parseMediaType("a/").has_value());
  EXPECT_FALSE(parseMediaType("/b").has_value());
  EXPECT_FALSE(parseMediaType("a/b/c").has_value());
}

// The helper input plugins use in accepts(): type and parameters in any letter case, values
// of the parameters asked for compared without case, other parameters ignored.
TEST(MediaTypeIs, IgnoresCaseQuotesAndOtherParameters) {
  EXPECT_TRUE(sdk::mediaTypeIs("Application/JSON", "application/json"));
  EXPECT_TRUE(sdk::mediaTypeIs("application/json ; charset=\"UTF-8\"", "application/JSON",
                               {{"Charset", "utf-8"}}));
  EXPECT_TRUE(sdk::mediaTypeIs("application/json; q=1; charset=utf-8", "application/json"));
  EXPECT_FALSE(sdk::mediaTypeIs("application/json; charset=latin1", "application/json",
                                {{"charset", "utf-8"}}));
  EXPECT_FALSE(sdk::mediaTypeIs("application/json", "application/json", {{"charset", "utf-8"}}));
  EXPECT_FALSE(sdk::mediaTypeIs("application/jsonx", "application/json"));
  EXPECT_FALSE(sdk::mediaTypeIs("", "application/json"));
  EXPECT_FALSE(sdk::mediaTypeIs("application/json;;", "application/json"));  // Go refuses ";;"
  auto parsed = sdk::parseMediaType("text/plain; Version=0.0.4");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->param("VERSION"), std::optional<std::string_view>("0.0.4"));
  EXPECT_EQ(parsed->param("charset"), std::nullopt);
}

}  // namespace
}  // namespace ferry::plugins::protobuf
