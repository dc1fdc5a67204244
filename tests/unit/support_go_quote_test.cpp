// Ferry::support's Go quoting, Unicode print table and UTF-8 rules. Expected values are what
// Go 1.19 (the toolchain of Pushgateway 1.5.1) produces; the first block was probed through the
// real binary's "improper label name %q" texts.
#include <gtest/gtest.h>

#include <ferry/support/go_quote.hpp>
#include <ferry/support/utf8.hpp>
#include <string>

namespace ferry::support {
namespace {

using namespace std::literals;

TEST(GoQuote, MatchesPushgatewayErrorTexts) {
  EXPECT_EQ(goQuote(""), R"("")");
  EXPECT_EQ(goQuote("a\"b"), R"("a\"b")");
  EXPECT_EQ(goQuote("a\\b"), R"("a\\b")");
  EXPECT_EQ(goQuote("a\tb"), R"("a\tb")");
  EXPECT_EQ(goQuote("a\x01"
                    "b"),
            R"("a\x01b")");
  EXPECT_EQ(goQuote("a\x7f"
                    "b"),
            R"("a\x7fb")");
  EXPECT_EQ(goQuote("/x/y/\"z\a"), R"("/x/y/\"z\a")");
  EXPECT_EQ(goQuote("\b\f\n\r\v"), R"("\b\f\n\r\v")");
  EXPECT_EQ(goQuote("\0"s), R"("\x00")");
  EXPECT_EQ(goQuote("é"), R"("é")");
  EXPECT_EQ(goQuote("\u200b"), R"("\u200b")");      // Cf
  EXPECT_EQ(goQuote("\u00a0"), R"("\u00a0")");      // Zs other than U+0020
  EXPECT_EQ(goQuote("\xff"), R"("\xff")");          // invalid byte
  EXPECT_EQ(goQuote("\xe2\x82"), R"("\xe2\x82")");  // truncated sequence
  EXPECT_EQ(goQuote("😀"), R"("😀")");
  EXPECT_EQ(goQuote("\ufffd"), R"("�")");                   // a real U+FFFD is printable
  EXPECT_EQ(goQuote("\xed\xa0\x80"), R"("\xed\xa0\x80")");  // encoded surrogate
  EXPECT_EQ(goQuote("\U000e0001"), R"("\U000e0001")");
  EXPECT_EQ(goQuote("\u0e00"), R"("\u0e00")");  // unassigned
  EXPECT_EQ(goQuote("\u0378"), R"("\u0378")");  // unassigned
  EXPECT_EQ(goQuote("\u1b00"), R"("ᬀ")");
  EXPECT_EQ(goQuote("\U0001fa70"), R"("🩰")");        // Unicode 12
  EXPECT_EQ(goQuote("\U0001fae0"), R"("\U0001fae0")");  // Unicode 14: not printable in Go 1.19
  EXPECT_EQ(goQuote("\xc0\x80"), R"("\xc0\x80")");      // overlong NUL
  EXPECT_EQ(goQuote("\xf4\x90\x80\x80"), R"("\xf4\x90\x80\x80")");  // above U+10FFFF
}

TEST(GoQuote, Strings) {
  EXPECT_EQ(goQuote(""), "\"\"");
  EXPECT_EQ(goQuote("plain text 123"), "\"plain text 123\"");
  EXPECT_EQ(goQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(goQuote("\a\b\f\n\r\t\v"), "\"\\a\\b\\f\\n\\r\\t\\v\"");
  EXPECT_EQ(goQuote(std::string("\x00\x01\x1b\x7f", 4)), "\"\\x00\\x01\\x1b\\x7f\"");
  EXPECT_EQ(goQuote("'"), "\"'\"");
  // Printable non-ASCII stays raw; invalid bytes become \x, non-printable runes \u or \U.
  EXPECT_EQ(goQuote("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
            "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
  EXPECT_EQ(goQuote("\xff"), "\"\\xff\"");
  EXPECT_EQ(goQuote("\xe2\x82"), "\"\\xe2\\x82\"");                    // truncated
  EXPECT_EQ(goQuote("\xc0\xaf"), "\"\\xc0\\xaf\"");                    // overlong
  EXPECT_EQ(goQuote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");           // surrogate
  EXPECT_EQ(goQuote("\xf4\x90\x80\x80"), "\"\\xf4\\x90\\x80\\x80\"");  // above U+10FFFF
  EXPECT_EQ(goQuote("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");              // a real U+FFFD
  EXPECT_EQ(goQuote("\xc2\x85\xc2\xa0\xc2\xad"), "\"\\u0085\\u00a0\\u00ad\"");
  EXPECT_EQ(goQuote("\xe2\x80\x8b\xee\x80\x80"), "\"\\u200b\\ue000\"");
  EXPECT_EQ(goQuote("\xf4\x8f\xbf\xbf\xf3\xa0\x80\x81"), "\"\\U0010ffff\\U000e0001\"");
}

TEST(GoQuote, Runes) {
  EXPECT_EQ(goQuoteRune('='), "'='");
  EXPECT_EQ(goQuoteRune('"'), "'\"'");
  EXPECT_EQ(goQuoteRune('\''), "'\\''");
  EXPECT_EQ(goQuoteRune('\\'), "'\\\\'");
  EXPECT_EQ(goQuoteRune('\n'), "'\\n'");
  EXPECT_EQ(goQuoteRune(0), "'\\x00'");
  EXPECT_EQ(goQuoteRune(0x7f), "'\\x7f'");
  EXPECT_EQ(goQuoteRune(0x80), "'\\u0080'");
  EXPECT_EQ(goQuoteRune(0xa0), "'\\u00a0'");
  EXPECT_EQ(goQuoteRune(0xad), "'\\u00ad'");
  EXPECT_EQ(goQuoteRune(0xe9), "'\xc3\xa9'");
  EXPECT_EQ(goQuoteRune(0xff), "'\xc3\xbf'");
}

TEST(GoQuote, IsPrintFollowsUnicode13) {
  EXPECT_TRUE(goIsPrint(' '));
  EXPECT_FALSE(goIsPrint('\t'));
  EXPECT_FALSE(goIsPrint(0x3000));   // ideographic space: graphic, not printable
  EXPECT_TRUE(goIsPrint(0x9FFC));    // added in Unicode 13
  EXPECT_FALSE(goIsPrint(0x9FFD));   // added in Unicode 14: not yet known to Go 1.19
  EXPECT_FALSE(goIsPrint(0x0870));   // Unicode 14
  EXPECT_TRUE(goIsPrint(0x1FAD6));   // Unicode 13
  EXPECT_FALSE(goIsPrint(0x1FAD7));  // Unicode 14
  EXPECT_TRUE(goIsPrint(0x1F600));
  EXPECT_FALSE(goIsPrint(0xE000));  // private use
  EXPECT_FALSE(goIsPrint(0xFFFF));
  EXPECT_TRUE(goIsPrint(0xE0100));  // variation selector (a mark)
  EXPECT_FALSE(goIsPrint(0x10FFFF));
}

TEST(Utf8, Validity) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("abc \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));
  EXPECT_TRUE(isValidUtf8(std::string("a\0b", 3)));
  for (const char* bad :
       {"\x80", "\xc2", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf",
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xfe", "ok\xe2\x82"}) {
    EXPECT_FALSE(isValidUtf8(bad)) << goQuote(bad);
  }
}

TEST(GoQuote, TimePackageQuote) {
  // time.ParseDuration's own quote: every byte outside printable ASCII as \xNN.
  EXPECT_EQ(goTimeQuote(""), "\"\"");
  EXPECT_EQ(goTimeQuote("1d"), "\"1d\"");
  EXPECT_EQ(goTimeQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(goTimeQuote("\xc2\xb5"), "\"\\xc2\\xb5\"");  // "µ" is not ASCII
  EXPECT_EQ(goTimeQuote("\t\x7f\xff"), "\"\\x09\x7f\\xff\"");
  EXPECT_EQ(goTimeQuote("'"), "\"'\"");
}

TEST(Utf8, AppendRuneOfAByte) {
  // fmt's %c of a byte: the byte taken as a rune.
  std::string out;
  appendRune(out, 'q');
  appendRune(out, '\n');
  appendRune(out, 0xc3);
  EXPECT_EQ(out, "q\n\xc3\x83");
}

TEST(Utf8, ValidityMatchesGo) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain"));
  EXPECT_TRUE(isValidUtf8("Προμηθεύς 😀 \ufffd"));
  EXPECT_TRUE(isValidUtf8("\0"s));
  EXPECT_TRUE(isValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xff"));
  EXPECT_FALSE(isValidUtf8("\xc0\x80"));          // overlong
  EXPECT_FALSE(isValidUtf8("\xe0\x9f\xbf"));      // overlong 3-byte
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8("ab\xe2\x82"));        // truncated at end
  EXPECT_FALSE(isValidUtf8("\xe2\x82x"));         // truncated in the middle
  EXPECT_FALSE(isValidUtf8("\x80"));              // lone continuation byte
}

TEST(Utf8, DecodeRuneWidths) {
  EXPECT_EQ(decodeRune("").width, 0u);
  EXPECT_EQ(decodeRune("é").rune, U'é');
  EXPECT_EQ(decodeRune("é").width, 2u);
  EXPECT_EQ(decodeRune("\xe2\x82").rune, kRuneError);
  EXPECT_EQ(decodeRune("\xe2\x82").width, 1u);
  EXPECT_EQ(decodeRune("😀").width, 4u);
  std::string out;
  appendRune(out, 0xD800);
  appendRune(out, U'é');
  EXPECT_EQ(out, "\ufffdé");
}

}  // namespace
}  // namespace ferry::support
