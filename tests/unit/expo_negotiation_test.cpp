#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/expo/negotiation.h"

namespace ferry::core::expo {
namespace {

const std::string kProto =
    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily";

TEST(ExpoNegotiation, ContentTypesAreTheExactHeaderValues) {
  // §5.3 / E9.
  EXPECT_EQ(contentType(Format::kText), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(contentType(Format::kProtoDelimited),
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            "encoding=delimited");
  EXPECT_EQ(contentType(Format::kProtoText),
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            "encoding=text");
  EXPECT_EQ(contentType(Format::kProtoCompactText),
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
            "encoding=compact-text");
}

TEST(ExpoNegotiation, SpecTable) {
  EXPECT_EQ(negotiate(""), Format::kText);
  EXPECT_EQ(negotiate("*/*"), Format::kText);
  EXPECT_EQ(negotiate("text/plain"), Format::kText);
  EXPECT_EQ(negotiate("text/plain; version=0.0.4"), Format::kText);
  EXPECT_EQ(negotiate("application/openmetrics-text; version=1.0.0"), Format::kText);
  EXPECT_EQ(negotiate("application/json"), Format::kText);
  EXPECT_EQ(negotiate(kProto + ";encoding=delimited"), Format::kProtoDelimited);
  EXPECT_EQ(negotiate(kProto + ";encoding=text"), Format::kProtoText);
  EXPECT_EQ(negotiate(kProto + ";encoding=compact-text"), Format::kProtoCompactText);
  EXPECT_EQ(negotiate(kProto + ";encoding=bogus"), Format::kText);
  EXPECT_EQ(negotiate(kProto), Format::kText);
  EXPECT_EQ(negotiate("application/vnd.google.protobuf;encoding=delimited"), Format::kText);
  // What Prometheus sends.
  EXPECT_EQ(
      negotiate(kProto + ";encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1"),
      Format::kProtoDelimited);
}

struct Probe {
  std::string accept;
  Format expected;
};

// Each row was sent to Pushgateway 1.5.1 and the Content-Type of the answer recorded.
TEST(ExpoNegotiation, MatchesPushgatewayProbes) {
  const Probe probes[] = {
      {"text/plain;q=0.5," + kProto + ";encoding=delimited;q=0.7", Format::kProtoDelimited},
      {"text/plain," + kProto + ";encoding=delimited", Format::kText},
      {kProto + ";encoding=delimited,text/plain", Format::kProtoDelimited},
      {"text/plain;version=0.0.3," + kProto + ";encoding=delimited", Format::kProtoDelimited},
      {"text/plain;version=0.0.4," + kProto + ";encoding=delimited", Format::kText},
      {"*/*;q=1,text/plain;q=0.1," + kProto + ";encoding=delimited;q=0.5", Format::kProtoDelimited},
      {kProto + ";encoding=delimited;q=0", Format::kProtoDelimited},
      // NaN q compares false both ways, so insertion sort cannot move anything past it.
      {kProto + ";encoding=delimited;q=nan,text/plain;q=0.5", Format::kProtoDelimited},
      {"text/plain;q=0.5," + kProto + ";encoding=delimited;q=NaN", Format::kText},
      {"application/json;q=nan," + kProto + ";encoding=delimited", Format::kProtoDelimited},
      {"text/plain;q=0.5,application/json;q=nan," + kProto + ";encoding=delimited", Format::kText},
      // The q value is not trimmed: " 0.9" is a syntax error, hence 0.
      {kProto + ";encoding=delimited;q= 0.9,text/plain;q=0.5", Format::kText},
      {kProto + ";encoding=delimited;q=0x1p-1,text/plain;q=0.4", Format::kProtoDelimited},
      {kProto + ";encoding=delimited;q=0x_1p-1,text/plain;q=0.4", Format::kProtoDelimited},
      {kProto + ";encoding=delimited;q=1_0,text/plain;q=0.4", Format::kProtoDelimited},
      {kProto + ";encoding=delimited;q=inf,text/plain;q=1e100", Format::kProtoDelimited},
      // q is parsed as float32: both round to the same value, so the first one stays first.
      {kProto + ";encoding=delimited;q=0.10000000001,text/plain;q=0.1", Format::kProtoDelimited},
      {"text/plain;q=0.1," + kProto + ";encoding=delimited;q=0.10000000001", Format::kText},
      {kProto + ";encoding=Delimited", Format::kText},
      {kProto + ";Encoding=delimited", Format::kText},
      {kProto + "; encoding = delimited ", Format::kProtoDelimited},
      {kProto + ";encoding=\"delimited\"", Format::kText},
      {kProto + ";encoding=compact-text;q=0.3," + kProto + ";encoding=text;q=0.6",
       Format::kProtoText},
      {"text/html," + kProto + ";encoding=text", Format::kProtoText},
      {"text/plain;version=1.0.0," + kProto + ";encoding=text", Format::kProtoText},
      {"application/openmetrics-text;version=1.0.0," + kProto + ";encoding=text",
       Format::kProtoText},
      {" " + kProto + ";encoding=text", Format::kProtoText},
      {kProto + ";encoding=text;q=-1,text/plain;q=-0.5", Format::kText},
  };
  for (const Probe& p : probes) EXPECT_EQ(negotiate(p.accept), p.expected) << p.accept;
}

TEST(ExpoNegotiation, ClauseParsingDetails) {
  // Malformed media ranges are skipped, not fatal.
  EXPECT_EQ(negotiate("text," + kProto + ";encoding=text"), Format::kProtoText);
  EXPECT_EQ(negotiate("a/b/c," + kProto + ";encoding=text"), Format::kProtoText);
  EXPECT_EQ(negotiate(",,;;==," + kProto + ";encoding=text"), Format::kProtoText);
  // Parameters without '=' are ignored; later duplicates win.
  EXPECT_EQ(negotiate(kProto + ";flag;encoding=text"), Format::kProtoText);
  EXPECT_EQ(negotiate(kProto + ";encoding=text;encoding=delimited"), Format::kProtoDelimited);
  // An explicitly empty version counts as no version.
  EXPECT_EQ(negotiate("text/plain;version=," + kProto + ";encoding=text"), Format::kText);
  // Only spaces are trimmed around clauses, not tabs.
  EXPECT_EQ(negotiate("\t" + kProto + ";encoding=text"), Format::kText);
  // A wildcard with a higher q does not change the order of concrete types.
  EXPECT_EQ(negotiate("*/*;q=0.9,text/plain;q=0.2," + kProto + ";encoding=text;q=0.3"),
            Format::kProtoText);
}

TEST(ExpoNegotiation, LongHeadersUseTheQOrder) {
  std::string accept;
  for (int i = 0; i < 40; ++i) accept += "application/x-" + std::to_string(i) + ";q=0.5,";
  EXPECT_EQ(negotiate(accept + "text/plain;q=0.2," + kProto + ";encoding=text;q=0.3"),
            Format::kProtoText);
  EXPECT_EQ(negotiate(accept + "text/plain;q=0.3," + kProto + ";encoding=text;q=0.3"),
            Format::kText);
  EXPECT_EQ(negotiate(accept + kProto + ";encoding=compact-text"), Format::kProtoCompactText);
}

TEST(ExpoNegotiation, HugeHeaderIsLinearEnough) {
  std::string accept;
  for (int i = 0; i < 20000; ++i) accept += "*/*;q=0.1,";
  accept += kProto + ";encoding=delimited";
  EXPECT_EQ(negotiate(accept), Format::kProtoDelimited);
}

TEST(ExpoNegotiation, GzipMatchesPushgatewayProbes) {
  // Probed against 1.5.1: q is ignored, the match is case-sensitive and exact.
  for (const char* yes : {"gzip", "gzip;q=0", " gzip ", "gzip, deflate", "deflate,gzip;q=1.0",
                          "gzip;", "br, gzip", "deflate;q=0.5,  gzip  ", "\tgzip", "a,,gzip",
                          "\xc2\xa0gzip\xe3\x80\x80", "\xe2\x80\xa8gzip\r\n"}) {
    EXPECT_TRUE(acceptsGzip(yes)) << yes;
  }
  for (const char* no : {"", "GZIP", "x-gzip", "gzip ;q=1", "gzipx", "*", "identity", "\xc2gzip",
                         "gzip\xa0", "\xe2\x80\x8bgzip"}) {
    EXPECT_FALSE(acceptsGzip(no)) << no;
  }
}

TEST(ExpoNegotiation, ArbitraryBytesAreHandled) {
  const std::string alphabet = std::string("*/;=,q. \t\"_0123456789xpeEinfa+-\xc2\xa0\xe2\x80") +
                               '\0' + kProto + "text/plaingzip";
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    std::string input(rng() % 40, ' ');
    for (char& c : input) c = alphabet[rng() % alphabet.size()];
    const Format f = negotiate(input);
    EXPECT_FALSE(contentType(f).empty());
    acceptsGzip(input);
  }
}

}  // namespace
}  // namespace ferry::core::expo
