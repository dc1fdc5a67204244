#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::expo {

// One complete gzip member (RFC 1952, zlib's header: no name, mtime 0) holding `data`, for
// `Content-Encoding: gzip` responses. `level` is a zlib level: 0..9, or -1 for zlib's default.
// Throws std::invalid_argument for another level and std::bad_alloc when zlib runs out of
// memory; nothing in `data` can make it fail.
std::string gzipCompress(std::string_view data, int level = 1);

// The same for data given in pieces (a response assembled from cached parts), without joining
// them first.
std::string gzipCompressPieces(const std::vector<std::string_view>& pieces, int level = 1);

}  // namespace ferry::core::expo
