#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/web/basic_auth.h"
#include "core/web/bcrypt.h"
#include "core/web/credential_cache.h"

namespace ferry::core::web {
namespace {

// bcrypt("fakepassword") as in the exporter-toolkit, and the same digest under each prefix.
constexpr char kHash2y[] = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
constexpr char kHash2a[] = "$2a$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
constexpr char kHash2b[] = "$2b$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
// bcrypt("secret"), cost 4, made with Python's crypt module.
constexpr char kSecret[] = "$2b$04$nIPCEX5W/gzXYwaBwY6xnO.BEAP3eitPaWkPl1YEtCiKr5rQf6wm2";

std::string basic(const std::string& user_colon_password) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  const std::string& in = user_colon_password;
  for (size_t i = 0; i < in.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[v & 63] : '=';
  }
  return "Basic " + out;
}

TEST(BcryptTest, VerifiesKnownHashesOfEveryAcceptedPrefix) {
  for (const char* hash : {kHash2y, kHash2a, kHash2b}) {
    EXPECT_TRUE(verifyBcrypt("fakepassword", hash)) << hash;
    EXPECT_FALSE(verifyBcrypt("fakepassword2", hash)) << hash;
    EXPECT_FALSE(verifyBcrypt("", hash)) << hash;
  }
  EXPECT_TRUE(verifyBcrypt("secret", kSecret));
  EXPECT_FALSE(verifyBcrypt("Secret", kSecret));
}

TEST(BcryptTest, RefusesOtherFormatsAndGarbage) {
  EXPECT_FALSE(
      verifyBcrypt("fakepassword", "$2x$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi"));
  EXPECT_FALSE(verifyBcrypt("x", ""));
  EXPECT_FALSE(verifyBcrypt("x", "$2y$"));
  EXPECT_FALSE(verifyBcrypt("x", "$2y$10$short"));
  EXPECT_FALSE(verifyBcrypt("x", "plaintext"));
  std::string with_nul("secret\0x", 8);
  EXPECT_FALSE(verifyBcrypt(with_nul, kSecret));  // not cut at the NUL
}

TEST(BcryptTest, HashRoundTrip) {
  std::string hash = hashBcrypt("pw", 4);
  EXPECT_EQ(hash.substr(0, 7), "$2y$04$");
  EXPECT_TRUE(verifyBcrypt("pw", hash));
  EXPECT_FALSE(verifyBcrypt("pw2", hash));
}

TEST(BasicAuthorizationTest, ParsesAsGoDoes) {
  auto c = parseBasicAuthorization(basic("alice:se:cret"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "alice");
  EXPECT_EQ(c->password, "se:cret");
  EXPECT_TRUE(parseBasicAuthorization("bAsIc " + basic("a:b").substr(6)));
  EXPECT_FALSE(parseBasicAuthorization(""));
  EXPECT_FALSE(parseBasicAuthorization("Bearer abc"));
  EXPECT_FALSE(parseBasicAuthorization(basic("nocolon")));
  EXPECT_FALSE(parseBasicAuthorization("Basic !!!!"));
  EXPECT_FALSE(parseBasicAuthorization("Basic YQ"));  // padding required
}

TEST(CredentialCacheTest, KeyBindsUserHashAndPassword) {
  auto k = CredentialCache::keyFor("alice", kSecret, "secret");
  EXPECT_NE(k, CredentialCache::keyFor("alice", kSecret, "wrong"));
  EXPECT_NE(k, CredentialCache::keyFor("bob", kSecret, "secret"));
  EXPECT_NE(k, CredentialCache::keyFor("alice", kHash2y, "secret"));
  // Length prefixes: moving bytes between fields gives another key.
  EXPECT_NE(CredentialCache::keyFor("ab", "c", "d"), CredentialCache::keyFor("a", "bc", "d"));
  EXPECT_EQ(k, CredentialCache::keyFor("alice", kSecret, "secret"));
}

TEST(CredentialCacheTest, IsBounded) {
  CredentialCache cache(2);
  cache.insert(CredentialCache::keyFor("a", "h", "1"));
  cache.insert(CredentialCache::keyFor("a", "h", "2"));
  cache.insert(CredentialCache::keyFor("a", "h", "3"));
  EXPECT_LE(cache.size(), 2u);
  EXPECT_TRUE(cache.contains(CredentialCache::keyFor("a", "h", "3")));
}

TEST(BasicAuthenticatorTest, ChecksUsersAndCachesOnlyVerifiedCredentials) {
  auto cache = std::make_shared<CredentialCache>();
  BasicAuthenticator auth({{"alice", kSecret}, {"bob", kHash2y}}, cache);
  using R = BasicAuthenticator::Result;
  EXPECT_EQ(auth.check(""), R::kNoCredentials);
  EXPECT_EQ(auth.check("Bearer x"), R::kNoCredentials);
  EXPECT_EQ(auth.check(basic("alice:wrong")), R::kDenied);
  EXPECT_EQ(auth.check(basic("carol:fakepassword")), R::kDenied);  // unknown user
  EXPECT_EQ(cache->size(), 0u);                                    // failures are not cached
  std::string user;
  EXPECT_EQ(auth.check(basic("alice:secret"), &user), R::kOk);
  EXPECT_EQ(user, "alice");
  EXPECT_EQ(cache->size(), 1u);
  EXPECT_EQ(auth.check(basic("alice:secret")), R::kOk);  // from the cache
  EXPECT_EQ(cache->size(), 1u);
}

// CVE-2022-46146: after a successful login, the cache must not let any other password in.
TEST(BasicAuthenticatorTest, CacheCannotBeHitByAWrongPassword) {
  auto cache = std::make_shared<CredentialCache>();
  BasicAuthenticator auth({{"alice", kSecret}}, cache);
  using R = BasicAuthenticator::Result;
  ASSERT_EQ(auth.check(basic("alice:secret")), R::kOk);
  EXPECT_EQ(auth.check(basic("alice:wrong")), R::kDenied);
  EXPECT_EQ(auth.check(basic("alice:")), R::kDenied);
  EXPECT_EQ(auth.check(basic("alice:secret ")), R::kDenied);
  // The same cache behind a config whose hash for alice changed (reload): the old password,
  // verified against the old hash, must not be accepted.
  BasicAuthenticator reloaded({{"alice", kHash2y}}, cache);
  EXPECT_EQ(reloaded.check(basic("alice:secret")), R::kDenied);
  EXPECT_EQ(reloaded.check(basic("alice:fakepassword")), R::kOk);
  // A user removed from the config is refused although its entry is still cached.
  BasicAuthenticator removed({{"bob", kHash2y}}, cache);
  EXPECT_EQ(removed.check(basic("alice:fakepassword")), R::kDenied);
}

}  // namespace
}  // namespace ferry::core::web
