#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Request-body decompression with Pushgateway's rules (its `decodeRequest` middleware): the
// Content-Encoding header picks gzip (Go's compress/gzip, multistream) or snappy (the framed
// stream format of github.com/golang/snappy's NewReader); anything else passes the body through.
// Error texts are Go's, because Pushgateway sends them to the client verbatim with HTTP 400.
namespace ferry::core::codec {

struct DecodeResult {
  bool ok;
  std::string body;   // the decoded body when ok
  std::string error;  // the client-facing error text when !ok
};

enum class Encoding { kIdentity, kGzip, kSnappy };

// Pushgateway 1.11 (HEAD) lower-cases the header value: "gzip" and "snappy" in any case, with
// surrounding spaces or tabs, select a decoder; every other value (including "", "x-gzip",
// "deflate" and lists such as "gzip, identity") means the body is used as is. (1.5.1 matched
// only the exact lower-case "gzip".)
Encoding parseContentEncoding(std::string_view header_value);

// Decodes `body` into at most `max_output_bytes` bytes. A body whose decoded form is longer
// fails with "request body too large: limit is N bytes" as soon as the limit is passed, without
// decoding (or allocating for) the rest, so decompression bombs cost bounded memory and time.
// kIdentity copies the body under the same limit.
//
// gzip errors (Go's texts): empty body "EOF"; fewer than 10 header bytes, or a body cut short
// anywhere after the header, "unexpected EOF"; a wrong magic/method byte, a header string
// longer than 511 bytes or a wrong header CRC "gzip: invalid header"; a trailer whose CRC-32 or
// size does not match "gzip: invalid checksum"; bad deflate data "flate: corrupt input before
// offset N" (N counts the member's deflate bytes zlib had consumed when it noticed, which can
// differ by a few bytes from Go's count). Concatenated members are decoded one after another;
// after a member, 1-9 trailing bytes are "unexpected EOF" and 10 or more that do not start a
// member are "gzip: invalid header", as in Go.
//
// snappy errors (golang/snappy's texts): "snappy: corrupt input" for a stream that does not
// start with the stream identifier, a bad identifier, a truncated chunk, a checksum mismatch,
// an undecodable block or one decoding to more than 65536 bytes; "snappy: unsupported input"
// for a reserved unskippable chunk (0x02-0x7f) or a chunk longer than 76494 bytes. An empty
// body decodes to an empty body.
DecodeResult decodeBody(Encoding e, std::string_view body, size_t max_output_bytes);

}  // namespace ferry::core::codec
