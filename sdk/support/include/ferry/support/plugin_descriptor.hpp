// What makes a plugin's descriptor usable, decided once for every host: Ferry's plugin host and
// the SDK's contract test kits both call descriptorProblem(), so a plugin the kits accept is one
// Ferry loads. Part of Ferry::support: helpers Ferry and its plugins share, not part of the ABI.
#pragma once

#include <ferry/plugin_abi.h>

#include <string>

namespace ferry::support {

// "" when `descriptor` is one a host of this ABI (FERRY_ABI_MAJOR.FERRY_ABI_MINOR) may use, else
// why not, ready to follow "cannot load plugin <file>: ". A usable descriptor:
//   - is not NULL and at least as large as ABI 1.0's;
//   - has the host's ABI major and a minor no newer than the host's;
//   - has a known kind, a name matching [a-z0-9_-]+ and a version (description and
//     default_config may be NULL: read as "" and "{}");
//   - has create, destroy and a function table of its kind that is at least as large as ABI
//     1.0's with every function set.
// Reads only what the descriptor's and the table's struct_size cover. Thread-safe.
std::string descriptorProblem(const ferry_plugin_descriptor* descriptor);

// "input", "storage", "auth", or "unknown(N)" for a value outside the enum.
std::string pluginKindName(ferry_plugin_kind kind);

}  // namespace ferry::support
