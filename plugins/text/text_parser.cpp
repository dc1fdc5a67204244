#include "plugins/text/text_parser.h"

#include <google/protobuf/arena.h>

#include <memory>
#include <utility>

#include "plugins/text/parser.h"

namespace ferry::plugins::text {

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

namespace {
constexpr size_t kFirstBlockBytes = 64 << 10;
}  // namespace

std::optional<ParseError> parseTextEach(
    std::string_view body,
    const std::function<void(const io::prometheus::client::MetricFamily&)>& each) {
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
  for (const auto* family : parser.families()) {
    if (family->metric_size() > 0) each(*family);
  }
  return std::nullopt;
}

}  // namespace ferry::plugins::text
