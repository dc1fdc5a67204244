#pragma once

// The model module in one include: grouping keys, base64 URL values, name/UTF-8 checks and Go's
// %q quoting for error texts.
#include "core/model/base64.h"
#include "core/model/go_quote.h"
#include "core/model/grouping_key.h"
#include "core/model/names.h"
#include "core/model/utf8.h"
