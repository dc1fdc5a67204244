#include <gtest/gtest.h>

#include <algorithm>
#include <ferry/support/go_url.hpp>
#include <string>

namespace ferry::support {
namespace {

// The bytes Go's url.shouldEscape leaves alone in each mode, from net/url's own rules: every byte
// not listed here must be escaped.
std::string unescapedIn(GoUrlEncoding mode) {
  std::string kept;
  for (int c = 0; c < 256; ++c) {
    if (!goShouldEscape(static_cast<unsigned char>(c), mode)) kept.push_back(static_cast<char>(c));
  }
  return kept;
}

constexpr char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string sorted(std::string s) {
  std::sort(s.begin(), s.end());
  return s;
}

TEST(GoUrl, PathKeepsSubDelimsButNotTheQuestionMark) {
  EXPECT_EQ(unescapedIn(GoUrlEncoding::kPath), sorted(std::string(kAlnum) + "-_.~$&+,/:;=@"));
}

TEST(GoUrl, HostKeepsTheBracketsAndQuotesGoAllows) {
  EXPECT_EQ(unescapedIn(GoUrlEncoding::kHost),
            sorted(std::string(kAlnum) + "-_.~!$&'()*+,;=:[]<>\""));
  EXPECT_EQ(unescapedIn(GoUrlEncoding::kZone), unescapedIn(GoUrlEncoding::kHost));
}

TEST(GoUrl, UserPasswordEscapesTheAuthorityDelimiters) {
  EXPECT_EQ(unescapedIn(GoUrlEncoding::kUserPassword), sorted(std::string(kAlnum) + "-_.~$&+,;="));
}

TEST(GoUrl, FragmentKeepsWhatRfc3986Allows) {
  EXPECT_EQ(unescapedIn(GoUrlEncoding::kFragment),
            sorted(std::string(kAlnum) + "-_.~$&+,/:;=?@!()*"));
}

TEST(GoUrl, HexValues) {
  EXPECT_EQ(goHexValue('0'), 0);
  EXPECT_EQ(goHexValue('9'), 9);
  EXPECT_EQ(goHexValue('a'), 10);
  EXPECT_EQ(goHexValue('F'), 15);
  EXPECT_EQ(goHexValue('g'), -1);
  EXPECT_EQ(goHexValue('%'), -1);
  EXPECT_EQ(goHexValue(0xC3), -1);
  static_assert(goHexValue('b') == 11, "usable at compile time");
}

}  // namespace
}  // namespace ferry::support
