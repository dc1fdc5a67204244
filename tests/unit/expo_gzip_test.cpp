#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <stdexcept>
#include <string>

#include "core/expo/gzip.h"

namespace ferry::core::expo {
namespace {

std::string gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);  // gzip wrapper only
  std::string out(in.size() * 8 + 1024, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  size_t produced = 0;
  while (rc == Z_OK) {
    if (produced == out.size()) out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(out.size() - produced);
    rc = inflate(&zs, Z_NO_FLUSH);
    produced = out.size() - zs.avail_out;
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  EXPECT_EQ(zs.avail_in, 0u) << "trailing bytes after the gzip member";
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

TEST(ExpoGzip, RoundTripsAnExposition) {
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    body += "push_time_seconds{instance=\"\",job=\"j" + std::to_string(i) +
            "\"} 1.7955995008926704e+09\n";
  }
  const std::string gz = gzipCompress(body);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(static_cast<unsigned char>(gz[2]), 8);  // deflate
  EXPECT_LT(gz.size(), body.size() / 5);
  EXPECT_EQ(gunzip(gz), body);
}

TEST(ExpoGzip, EmptyAndBinaryInput) {
  EXPECT_EQ(gunzip(gzipCompress("")), "");
  std::string binary(1 << 20, '\0');
  std::mt19937 rng(7);
  for (char& c : binary) c = static_cast<char>(rng());
  const std::string gz = gzipCompress(binary);
  EXPECT_EQ(gunzip(gz), binary);
  EXPECT_LE(gz.size(), binary.size() + binary.size() / 100 + 64);  // stored blocks, no blowup
}

TEST(ExpoGzip, LevelsAndInvalidLevels) {
  const std::string body(100000, 'a');
  for (int level : {-1, 0, 1, 6, 9}) EXPECT_EQ(gunzip(gzipCompress(body, level)), body);
  EXPECT_GT(gzipCompress(body, 0).size(), body.size());  // level 0 stores
  EXPECT_THROW(gzipCompress(body, 10), std::invalid_argument);
  EXPECT_THROW(gzipCompress(body, -2), std::invalid_argument);
}

}  // namespace
}  // namespace ferry::core::expo

namespace ferry::core::expo {
namespace {

TEST(ExpoGzipPieces, EqualsTheJoinedInput) {
  std::string big(300000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  std::vector<std::string> parts = {"",      "# TYPE a gauge\n",     big, "",
                                    "a 1\n", std::string(70000, 'x')};
  std::vector<std::string_view> pieces(parts.begin(), parts.end());
  std::string joined;
  for (const auto& p : parts) joined += p;
  EXPECT_EQ(gunzip(gzipCompressPieces(pieces)), joined);
  EXPECT_EQ(gunzip(gzipCompressPieces({})), "");
  EXPECT_THROW(gzipCompressPieces(pieces, 42), std::invalid_argument);
}

}  // namespace
}  // namespace ferry::core::expo
