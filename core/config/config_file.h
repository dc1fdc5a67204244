#pragma once

#include <string>
#include <string_view>

#include "core/config/options.h"

// Ferry's JSON config file (docs/configuration.md). Everything a flag can set has a key here too;
// the pipeline (inputs, storage) exists only here.
namespace ferry::core::config {

// Applies a config file's JSON text to options; on error options are left unchanged. Accepts //
// and /* */ comments. Throws ConfigError prefixed with source_name: "<source>:<line>:<column>:
// ..." for syntax errors, `<source>: unknown key "push.max_bdy_bytes"` for unknown or duplicate
// keys, `<source>: "web.max_connections": expected an unsigned integer, got string` for values.
// An empty "inputs" array is an error.
void applyConfigJson(std::string_view json_text, const std::string& source_name, Options& options);

// Reads the file at path and applies it; ConfigError names the file when it cannot be read.
void applyConfigFile(const std::string& path, Options& options);

}  // namespace ferry::core::config
