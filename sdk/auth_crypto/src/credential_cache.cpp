#include <openssl/evp.h>

#include <cstdint>
#include <ferry/auth_crypto/credential_cache.hpp>
#include <memory>
#include <stdexcept>

namespace ferry::auth_crypto {
namespace {

void addField(EVP_MD_CTX* ctx, std::string_view field) {
  uint64_t size = field.size();
  unsigned char prefix[8];
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(size >> (8 * i));
  EVP_DigestUpdate(ctx, prefix, sizeof prefix);
  EVP_DigestUpdate(ctx, field.data(), field.size());
}

}  // namespace

CredentialCache::Key CredentialCache::keyFor(std::string_view user, std::string_view hash,
                                             std::string_view password) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is not available");
  }
  addField(ctx.get(), user);
  addField(ctx.get(), hash);
  addField(ctx.get(), password);
  Key key{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), key.data(), &size);
  return key;
}

bool CredentialCache::contains(const Key& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  return verified_.count(key) != 0;
}

void CredentialCache::insert(const Key& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (verified_.size() >= capacity_) verified_.clear();
  verified_.insert(key);
}

size_t CredentialCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return verified_.size();
}

}  // namespace ferry::auth_crypto
