#pragma once

#include <string>

// What this binary is, for --version, the status API's "build_information" and the
// ferry_build_info metric. Go-only fields of the Pushgateway's block are mapped onto their C++
// counterparts (goVersion → the compiler).
namespace ferry::core::config {

struct BuildInfo {
  std::string version;     // the CMake project version
  std::string revision;    // the commit (git rev-parse HEAD) the tree was at, else "unknown"
  std::string branch;      // its branch, "unknown" outside git or on a detached HEAD
  std::string build_user;  // "user@host" of the build (FERRY_BUILD_USER in the environment wins)
  std::string build_date;  // "20230409-10:14:32" (Go's layout), from the compiler's clock
  std::string compiler;    // "GCC 12.2.0"
  std::string platform;    // "linux/amd64"
};

const BuildInfo& buildInfo();

// The --version block, shaped like the Pushgateway's:
//   ferry, version 0.1.0 (branch: main, revision: 8b2236a8bb0c71d5de2d5b0ceff15e292d89bc8f)
//     build user:       root@builder
//     build date:       20251125-10:27:00
//     compiler:         GCC 12.2.0
//     platform:         linux/amd64
std::string versionText();

}  // namespace ferry::core::config
