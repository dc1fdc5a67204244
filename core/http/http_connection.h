#pragma once

#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/codec/stream_decoder.h"
#include "core/http/connection_context.h"
#include "core/http/request.h"
#include "core/http/response.h"
#include "core/net/event_loop.h"
#include "core/net/transport.h"
#include "core/plugin_host/plugin_instance.h"
#include "core/wire/body_framer.h"
#include "core/wire/protocol_error.h"
#include "core/wire/request_head_parser.h"

namespace ferry::core::http {

// One client connection, driven by its event loop: TLS handshake, request heads parsed as they
// arrive, admission and routing before any body byte is read, the body read and decoded as it
// arrives, the handler run (on the loop when it is quick, else on a handler thread), the answer
// written as the client takes it, keep-alive or a lingering close. An idle or slow connection
// holds a buffer, never a thread; every phase has a deadline.
class HttpConnection : public net::EventLoop::Watcher,
                       public std::enable_shared_from_this<HttpConnection> {
 public:
  using Clock = net::EventLoop::Clock;

  HttpConnection(ConnectionContext& context, net::EventLoop& loop,
                 std::unique_ptr<net::Transport> transport, std::string remote_address, bool tls);
  ~HttpConnection() override;

  // Registers with the loop and starts reading.
  void start();
  void onEvents(uint32_t events) override;
  // Applies the deadline of the current phase (called by the loop's sweep).
  void checkDeadline(Clock::time_point now);
  // The server is stopping: closes the connection unless a request is being handled or
  // answered (that one finishes, then the connection closes).
  void stop();

  bool closed() const { return state_ == State::kClosed; }
  // Waiting for its next request: the first to close when connections run out.
  bool idle() const { return state_ == State::kIdle; }
  // A request is being admitted, handled or answered.
  bool busy() const;
  Clock::time_point idleSince() const { return idle_since_; }

 private:
  enum class State {
    kHandshake,  // TLS handshake
    kIdle,       // waiting for the first byte of a request
    kHead,       // reading a request head
    kAdmitting,  // credentials being checked on a thread
    kBody,       // reading (and decoding) the body
    kHandling,   // the handler runs on a thread
    kDelaying,   // a refusal waits out the failure delay
    kWriting,    // writing an answer
    kLingering,  // answered and half-closed; reading and discarding what the client still sends
    kClosed,
  };

  void advance();
  bool takeReadTurn();
  // One read within this turn of the loop into the loop's scratch buffer (raw: the lingering
  // close's discard); nullopt when nothing can be read now. Clears readable_ once the socket is
  // drained.
  std::optional<net::IoResult> readNow(bool raw);
  bool stepHandshake();
  bool readHead();
  bool readBody();
  bool writeOut();
  bool linger();

  void onHead();
  void onAdmitted(const auth::Decision& decision);
  // Frames and decodes body bytes; may answer the request (413, 400) or complete it.
  void feedBody(std::string_view data);
  void decodeFailed();
  void onBodyComplete();
  void dispatchRequest();
  void onResponse(Response response);
  void addWebHeaders(Response& response) const;
  void refuseBody(int status, const std::string& message, bool linger_after);
  // Counts a push refused before its handler ran (ferry_push_rejected_total); other requests
  // are not pushes and are not counted.
  void countRefusedPush(int status) const;
  void respond(Response response, bool close_after, bool linger_after);
  void writeRaw(std::string bytes, bool linger_after);
  void startWriting(bool close_after, bool linger_after);
  void protocolError(const wire::ProtocolError& error);
  void afterWrite();
  void startLinger();
  void close();
  void setDeadline(Clock::time_point deadline);
  Clock::time_point bodyDeadline() const;
  void schedule();  // run advance() again on the next turn of the loop

  ConnectionContext& ctx_;
  net::EventLoop& loop_;
  std::unique_ptr<net::Transport> transport_;
  std::string remote_address_;
  bool tls_;
  TlsPeer tls_peer_;  // once the handshake is done
  State state_ = State::kIdle;
  bool readable_ = false;
  bool writable_ = true;
  bool scheduled_ = false;
  int reads_this_turn_ = 0;
  Clock::time_point deadline_{};
  Clock::time_point idle_since_{};

  // The current request. `in_` holds its head (the views of `request_` point into it) and is
  // not touched while the request lives; bytes that follow it wait in `next_`.
  std::string in_;
  std::string next_;
  wire::RequestHeadParser parser_;
  Request request_;
  const Route* route_ = nullptr;  // the request's route, nullptr for a router answer
  plugin_host::AuthRequestView auth_view_;
  std::vector<std::pair<std::string, std::string>> web_headers_;
  bool keep_alive_ = true;
  wire::BodyFramer framer_ = wire::BodyFramer::contentLength(0);
  std::unique_ptr<codec::StreamDecoder> decoder_;
  std::string undecoded_;  // body data the decoder has not taken yet (its budget ran out)
  bool read_body_ = false;
  Clock::time_point body_start_{};
  Response delayed_;  // kDelaying: the refusal to send when the delay is over
  bool delayed_close_ = false;

  // The answer being written.
  std::string out_head_;
  Response out_;
  std::vector<iovec> out_iov_;
  size_t out_next_ = 0;  // first iovec not fully taken
  bool close_after_write_ = false;
  bool linger_after_write_ = false;
  uint64_t linger_left_ = 0;
  uint64_t linger_received_ = 0;
};

}  // namespace ferry::core::http
