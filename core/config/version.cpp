#include "core/config/version.h"

#include <cstring>

#include "build_revision.h"  // generated: FERRY_GIT_REVISION, FERRY_GIT_BRANCH, FERRY_BUILD_USER

#ifndef FERRY_VERSION
#define FERRY_VERSION "0.0.0"
#endif

namespace ferry::core::config {
namespace {

// __DATE__ is "Nov 25 2025" (day space-padded); GCC takes it from SOURCE_DATE_EPOCH when set, so
// reproducible builds stay reproducible.
std::string goBuildDate() {
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const char* date = __DATE__;
  const char* found = std::strstr(kMonths, std::string(date, 3).c_str());
  int month = found ? static_cast<int>(found - kMonths) / 3 + 1 : 0;
  std::string day(date + 4, 2);
  if (day[0] == ' ') day[0] = '0';
  std::string out(date + 7, 4);
  out += month < 10 ? "0" + std::to_string(month) : std::to_string(month);
  out += day;
  out += "-";
  out += __TIME__;
  return out;
}

std::string compilerName() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

std::string platformName() {
#if defined(__linux__)
  std::string os = "linux";
#elif defined(__APPLE__)
  std::string os = "darwin";
#elif defined(__FreeBSD__)
  std::string os = "freebsd";
#else
  std::string os = "unknown";
#endif
  // GOARCH names, which is what dashboards built for the Pushgateway expect.
#if defined(__x86_64__)
  return os + "/amd64";
#elif defined(__aarch64__)
  return os + "/arm64";
#elif defined(__i386__)
  return os + "/386";
#elif defined(__arm__)
  return os + "/arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return os + "/ppc64le";
#elif defined(__s390x__)
  return os + "/s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return os + "/riscv64";
#else
  return os + "/unknown";
#endif
}

}  // namespace

const BuildInfo& buildInfo() {
  static const BuildInfo kInfo{FERRY_VERSION,    FERRY_GIT_REVISION, FERRY_GIT_BRANCH,
                               FERRY_BUILD_USER, goBuildDate(),      compilerName(),
                               platformName()};
  return kInfo;
}

std::string versionText() {
  const BuildInfo& b = buildInfo();
  return "ferry, version " + b.version + " (branch: " + b.branch + ", revision: " + b.revision +
         ")\n" + "  build user:       " + b.build_user + "\n" +
         "  build date:       " + b.build_date + "\n" + "  compiler:         " + b.compiler + "\n" +
         "  platform:         " + b.platform + "\n";
}

}  // namespace ferry::core::config
