#include "core/web/tls_material.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace ferry::core::web {
namespace {

std::string opensslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no PEM data found";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

std::string readPem(const std::string& file, const std::string& inline_pem, const std::string& what,
                    const std::string& origin) {
  if (file.empty()) return inline_pem;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw WebConfigError("web config " + origin + ": cannot read " + what + " " + file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr memoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

// Accepts any client certificate: for RequestClientCert and RequireAnyClientCert, which
// (as in Go) ask for one without verifying it.
int acceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

// OpenSSL's own verdict. Passed explicitly: SSL_set_verify keeps the context's callback (Poco's,
// which needs its SSLManager) when given none.
int keepVerdict(int ok, X509_STORE_CTX*) { return ok; }

}  // namespace

TlsMaterial::~TlsMaterial() {
  X509_free(cert_);
  if (chain_) sk_X509_pop_free(chain_, X509_free);
  EVP_PKEY_free(key_);
  X509_STORE_free(client_cas_);
}

std::shared_ptr<const TlsMaterial> TlsMaterial::load(const TlsServerConfig& config,
                                                     const std::string& origin) {
  std::shared_ptr<TlsMaterial> m(new TlsMaterial());
  ERR_clear_error();
  std::string where = config.cert_file.empty() ? "inline cert" : config.cert_file;
  std::string cert_pem = readPem(config.cert_file, config.cert, "cert_file", origin);
  auto bio = memoryBio(cert_pem);
  m->cert_ = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (!m->cert_) {
    throw WebConfigError("web config " + origin + ": failed to load X509KeyPair: " + where + ": " +
                         opensslError());
  }
  m->chain_ = sk_X509_new_null();
  while (X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    sk_X509_push(m->chain_, extra);
  }
  ERR_clear_error();  // the end of the file ends the loop with an error

  std::string key_where = config.key_file.empty() ? "inline key" : config.key_file;
  std::string key_pem = readPem(config.key_file, config.key, "key_file", origin);
  auto key_bio = memoryBio(key_pem);
  m->key_ = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (!m->key_) {
    throw WebConfigError("web config " + origin + ": failed to load X509KeyPair: " + key_where +
                         ": " + opensslError());
  }
  if (X509_check_private_key(m->cert_, m->key_) != 1) {
    ERR_clear_error();
    throw WebConfigError("web config " + origin +
                         ": failed to load X509KeyPair: private key does not match public key");
  }

  const std::string& auth = config.client_auth_type;
  if (auth == "RequestClientCert") {
    m->verify_mode_ = SSL_VERIFY_PEER;
    m->verify_chain_ = false;
  } else if (auth == "RequireAnyClientCert" || auth == "RequireClientCert") {
    m->verify_mode_ = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    m->verify_chain_ = false;
  } else if (auth == "VerifyClientCertIfGiven") {
    m->verify_mode_ = SSL_VERIFY_PEER;
  } else if (auth == "RequireAndVerifyClientCert") {
    m->verify_mode_ = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  if (!config.client_ca_file.empty() || !config.client_ca.empty()) {
    std::string ca_pem = readPem(config.client_ca_file, config.client_ca, "client_ca_file", origin);
    m->client_cas_ = X509_STORE_new();
    auto ca_bio = memoryBio(ca_pem);
    int count = 0;
    while (X509* ca = PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(m->client_cas_, ca);
      X509_free(ca);
      ++count;
    }
    ERR_clear_error();
    if (count == 0) {
      throw WebConfigError(
          "web config " + origin + ": unable to load client CA: " +
          (config.client_ca_file.empty() ? "inline client_ca" : config.client_ca_file));
    }
  }
  m->min_version_ = config.min_version;
  m->max_version_ = config.max_version;
  for (const auto& c : config.cipher_suites) m->ciphers_ += (m->ciphers_.empty() ? "" : ":") + c;
  for (const auto& g : config.curve_preferences) m->groups_ += (m->groups_.empty() ? "" : ":") + g;
  m->prefer_server_ciphers_ = config.prefer_server_cipher_suites;
  return m;
}

bool TlsMaterial::applyTo(SSL* ssl) const {
  if (SSL_use_cert_and_key(ssl, cert_, key_, chain_, 1) != 1) return false;
  if (SSL_set_min_proto_version(ssl, min_version_) != 1) return false;
  if (SSL_set_max_proto_version(ssl, max_version_) != 1) return false;
  if (!ciphers_.empty() && SSL_set_cipher_list(ssl, ciphers_.c_str()) != 1) return false;
  if (!groups_.empty() && SSL_set1_groups_list(ssl, groups_.c_str()) != 1) return false;
  if (prefer_server_ciphers_) {
    SSL_set_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
  } else {
    SSL_clear_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
  }
  if (client_cas_ && SSL_set1_verify_cert_store(ssl, client_cas_) != 1) return false;
  SSL_set_verify(ssl, verify_mode_, verify_chain_ ? keepVerdict : acceptAnyCertificate);
  return true;
}

}  // namespace ferry::core::web
