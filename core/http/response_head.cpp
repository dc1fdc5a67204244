#include "core/http/response_head.h"

#include <charconv>
#include <ctime>
#include <vector>

namespace ferry::core::http {
namespace {

bool bodyAllowed(int status) {
  return !(status >= 100 && status < 200) && status != 204 && status != 304;
}

}  // namespace

const std::string& httpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[64];
    size_t n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached.assign(text, n);
  }
  return cached;
}

void appendHead(const Response& response, const ResponseFraming& framing, std::string& out) {
  char number[24];
  const auto append_number = [&out, &number](uint64_t value) {
    auto end = std::to_chars(number, number + sizeof number, value).ptr;
    out.append(number, static_cast<size_t>(end - number));
  };
  const int status = response.status();
  out += framing.minor_version == 0 ? "HTTP/1.0 " : "HTTP/1.1 ";
  append_number(static_cast<uint64_t>(status));
  out += ' ';
  std::string_view reason = reasonPhrase(status);
  if (reason.empty()) {
    out += "status code ";
    append_number(static_cast<uint64_t>(status));
  } else {
    out += reason;
  }
  out += "\r\n";
  // Go writes the handler's headers in sorted order. Answers carry a few headers, so they are
  // sorted in place on the stack (insertion sort, stable like Go's).
  using Header = std::pair<std::string, std::string>;
  const auto& all = response.headers();
  constexpr size_t kOnStack = 16;
  const Header* on_stack[kOnStack];
  std::vector<const Header*> on_heap;
  const Header** sorted = on_stack;
  if (all.size() > kOnStack) {
    on_heap.resize(all.size());
    sorted = on_heap.data();
  }
  for (size_t i = 0; i < all.size(); ++i) {
    size_t j = i;
    while (j > 0 && all[i].first < sorted[j - 1]->first) {
      sorted[j] = sorted[j - 1];
      --j;
    }
    sorted[j] = &all[i];
  }
  for (size_t i = 0; i < all.size(); ++i) {
    out += sorted[i]->first;
    out += ": ";
    out += sorted[i]->second;
    out += "\r\n";
  }
  out += "Date: ";
  out += httpDate();
  out += "\r\n";
  if (bodyAllowed(status)) {
    out += "Content-Length: ";
    append_number(response.contentLength());
    out += "\r\n";
  }
  if (framing.minor_version >= 1 && !framing.keep_alive) out += "Connection: close\r\n";
  if (framing.minor_version == 0 && framing.keep_alive) out += "Connection: keep-alive\r\n";
  out += "\r\n";
}

std::string serializeHead(const Response& response, const ResponseFraming& framing) {
  std::string out;
  out.reserve(160);
  appendHead(response, framing, out);
  return out;
}

}  // namespace ferry::core::http
