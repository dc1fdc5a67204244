#pragma once

// The model module in one include: grouping keys and base64 URL values. (Name and UTF-8 checks
// and Go's quoting for error texts are in Ferry::support, <ferry/support/...>.)
#include "core/model/base64.h"
#include "core/model/grouping_key.h"
