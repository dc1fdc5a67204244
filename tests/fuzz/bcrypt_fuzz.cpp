// bcrypt hashes as configs give them (sdk/auth_crypto: isBcryptHash at start, verifyBcrypt per
// login) and as libxcrypt parses them.
// Input: "<password>\0<hash>". A hash with the $2?$NN$ shape and a cost above 5 is tried with
// cost 04 instead, so a fuzzed hash never costs seconds; the rest of it is as given.
// Invariants:
//  - a hash that verifies has the shape isBcryptHash accepts (what --check-config demands);
//  - verifying is repeatable;
//  - a fresh hash of the password verifies it (unless the password has a NUL, which C strings
//    cannot carry) and does not verify another password of at most 72 bytes.
#include <cstddef>
#include <cstdint>
#include <ferry/auth_crypto/bcrypt.hpp>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace crypto = ferry::auth_crypto;
  using ferry::fuzz::printable;
  const auto fields = ferry::fuzz::splitFields(ferry::fuzz::asView(data, size), 2);
  const std::string_view password = fields[0];
  std::string hash(fields[1]);
  if (hash.size() >= 7 && hash[0] == '$' && hash[1] == '2' && hash[3] == '$' && hash[6] == '$' &&
      (hash[4] != '0' || hash[5] > '5')) {
    hash[4] = '0';
    hash[5] = '4';
  }

  const bool verified = crypto::verifyBcrypt(password, hash);
  if (verified) FUZZ_CHECK(crypto::isBcryptHash(hash), printable(hash));
  FUZZ_CHECK(crypto::verifyBcrypt(password, hash) == verified, printable(hash));

  const std::string fresh = crypto::hashBcrypt(password, 4);
  FUZZ_CHECK(crypto::isBcryptHash(fresh), printable(fresh));
  const bool has_nul = password.find('\0') != std::string_view::npos;
  FUZZ_CHECK(crypto::verifyBcrypt(password, fresh) == !has_nul, printable(password));
  if (password.size() < 72 && !has_nul) {
    FUZZ_CHECK(!crypto::verifyBcrypt(std::string(password) + "x", fresh), printable(password));
  }
  return 0;
}
