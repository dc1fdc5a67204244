#include "core/expo/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

namespace ferry::core::expo {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper instead of zlib's
constexpr int kMemLevel = 8;              // zlib's default

class Deflater {
 public:
  explicit Deflater(int level) {
    const int rc =
        deflateInit2(&stream_, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY);
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc != Z_OK) throw std::invalid_argument("gzip: invalid compression level");
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  ~Deflater() { deflateEnd(&stream_); }

  z_stream* get() { return &stream_; }

 private:
  z_stream stream_{};
};

}  // namespace

std::string gzipCompress(std::string_view data, int level) {
  if (level < Z_DEFAULT_COMPRESSION || level > Z_BEST_COMPRESSION) {
    throw std::invalid_argument("gzip: invalid compression level " + std::to_string(level));
  }
  Deflater deflater(level);
  z_stream* zs = deflater.get();
  std::string out;
  // deflateBound covers the whole output when all input is given before Z_FINISH, so the
  // loop below normally runs once; it only iterates for inputs beyond zlib's 32-bit counts.
  out.resize(deflateBound(zs, static_cast<uLong>(data.size())));
  constexpr size_t kMaxChunk = std::numeric_limits<uInt>::max();
  size_t in_pos = 0;
  size_t out_pos = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (out_pos == out.size()) out.resize(out.size() * 2 + 64);
    const size_t in_chunk = std::min(data.size() - in_pos, kMaxChunk);
    const size_t out_chunk = std::min(out.size() - out_pos, kMaxChunk);
    zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
    zs->avail_in = static_cast<uInt>(in_chunk);
    zs->next_out = reinterpret_cast<Bytef*>(out.data() + out_pos);
    zs->avail_out = static_cast<uInt>(out_chunk);
    const bool last_input = in_pos + in_chunk == data.size();
    rc = deflate(zs, last_input ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc == Z_STREAM_ERROR) throw std::logic_error("gzip: deflate stream error");
    in_pos += in_chunk - zs->avail_in;
    out_pos += out_chunk - zs->avail_out;
  }
  out.resize(out_pos);
  return out;
}

std::string gzipCompressPieces(const std::vector<std::string_view>& pieces, int level) {
  if (level < Z_DEFAULT_COMPRESSION || level > Z_BEST_COMPRESSION) {
    throw std::invalid_argument("gzip: invalid compression level " + std::to_string(level));
  }
  Deflater deflater(level);
  z_stream* zs = deflater.get();
  size_t total = 0;
  for (auto piece : pieces) total += piece.size();
  std::string out;
  out.resize(std::max<size_t>(total / 4, 4096));
  size_t out_pos = 0;
  constexpr size_t kMaxChunk = std::numeric_limits<uInt>::max();
  auto pump = [&](std::string_view data, int flush) {
    size_t in_pos = 0;
    int rc = Z_OK;
    do {
      if (out_pos == out.size()) out.resize(out.size() * 2);
      const size_t in_chunk = std::min(data.size() - in_pos, kMaxChunk);
      const size_t out_chunk = std::min(out.size() - out_pos, kMaxChunk);
      zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
      zs->avail_in = static_cast<uInt>(in_chunk);
      zs->next_out = reinterpret_cast<Bytef*>(out.data() + out_pos);
      zs->avail_out = static_cast<uInt>(out_chunk);
      rc = deflate(zs, in_pos + in_chunk == data.size() ? flush : Z_NO_FLUSH);
      if (rc == Z_MEM_ERROR) throw std::bad_alloc();
      if (rc == Z_STREAM_ERROR) throw std::logic_error("gzip: deflate stream error");
      in_pos += in_chunk - zs->avail_in;
      out_pos += out_chunk - zs->avail_out;
      // Done with this piece when all input is consumed and deflate had output room left
      // (or, when finishing, when the stream ended).
    } while (flush == Z_FINISH ? rc != Z_STREAM_END : (in_pos < data.size() || zs->avail_out == 0));
  };
  // Small pieces (runs of series lines) are gathered first: one deflate call per piece costs
  // more than the copy.
  constexpr size_t kGather = 64 << 10;
  std::string gathered;
  for (auto piece : pieces) {
    if (piece.size() >= kGather) {
      if (!gathered.empty()) pump(gathered, Z_NO_FLUSH);
      gathered.clear();
      pump(piece, Z_NO_FLUSH);
      continue;
    }
    if (gathered.size() + piece.size() > kGather) {
      pump(gathered, Z_NO_FLUSH);
      gathered.clear();
    }
    if (gathered.capacity() < kGather) gathered.reserve(kGather);
    gathered.append(piece.data(), piece.size());
  }
  if (!gathered.empty()) pump(gathered, Z_NO_FLUSH);
  pump({}, Z_FINISH);
  out.resize(out_pos);
  return out;
}

}  // namespace ferry::core::expo
