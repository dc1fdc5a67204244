#pragma once

#include <string>

// What this binary is, for --version, the status API's "build_information" and the
// ferry_build_info metric. Go-only fields of the Pushgateway's block are mapped onto their C++
// counterparts (goVersion → the compiler).
namespace ferry::core::config {

struct BuildInfo {
  std::string version;     // the CMake project version
  std::string revision;    // FERRY_GIT_REVISION when the build defines it, else "unknown"
  std::string branch;      // FERRY_GIT_BRANCH when the build defines it, else "unknown"
  std::string build_user;  // FERRY_BUILD_USER when the build defines it, else "unknown"
  std::string build_date;  // "20230409-10:14:32" (Go's layout), from the compiler's clock
  std::string compiler;    // "GCC 12.2.0"
  std::string platform;    // "linux/amd64"
};

const BuildInfo& buildInfo();

// The --version block, shaped like the Pushgateway's:
//   ferry, version 0.1.0 (branch: unknown, revision: unknown)
//     build user:       unknown
//     build date:       20251125-10:27:00
//     compiler:         GCC 12.2.0
//     platform:         linux/amd64
std::string versionText();

}  // namespace ferry::core::config
