#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferry::core::http {

// What a handler answers, independent of the connection code, which adds the status line,
// Date, Content-Length and Connection when it writes it. The first send*() wins: later ones are
// ignored, as a second WriteHeader is in Go. Error bodies are Go's http.Error shape.
class Response {
 public:
  // Sets a header, replacing one of the same name (ASCII case-insensitive).
  void setHeader(std::string_view name, std::string value);
  bool hasHeader(std::string_view name) const;
  void send(int status, std::string body = {}, std::string_view content_type = {});
  // A body in pieces that stay valid as long as `owner` lives (a rendered scrape pinning the
  // stored families it points into); written one after the other without being joined.
  void sendPieces(int status, std::vector<std::string_view> pieces,
                  std::shared_ptr<const void> owner, std::string_view content_type);
  // http.Error: text/plain; charset=utf-8, X-Content-Type-Options: nosniff, message + "\n".
  void sendError(int status, std::string_view message);
  // Closes the connection once this response is written.
  void closeConnection() { close_ = true; }

  bool sent() const { return status_ != 0; }
  int status() const { return status_; }
  bool closeRequested() const { return close_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  // The body: `body()` unless the response was sent in pieces.
  const std::string& body() const { return body_; }
  const std::vector<std::string_view>& pieces() const { return pieces_; }
  bool inPieces() const { return owner_ != nullptr; }
  size_t contentLength() const;
  // Takes the body's pieces and their owner (for a writer that outlives the handler).
  std::shared_ptr<const void> releaseOwner() { return std::move(owner_); }

 private:
  int status_ = 0;
  bool close_ = false;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string body_;
  std::vector<std::string_view> pieces_;
  std::shared_ptr<const void> owner_;
};

// The reason phrase of a status code ("Not Found"), "" for codes without one (as Go's
// http.StatusText).
std::string_view reasonPhrase(int status);

}  // namespace ferry::core::http
