// Grouping-key parsing and its helpers. Expected texts are Pushgateway 1.5.1's, taken from the
// spec's curl evidence (E5, E6, E15, E16, E19, E26) and from probes of the real binary where the
// spec shows no example (marked "probed").
#include "core/model/model.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace ferry::core::model {
namespace {

using namespace std::literals;

LabelMap parseOk(std::string_view job, bool b64, std::string_view labels) {
  const GroupingKeyResult r = parseGroupingKey(job, b64, labels);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.error.empty());
  return r.labels;
}

std::string parseError(std::string_view job, bool b64, std::string_view labels) {
  const GroupingKeyResult r = parseGroupingKey(job, b64, labels);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.labels.empty());
  return r.error;
}

// ---- E5: URL grammar -------------------------------------------------------------------------

TEST(GroupingKeyE5, Base64JobAndBase64LabelValue) {
  // /metrics/job@base64/dGVzdC9qb2I/path@base64/L3Zhci90bXA
  EXPECT_EQ(parseOk("dGVzdC9qb2I", true, "/path@base64/L3Zhci90bXA"),
            (LabelMap{{"job", "test/job"}, {"path", "/var/tmp"}}));
}

TEST(GroupingKeyE5, EmptyValueThroughBase64Equals) {
  // /metrics/job/example/first_label@base64/=/second_label/foobar
  EXPECT_EQ(parseOk("example", false, "/first_label@base64/=/second_label/foobar"),
            (LabelMap{{"first_label", ""}, {"job", "example"}, {"second_label", "foobar"}}));
}

TEST(GroupingKeyE5, TrailingSlashAfterLabelPairIsOdd) {
  EXPECT_EQ(parseError("example", false, "/a/b/"),
            R"(odd number of components in label string "/a/b/")");
}

TEST(GroupingKeyE5, PercentEncodedSlashSplitsTheValue) {
  // /metrics/job/example/path/a%2Fb: the router has already decoded %2F into '/'.
  EXPECT_EQ(parseError("example", false, "/path/a/b"),
            R"(odd number of components in label string "/path/a/b")");
}

TEST(GroupingKeyE5, SingleComponentIsOdd) {
  EXPECT_EQ(parseError("example", false, "/odd"),
            R"(odd number of components in label string "/odd")");
}

TEST(GroupingKeyE5, ReservedLabelName) {
  EXPECT_EQ(parseError("example", false, "/__res/v"), R"(improper label name "__res")");
}

TEST(GroupingKeyE5, InvalidLabelName) {
  EXPECT_EQ(parseError("example", false, "/bad-name/v"), R"(improper label name "bad-name")");
}

TEST(GroupingKeyE5, InvalidBase64LabelValue) {
  // /metrics/job/example/lbl@base64/%21%21
  EXPECT_EQ(parseError("example", false, "/lbl@base64/!!"),
            R"(invalid base64 encoding for label lbl="!!": illegal base64 data at input byte 0)");
}

TEST(GroupingKeyE5, EmptyBase64JobIsRequired) {
  EXPECT_EQ(parseError("=", true, ""), "job name is required");
}

TEST(GroupingKeyE5, PercentDecodedUtf8Value) {
  EXPECT_EQ(parseOk("titan", false, "/name/Προμηθεύς"),
            (LabelMap{{"job", "titan"}, {"name", "Προμηθεύς"}}));
}

// ---- E6: trailing slashes ----------------------------------------------------------------------

TEST(GroupingKeyE6, LoneSlashMeansNoLabels) {
  EXPECT_EQ(parseOk("trail", false, "/"), (LabelMap{{"job", "trail"}}));
  EXPECT_EQ(parseOk("trail", false, ""), (LabelMap{{"job", "trail"}}));
}

TEST(GroupingKeyE6, TrailingSlashGivesEmptyLastValue) {
  EXPECT_EQ(parseOk("trail2", false, "/a/b/c/"),
            (LabelMap{{"a", "b"}, {"c", ""}, {"job", "trail2"}}));
}

// ---- E15: undecodable base64 job (deliberate fix: the input is quoted) -------------------------

TEST(GroupingKeyE15, InvalidBase64JobQuotesTheInput) {
  // Pushgateway 1.5.1 prints `job name ""`: it quotes the failed decode result.
  EXPECT_EQ(parseError("!!!", true, ""),
            R"(invalid base64 encoding in job name "!!!": illegal base64 data at input byte 0)");
}

TEST(GroupingKeyE15, JobErrorComesBeforeLabelErrors) {
  // probed: PUT job@base64/A%22B/bad-name/v -> the job error (1.5.1 prints "").
  EXPECT_EQ(parseError("A\"B", true, "/bad-name/v"),
            R"(invalid base64 encoding in job name "A\"B": illegal base64 data at input byte 1)");
}

// ---- E16: URL percent-decoding / empty instance ----------------------------------------------

TEST(GroupingKeyE16, EncodedSlashInJobLeavesAnOddLabelString) {
  // /metrics/job/j%2Fslash routes as job "j" + labels "/slash".
  EXPECT_EQ(parseError("j", false, "/slash"),
            R"(odd number of components in label string "/slash")");
}

TEST(GroupingKeyE16, EmptyInstanceViaBase64AndViaTrailingSlash) {
  EXPECT_EQ(parseOk("x", false, "/instance@base64/"), (LabelMap{{"instance", ""}, {"job", "x"}}));
  EXPECT_EQ(parseOk("x", false, "/instance/"), (LabelMap{{"instance", ""}, {"job", "x"}}));
}

// ---- E19 / E26 ---------------------------------------------------------------------------------

TEST(GroupingKeyE19, PaddedBase64JobAndLabel) {
  // DELETE /metrics/job@base64/Zm9v=/a@base64/YmFy=
  EXPECT_EQ(parseOk("Zm9v=", true, "/a@base64/YmFy="), (LabelMap{{"a", "bar"}, {"job", "foo"}}));
}

TEST(GroupingKeyE26, JobSegmentOverridesJobPair) {
  EXPECT_EQ(parseOk("dupjob", false, "/job/other"), (LabelMap{{"job", "dupjob"}}));
}

TEST(GroupingKeyE26, LastDuplicateLabelWins) {
  // probed: /metrics/job/dup/job/other/job/third/a/1/a/2 -> {a="2",job="dup"}
  EXPECT_EQ(parseOk("dup", false, "/job/other/job/third/a/1/a/2"),
            (LabelMap{{"a", "2"}, {"job", "dup"}}));
  EXPECT_EQ(parseOk("x", false, "/a@base64/MQ/a/2"), (LabelMap{{"a", "2"}, {"job", "x"}}));
  EXPECT_EQ(parseOk("x", false, "/a/2/a@base64/MQ"), (LabelMap{{"a", "1"}, {"job", "x"}}));
}

// ---- Check order (probed) ----------------------------------------------------------------------

TEST(GroupingKeyOrder, LabelErrorsComeBeforeTheEmptyJobCheck) {
  EXPECT_EQ(parseError("=", true, "/bad-name/v"), R"(improper label name "bad-name")");
  EXPECT_EQ(parseError("=", true, "/odd"), R"(odd number of components in label string "/odd")");
  EXPECT_EQ(parseError("==", true, ""), "job name is required");
}

TEST(GroupingKeyOrder, NameIsValidatedBeforeTheBase64Value) {
  EXPECT_EQ(parseError("x", false, "/1a@base64/!!"), R"(improper label name "1a")");
  // The reserved check looks at the name with "@base64" stripped.
  EXPECT_EQ(parseError("x", false, "/__a@base64/YQ"), R"(improper label name "__a")");
  EXPECT_EQ(parseError("x", false, "/@base64/YQ"), R"(improper label name "")");
}

TEST(GroupingKeyOrder, FirstBadPairIsReported) {
  EXPECT_EQ(parseError("x", false, "/a@base64/!/b-c/v"),
            R"(invalid base64 encoding for label a="!": illegal base64 data at input byte 0)");
}

TEST(GroupingKey, NonBase64JobIsTakenVerbatim) {
  EXPECT_EQ(parseOk("a@b=c", false, ""), (LabelMap{{"job", "a@b=c"}}));
  EXPECT_EQ(parseError("", false, ""), "job name is required");
}

TEST(GroupingKey, DecodedBytesAreKeptEvenIfNotUtf8) {
  // probed: lbl@base64/_-_- is accepted by URL parsing (the consistency check rejects it later).
  EXPECT_EQ(parseOk("x", false, "/lbl@base64/_-_-"),
            (LabelMap{{"job", "x"}, {"lbl", "\xff\xef\xfe"}}));
  EXPECT_EQ(parseOk("AA", true, ""), (LabelMap{{"job", "\0"s}}));
}

// ---- Upstream TestSplitLabels (handler_test.go) ----------------------------------------------

TEST(UpstreamSplitLabels, RegularLabels) {
  EXPECT_EQ(
      parseOk("j", false, "/label_name1/label_value1/label_name2/label_value2"),
      (LabelMap{{"job", "j"}, {"label_name1", "label_value1"}, {"label_name2", "label_value2"}}));
}

TEST(UpstreamSplitLabels, InvalidLabelName) {
  EXPECT_EQ(parseError("j", false, "/label_name1/label_value1/a=b/label_value2"),
            R"(improper label name "a=b")");
}

TEST(UpstreamSplitLabels, ReservedLabelName) {
  EXPECT_EQ(parseError("j", false, "/label_name1/label_value1/__label_name2/label_value2"),
            R"(improper label name "__label_name2")");
}

TEST(UpstreamSplitLabels, UnencodedSlashInLabelValue) {
  EXPECT_EQ(parseError("j", false, "/label_name1/label_value1/label_name2/label/value2"),
            R"(odd number of components in label string )"
            R"("/label_name1/label_value1/label_name2/label/value2")");
}

TEST(UpstreamSplitLabels, EncodedSlashInFirstLabelValue) {
  EXPECT_EQ(
      parseOk("j", false, "/label_name1@base64/bGFiZWwvdmFsdWUx/label_name2/label_value2"),
      (LabelMap{{"job", "j"}, {"label_name1", "label/value1"}, {"label_name2", "label_value2"}}));
}

TEST(UpstreamSplitLabels, EncodedSlashInLastLabelValue) {
  EXPECT_EQ(
      parseOk("j", false, "/label_name1/label_value1/label_name2@base64/bGFiZWwvdmFsdWUy"),
      (LabelMap{{"job", "j"}, {"label_name1", "label_value1"}, {"label_name2", "label/value2"}}));
}

TEST(UpstreamSplitLabels, EncodedSlashInLastLabelValueWithPadding) {
  EXPECT_EQ(
      parseOk("j", false, "/label_name1/label_value1/label_name2@base64/bGFiZWwvdmFsdWUy=="),
      (LabelMap{{"job", "j"}, {"label_name1", "label_value1"}, {"label_name2", "label/value2"}}));
}

TEST(UpstreamSplitLabels, InvalidBase64Encoding) {
  EXPECT_EQ(
      parseError("j", false, "/label_name1@base64/foo.bar/label_name2/label_value2"),
      R"(invalid base64 encoding for label label_name1="foo.bar": illegal base64 data at input byte 3)");
}

TEST(UpstreamPush, Base64JobWithPadding) {
  EXPECT_EQ(parseOk("dGVzdC9qb2I=", true, ""), (LabelMap{{"job", "test/job"}}));
}

// ---- Upstream TestGroupingKeyForLabels (diskmetricstore_test.go) -------------------------------

TEST(UpstreamGroupingKeyForLabels, Empty) { EXPECT_EQ(groupingKeyString({}), ""); }

TEST(UpstreamGroupingKeyForLabels, OneLabel) {
  EXPECT_EQ(groupingKeyString({{"foo", "bar"}}),
            "foo\xff"
            "bar");
}

TEST(UpstreamGroupingKeyForLabels, SortedByNameWithSeparators) {
  EXPECT_EQ(groupingKeyString({{"foo", "bar"}, {"dings", "bums"}}),
            "dings\xff"
            "bums\xff"
            "foo\xff"
            "bar");
}

TEST(GroupingKeyString, EmptyValuesAndBytewiseOrder) {
  EXPECT_EQ(groupingKeyString({{"job", "x"}, {"instance", ""}}), "instance\xff\xffjob\xffx");
  EXPECT_EQ(groupingKeyString({{"b", "1"}, {"B", "2"}, {"_", "3"}}),
            "B\xff"
            "2\xff_\xff"
            "3\xff"
            "b\xff"
            "1");
}

// ---- Base64 (Go RawURLEncoding after trimming '='; offsets probed on the real binary) ---------

struct Base64Case {
  std::string_view input;
  bool ok;
  std::string_view output_or_error;
};

class Base64Decode : public ::testing::TestWithParam<Base64Case> {};

TEST_P(Base64Decode, MatchesGo) {
  const Base64Case& c = GetParam();
  size_t bad = 12345;
  const auto decoded = decodeBase64Url(c.input, &bad);
  if (c.ok) {
    ASSERT_TRUE(decoded.has_value()) << c.input;
    EXPECT_EQ(*decoded, c.output_or_error);
  } else {
    ASSERT_FALSE(decoded.has_value()) << c.input;
    EXPECT_EQ(base64ErrorText(bad), c.output_or_error);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Probed, Base64Decode,
    ::testing::Values(Base64Case{"", true, ""}, Base64Case{"=", true, ""},
                      Base64Case{"==", true, ""}, Base64Case{"QUJD", true, "ABC"},
                      Base64Case{"QUJDRA", true, "ABCD"}, Base64Case{"QUJDRA=", true, "ABCD"},
                      Base64Case{"QUJDRA==", true, "ABCD"}, Base64Case{"QUJDRA===", true, "ABCD"},
                      Base64Case{"QUJDRB", true,
                                 "ABCD"},  // unused low bits are ignored (non-strict)
                      Base64Case{"AB\nC", true, "\x00\x10"sv}, Base64Case{"\n", true, ""},
                      Base64Case{"AAAA\n", true, "\0\0\0"sv},
                      Base64Case{"AAAA\r\n", true, "\0\0\0"sv}, Base64Case{"QQ\n\n", true, "A"},
                      Base64Case{"_-_-", true, "\xff\xef\xfe"},
                      Base64Case{"A", false, "illegal base64 data at input byte 0"},
                      Base64Case{"AAAAA", false, "illegal base64 data at input byte 4"},
                      Base64Case{"QUJDR", false, "illegal base64 data at input byte 4"},
                      Base64Case{"A=A", false, "illegal base64 data at input byte 1"},
                      Base64Case{"AB=C==", false, "illegal base64 data at input byte 2"},
                      Base64Case{"\nA", false, "illegal base64 data at input byte 1"},
                      Base64Case{"A\n", false, "illegal base64 data at input byte 1"},
                      Base64Case{"Zm9v ", false, "illegal base64 data at input byte 4"},
                      Base64Case{"abc.def", false, "illegal base64 data at input byte 3"},
                      Base64Case{"abcdefgh.", false, "illegal base64 data at input byte 8"},
                      Base64Case{"abcdefghij.k", false, "illegal base64 data at input byte 10"},
                      Base64Case{"A=B", false, "illegal base64 data at input byte 1"},
                      Base64Case{"+/", false, "illegal base64 data at input byte 0"},
                      Base64Case{"ab+", false, "illegal base64 data at input byte 2"},
                      Base64Case{"é", false, "illegal base64 data at input byte 0"},
                      Base64Case{"!!==", false, "illegal base64 data at input byte 0"}),
    [](const ::testing::TestParamInfo<Base64Case>& info) {
      return "case" + std::to_string(info.index);
    });

TEST(Base64, EncodeRoundTrip) {
  EXPECT_EQ(encodeBase64Url(""), "");
  EXPECT_EQ(encodeBase64Url("f"), "Zg");
  EXPECT_EQ(encodeBase64Url("fo"), "Zm8");
  EXPECT_EQ(encodeBase64Url("foo"), "Zm9v");
  EXPECT_EQ(encodeBase64Url("test/job"), "dGVzdC9qb2I");
  EXPECT_EQ(encodeBase64Url("\xff\xef\xfe"), "_-_-");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); len += 37) {
    const std::string in = all.substr(0, len);
    const std::string enc = encodeBase64Url(in);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(decodeBase64Url(enc), in);
    EXPECT_EQ(decodeBase64Url(enc + "="), in);
  }
}

TEST(Base64, NullBadIndexIsAllowed) { EXPECT_FALSE(decodeBase64Url("!").has_value()); }

// ---- Go %q quoting in error texts (probed through "improper label name %q") ----------------

TEST(QuoteGo, ErrorTextsQuoteLikePushgateway) {
  EXPECT_EQ(parseError("q", false, "/a\"b/v"), R"(improper label name "a\"b")");
  EXPECT_EQ(parseError("q", false, "/\xe2\x80\x8b/v"), R"(improper label name "\u200b")");
  EXPECT_EQ(parseError("q", false, "/x/y/\"z\a"),
            R"(odd number of components in label string "/x/y/\"z\a")");
  EXPECT_EQ(parseError("q", false, "/lbl@base64/\nA"),
            R"(invalid base64 encoding for label lbl="\nA": illegal base64 data at input byte 1)");
  EXPECT_EQ(parseError("q", false, "/lbl@base64/é"),
            R"(invalid base64 encoding for label lbl="é": illegal base64 data at input byte 0)");
}

}  // namespace
}  // namespace ferry::core::model
