#include "core/config/status_flags.h"

#include "core/config/flag_table.h"

namespace ferry::core::config {

std::map<std::string, std::string> statusFlags(const Options& options) {
  std::map<std::string, std::string> flags;
  for (const auto& spec : detail::flagTable()) {
    if (spec.get != nullptr) flags.emplace(std::string(spec.name), spec.get(options));
  }
  return flags;
}

}  // namespace ferry::core::config
