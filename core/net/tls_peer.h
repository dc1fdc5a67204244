#pragma once

#include <string>

namespace ferry::core::net {

// The TLS client certificate of a connection.
struct TlsPeer {
  std::string subject;    // RFC 2253 subject ("CN=ci,O=Example"); "" without a certificate
  bool verified = false;  // OpenSSL verified its chain against the web config's client CAs
};

}  // namespace ferry::core::net
