#pragma once

// Everything core/config offers: options, command line, config file, status flags, version.
#include "core/config/command_line.h"
#include "core/config/config_file.h"
#include "core/config/external_url.h"
#include "core/config/go_duration.h"
#include "core/config/options.h"
#include "core/config/status_flags.h"
#include "core/config/usage.h"
#include "core/config/validate.h"
#include "core/config/version.h"
