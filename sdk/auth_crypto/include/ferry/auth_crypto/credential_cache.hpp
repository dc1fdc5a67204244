#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <set>
#include <string_view>

namespace ferry::auth_crypto {

// Remembers credentials that bcrypt has verified, so bcrypt does not run on every request.
//
// The entry is a SHA-256 digest over the username, the stored hash AND the exact password
// (each length-prefixed, so no two triples encode alike). CVE-2022-46146 was a cache keyed
// without the password: once a user had logged in, any password for that user hit the cache.
// Here a wrong password, another user, or a changed hash (reload) gives another digest, and
// only verified successes are stored. Plaintext passwords are never kept. Thread-safe;
// bounded (when full, the cache starts over).
class CredentialCache {
 public:
  explicit CredentialCache(size_t capacity = 4096) : capacity_(capacity) {}

  using Key = std::array<unsigned char, 32>;
  static Key keyFor(std::string_view user, std::string_view hash, std::string_view password);

  bool contains(const Key& key) const;
  void insert(const Key& key);
  size_t size() const;

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::set<Key> verified_;
};

}  // namespace ferry::auth_crypto
