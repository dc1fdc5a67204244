#pragma once

#include <string>

// The --help text and the --help-man page, laid out as kingpin v2.4 lays out the Pushgateway's
// (80 columns, "[no-]" before bool flags), with Ferry's own flags listed among them.
namespace ferry::core::config {

std::string usageText();    // -h, --help, --help-long
std::string manPageText();  // --help-man (roff)

}  // namespace ferry::core::config
