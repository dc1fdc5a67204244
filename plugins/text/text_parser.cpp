#include "plugins/text/text_parser.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <limits>
#include <memory>
#include <utility>

#include "plugins/text/parser.h"

namespace ferry::plugins::text {
namespace {

// Output is handed over in pieces of about this size, so a large body's encoding is never
// held whole next to the parsed messages.
constexpr size_t kChunkBytes = size_t{1} << 20;

}  // namespace

std::optional<ParseError> parseText(std::string_view body,
                                    std::vector<io::prometheus::client::MetricFamily>& out) {
  out.clear();
  detail::Parser parser(body, nullptr);
  if (auto error = parser.run()) return error;
  for (auto* family : parser.families()) {
    if (family->metric_size() > 0) out.push_back(std::move(*family));
  }
  return std::nullopt;
}

constexpr size_t kFirstBlockBytes = 64 << 10;

std::optional<ParseError> parseTextDelimited(std::string_view body,
                                             const std::function<void(std::string_view)>& write) {
  // The arena's first block is a per-thread buffer: a typical push then parses without a
  // single heap allocation, and no 64 KiB block is malloc'ed and freed per request (glibc
  // consolidates its heap on every free of that size).
  thread_local std::unique_ptr<char[]> first_block(new char[kFirstBlockBytes]);
  google::protobuf::ArenaOptions options;
  options.initial_block = first_block.get();
  options.initial_block_size = kFirstBlockBytes;
  options.start_block_size = 64 << 10;
  options.max_block_size = 1 << 20;
  google::protobuf::Arena arena(options);
  detail::Parser parser(body, &arena);
  if (auto error = parser.run()) return error;
  std::string chunk;
  for (const auto* family : parser.families()) {
    if (family->metric_size() == 0) continue;
    const size_t size = family->ByteSizeLong();
    if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
      return ParseError{"metric family \"" + family->name() + "\" is too large to encode"};
    }
    {
      google::protobuf::io::StringOutputStream stream(&chunk);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.WriteVarint32(static_cast<uint32_t>(size));
      family->SerializeWithCachedSizes(&coded);
    }
    if (chunk.size() >= kChunkBytes) {
      write(chunk);
      chunk.clear();
    }
  }
  if (!chunk.empty()) write(chunk);
  return std::nullopt;
}

}  // namespace ferry::plugins::text
