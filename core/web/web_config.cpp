#include "core/web/web_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace ferry::core::web {
namespace {

// The headers the exporter-toolkit lets a config set, with their allowed values (none: any).
const std::map<std::string, std::vector<std::string>>& configurableHeaders() {
  static const std::map<std::string, std::vector<std::string>> headers{
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  };
  return headers;
}

// Go's crypto/tls names (what the exporter-toolkit accepts) to OpenSSL's.
const std::map<std::string, std::string>& cipherNames() {
  static const std::map<std::string, std::string> names{
      {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
      {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
      {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
      {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
      {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
      {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
      {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
      {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
      {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
      {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
      {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "ECDHE-RSA-CHACHA20-POLY1305"},
      {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305"},
  };
  return names;
}

const std::map<std::string, std::string>& curveNames() {
  static const std::map<std::string, std::string> names{
      {"CurveP256", "P-256"}, {"CurveP384", "P-384"}, {"CurveP521", "P-521"}, {"X25519", "X25519"}};
  return names;
}

class Parser {
 public:
  Parser(std::string origin, std::string base_dir)
      : origin_(std::move(origin)), base_dir_(std::move(base_dir)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    std::string where = origin_;
    if (node.Mark().line >= 0) where += ": line " + std::to_string(node.Mark().line + 1);
    throw WebConfigError("web config " + where + ": " + message);
  }

  // Calls `each(key, value)` for every entry of a map node, refusing non-maps and duplicates.
  template <typename F>
  void forEachEntry(const YAML::Node& node, const std::string& path, F each) const {
    if (node.IsNull()) return;
    if (!node.IsMap())
      fail(node,
           path.empty() ? "the file must be a YAML mapping" : "\"" + path + "\" must be a mapping");
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) fail(entry.first, "keys in \"" + path + "\" must be strings");
      std::string key = entry.first.Scalar();
      if (!seen.insert(key).second) {
        fail(entry.first, "key \"" + key + "\" is set twice" + in(path));
      }
      each(key, entry.second);
    }
  }

  static std::string in(const std::string& path) {
    return path.empty() ? std::string() : " in \"" + path + "\"";
  }

  std::string scalar(const YAML::Node& node, const std::string& key) const {
    if (node.IsNull()) return {};
    if (!node.IsScalar()) fail(node, "\"" + key + "\" must be a string");
    return node.Scalar();
  }

  bool boolean(const YAML::Node& node, const std::string& key) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      fail(node, "\"" + key + "\" must be true or false");
    }
    return value;
  }

  std::vector<std::string> list(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> out;
    if (node.IsNull()) return out;
    if (!node.IsSequence()) fail(node, "\"" + key + "\" must be a list");
    for (const auto& item : node) out.push_back(scalar(item, key));
    return out;
  }

  std::string path(const YAML::Node& node, const std::string& key) const {
    std::string value = scalar(node, key);
    if (value.empty() || base_dir_.empty()) return value;
    std::filesystem::path p(value);
    return p.is_absolute() ? value : (std::filesystem::path(base_dir_) / p).string();
  }

  int tlsVersion(const YAML::Node& node, const std::string& key) const {
    static const std::map<std::string, int> versions{
        {"TLS10", 0x0301}, {"TLS11", 0x0302}, {"TLS12", 0x0303}, {"TLS13", 0x0304}};
    std::string name = scalar(node, key);
    auto it = versions.find(name);
    if (it == versions.end()) fail(node, "unknown TLS version: " + name);
    return it->second;
  }

  void parseTls(const YAML::Node& node, TlsServerConfig& tls) const {
    const std::string where = "tls_server_config";
    forEachEntry(node, where, [&](const std::string& key, const YAML::Node& value) {
      if (key == "cert_file") {
        tls.cert_file = path(value, key);
      } else if (key == "key_file") {
        tls.key_file = path(value, key);
      } else if (key == "cert") {
        tls.cert = scalar(value, key);
      } else if (key == "key") {
        tls.key = scalar(value, key);
      } else if (key == "client_ca_file") {
        tls.client_ca_file = path(value, key);
      } else if (key == "client_ca") {
        tls.client_ca = scalar(value, key);
      } else if (key == "client_auth_type") {
        tls.client_auth_type = scalar(value, key);
      } else if (key == "min_version") {
        tls.min_version = tlsVersion(value, key);
      } else if (key == "max_version") {
        tls.max_version = tlsVersion(value, key);
      } else if (key == "prefer_server_cipher_suites") {
        tls.prefer_server_cipher_suites = boolean(value, key);
      } else if (key == "cipher_suites") {
        for (const auto& name : list(value, key)) {
          auto it = cipherNames().find(name);
          if (it == cipherNames().end()) fail(value, "unknown cipher: " + name);
          tls.cipher_suites.push_back(it->second);
        }
      } else if (key == "curve_preferences") {
        for (const auto& name : list(value, key)) {
          auto it = curveNames().find(name);
          if (it == curveNames().end()) fail(value, "unknown curve: " + name);
          tls.curve_preferences.push_back(it->second);
        }
      } else if (key == "client_allowed_sans") {
        // Refused rather than ignored: ignoring it would accept clients it should refuse.
        fail(value, "\"client_allowed_sans\" in \"tls_server_config\" is not supported by Ferry");
      } else {
        fail(value, "unknown key \"" + key + "\"" + in(where));
      }
    });
  }

  void parseHttp(const YAML::Node& node, WebConfig& config) const {
    const std::string where = "http_server_config";
    forEachEntry(node, where, [&](const std::string& key, const YAML::Node& value) {
      if (key == "http2") {
        config.http2 = boolean(value, key);
      } else if (key == "headers") {
        forEachEntry(value, where + ".headers", [&](const std::string& name, const YAML::Node& v) {
          std::string text = scalar(v, name);
          auto allowed = configurableHeaders().find(name);
          if (allowed == configurableHeaders().end()) {
            fail(v, "HTTP header \"" + name + "\" can not be configured");
          }
          const auto& values = allowed->second;
          if (!values.empty() && std::find(values.begin(), values.end(), text) == values.end()) {
            std::string expected;
            for (const auto& a : values) expected += (expected.empty() ? "\"" : ", \"") + a + "\"";
            fail(v, "invalid value for " + name + ". Expected one of: " + expected +
                        ", but got: \"" + text + "\"");
          }
          config.headers.emplace_back(name, text);
        });
      } else {
        fail(value, "unknown key \"" + key + "\"" + in(where));
      }
    });
  }

  WebConfig parse(const YAML::Node& root) const {
    WebConfig config;
    forEachEntry(root, "", [&](const std::string& key, const YAML::Node& value) {
      if (key == "tls_server_config") {
        parseTls(value, config.tls);
      } else if (key == "http_server_config") {
        parseHttp(value, config);
      } else if (key == "basic_auth_users") {
        forEachEntry(value, key, [&](const std::string& user, const YAML::Node& hash) {
          config.users[user] = scalar(hash, user);
        });
      } else if (key == "rate_limit") {
        fail(value, "\"rate_limit\" is not supported by Ferry");
      } else {
        fail(value, "unknown key \"" + key + "\"");
      }
    });
    validate(root, config.tls);
    return config;
  }

  // The checks the exporter-toolkit makes when it turns the block into a tls.Config.
  void validate(const YAML::Node& root, const TlsServerConfig& tls) const {
    if (!tls.configured()) return;
    const YAML::Node node = root["tls_server_config"];
    if (tls.cert_file.empty() && tls.cert.empty()) fail(node, "missing cert_file");
    if (tls.key_file.empty() && tls.key.empty()) fail(node, "missing key_file");
    if (!tls.cert_file.empty() && !tls.cert.empty()) {
      fail(node, "at most one of cert and cert_file must be configured");
    }
    if (!tls.key_file.empty() && !tls.key.empty()) {
      fail(node, "at most one of key and key_file must be configured");
    }
    static const std::set<std::string> auth_types{"",
                                                  "NoClientCert",
                                                  "RequestClientCert",
                                                  "RequireAnyClientCert",
                                                  "RequireClientCert",
                                                  "VerifyClientCertIfGiven",
                                                  "RequireAndVerifyClientCert"};
    if (auth_types.count(tls.client_auth_type) == 0) {
      fail(node, "Invalid ClientAuth: " + tls.client_auth_type);
    }
    if ((!tls.client_ca_file.empty() || !tls.client_ca.empty()) && !tls.asksForClientCerts()) {
      fail(node, "Client CA's have been configured without a Client Auth Policy");
    }
    if (tls.min_version > tls.max_version) {
      fail(node, "min_version is newer than max_version");
    }
  }

 private:
  std::string origin_;
  std::string base_dir_;
};

}  // namespace

WebConfig parseWebConfig(const std::string& yaml_text, const std::string& origin,
                         const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw WebConfigError("web config " + origin + ": invalid YAML: " + e.what());
  }
  try {
    return Parser(origin, base_dir).parse(root);
  } catch (const YAML::Exception& e) {
    throw WebConfigError("web config " + origin + ": " + e.what());
  }
}

WebConfig loadWebConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WebConfigError("web config " + path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw WebConfigError("web config " + path + ": cannot read the file");
  std::string dir = std::filesystem::path(path).parent_path().string();
  return parseWebConfig(text.str(), path, dir.empty() ? "." : dir);
}

}  // namespace ferry::core::web
