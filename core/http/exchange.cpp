#include "core/http/exchange.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <cstring>
#include <ctime>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

namespace ferry::core::http {
namespace {

// The Date header, formatted once per second per thread.
const std::string& httpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    cached = Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(now),
                                             Poco::DateTimeFormat::HTTP_FORMAT);
  }
  return cached;
}

}  // namespace

Exchange::Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
    : request_(request), response_(response) {}

std::string Exchange::rawPath() const {
  const std::string& uri = request_.getURI();
  size_t start = 0;
  // Absolute-form targets ("http://host/path") carry the path after the authority.
  if (uri.compare(0, 7, "http://") == 0 || uri.compare(0, 8, "https://") == 0) {
    size_t slash = uri.find('/', uri.find("//") + 2);
    if (slash == std::string::npos) return "/";
    start = slash;
  }
  size_t end = uri.find_first_of("?#", start);
  return uri.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::optional<std::string> Exchange::rawQuery() const {
  const std::string& uri = request_.getURI();
  size_t question = uri.find('?');
  if (question == std::string::npos) return std::nullopt;
  size_t hash = uri.find('#', question);
  return uri.substr(question + 1,
                    hash == std::string::npos ? std::string::npos : hash - question - 1);
}

std::string Exchange::header(const std::string& name) const { return request_.get(name, ""); }

Exchange::BodyRead Exchange::readBody(size_t limit, std::string& out) {
  out.clear();
  if (limit > 0 && request_.hasContentLength() &&
      request_.getContentLength64() > static_cast<Poco::Int64>(limit)) {
    return BodyRead::kTooLarge;
  }
  // HTTP/1.1: without Content-Length or chunked encoding there is no body. (Poco would read
  // until the client closes the connection, which a keep-alive client never does.)
  if (!request_.hasContentLength() && !request_.getChunkedTransferEncoding()) return BodyRead::kOk;
  if (request_.hasContentLength()) {
    out.reserve(static_cast<size_t>(request_.getContentLength64()));
  }
  std::istream& in = request_.stream();
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (limit > 0 && out.size() + static_cast<size_t>(n) > limit) return BodyRead::kTooLarge;
    out.append(buffer, static_cast<size_t>(n));
  }
  if (in.bad()) return BodyRead::kFailed;
  if (request_.hasContentLength() &&
      out.size() != static_cast<size_t>(request_.getContentLength64())) {
    return BodyRead::kFailed;
  }
  return BodyRead::kOk;
}

void Exchange::setHeader(const std::string& name, const std::string& value) {
  response_.set(name, value);
}

void Exchange::send(int status, std::string_view body, std::string_view content_type) {
  if (sent_) return;
  sent_ = true;
  status_ = status;
  response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  if (!content_type.empty()) response_.setContentType(std::string(content_type));
  response_.set("Date", httpDate());
  response_.sendBuffer(body.data(), body.size());
}

void Exchange::sendPieces(int status, const std::vector<std::string_view>& pieces,
                          std::string_view content_type) {
  if (sent_) return;
  sent_ = true;
  status_ = status;
  response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  if (!content_type.empty()) response_.setContentType(std::string(content_type));
  response_.set("Date", httpDate());
  Poco::Int64 total = 0;
  for (auto piece : pieces) total += static_cast<Poco::Int64>(piece.size());
  response_.setContentLength64(total);
  std::ostream& out = response_.send();
  // A scrape body is many small pieces (runs of series lines in the stored families): they are
  // gathered into one buffer so that the stream sees few large writes, not one call per piece.
  constexpr size_t kGather = 64 << 10;
  std::unique_ptr<char[]> gathered;
  size_t used = 0;
  auto drain = [&] {
    out.write(gathered.get(), static_cast<std::streamsize>(used));
    used = 0;
  };
  for (auto piece : pieces) {
    if (piece.size() >= kGather) {
      if (used > 0) drain();
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      continue;
    }
    if (used + piece.size() > kGather) drain();
    if (!gathered) gathered.reset(new char[kGather]);
    std::memcpy(gathered.get() + used, piece.data(), piece.size());
    used += piece.size();
  }
  if (used > 0) drain();
  out.flush();
}

void Exchange::sendError(int status, std::string_view message) {
  response_.set("X-Content-Type-Options", "nosniff");
  std::string body(message);
  body += '\n';
  send(status, body, "text/plain; charset=utf-8");
}

void Exchange::closeAfterResponse() { response_.setKeepAlive(false); }

}  // namespace ferry::core::http
