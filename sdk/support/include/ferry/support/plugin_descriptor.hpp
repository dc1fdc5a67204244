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
//     1.0's with every function set; an input plugin sets accepts and at least one of parse
//     (bytes, since 1.0) and parse_families (the family builder, since 1.2; read only when the
//     plugin's minor is 1.2 or later and the table's struct_size covers it);
//   - declares config keys (1.2) that are usable, or none: each has a name given once, known
//     types, a default, example and choices of those types, and an example when it is
//     required (ferry/detail/config_keys.hpp).
// Reads only what the descriptor's and the table's struct_size cover. Thread-safe.
std::string descriptorProblem(const ferry_plugin_descriptor* descriptor);

// True when `descriptor` (one descriptorProblem() accepted) is an input plugin whose families
// go through the family builder: it sets parse_families (ABI 1.2), which a host then calls
// instead of parse.
bool hasParseFamilies(const ferry_plugin_descriptor& descriptor);

// "input", "storage", "auth", or "unknown(N)" for a value outside the enum.
std::string pluginKindName(ferry_plugin_kind kind);

}  // namespace ferry::support
