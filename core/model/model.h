#pragma once

// The model module in one include: grouping keys, base64 URL values and name checks. (UTF-8
// checks and Go's quoting for error texts are in Ferry::support, <ferry/support/...>.)
#include "core/model/base64.h"
#include "core/model/grouping_key.h"
#include "core/model/names.h"
