// Accept-Encoding negotiation and zlib gzip compression; see gzip.h.
#include "http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <stdexcept>

#include "http/ascii.h"

namespace masthead::http {

namespace {

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
// thousandths; nullopt when it does not parse.
std::optional<int> parse_qvalue(std::string_view q) {
  if (q.empty() || (q[0] != '0' && q[0] != '1')) return std::nullopt;
  int whole = q[0] - '0';
  q.remove_prefix(1);
  int thousandths = 0;
  if (!q.empty()) {
    if (q[0] != '.' || q.size() > 4) return std::nullopt;
    int scale = 100;
    for (char c : q.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
      thousandths += (c - '0') * scale;
      scale /= 10;
    }
  }
  if (whole == 1 && thousandths != 0) return std::nullopt;
  return whole * 1000 + thousandths;
}

struct Negotiation {
  std::optional<int> gzip;  // q of gzip (or x-gzip) when listed
  std::optional<int> any;   // q of "*" when listed

  void add(std::string_view list) {
    while (!list.empty()) {
      std::string_view member = next_item(list, ',');
      std::string_view coding = trim_ows(next_item(member, ';'));
      if (coding.empty()) continue;
      int q = 1000;
      while (!member.empty()) {
        std::string_view param = trim_ows(next_item(member, ';'));
        std::size_t eq = param.find('=');
        if (eq == std::string_view::npos) continue;
        if (!iequals(trim_ows(param.substr(0, eq)), "q")) continue;
        q = parse_qvalue(trim_ows(param.substr(eq + 1))).value_or(0);
      }
      if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
        gzip = std::max(gzip.value_or(0), q);
      } else if (coding == "*") {
        any = std::max(any.value_or(0), q);
      }
    }
  }

  bool accepts_gzip() const {
    if (gzip) return *gzip > 0;
    return any.value_or(0) > 0;
  }
};

// One deflate stream per thread, reset between bodies.
class Deflater {
 public:
  ~Deflater() {
    if (level_ != kUnset) deflateEnd(&stream_);
  }

  void compress(std::string_view data, std::string& out, int level) {
    if (level != level_) {
      if (level_ != kUnset) deflateEnd(&stream_);
      level_ = kUnset;
      stream_ = z_stream{};
      if (deflateInit2(&stream_, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("gzip: deflateInit2 failed");
      }
      level_ = level;
    } else if (deflateReset(&stream_) != Z_OK) {
      throw std::runtime_error("gzip: deflateReset failed");
    }
    if (data.size() > UINT_MAX) throw std::length_error("gzip: body too large");
    out.resize(deflateBound(&stream_, static_cast<uLong>(data.size())));
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream_.avail_in = static_cast<uInt>(data.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&stream_, Z_FINISH);
    if (rc != Z_STREAM_END) {
      out.clear();
      throw std::runtime_error("gzip: deflate did not finish");
    }
    out.resize(stream_.total_out);
  }

 private:
  static constexpr int kUnset = INT_MIN;
  z_stream stream_{};
  int level_ = kUnset;
};

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  Negotiation negotiation;
  negotiation.add(accept_encoding);
  return negotiation.accepts_gzip();
}

bool accepts_gzip(const Request& request) {
  Negotiation negotiation;
  for (const Header& h : request.headers) {
    if (iequals(h.name, "accept-encoding")) negotiation.add(h.value);
  }
  return negotiation.accepts_gzip();
}

void gzip_into(std::string_view data, std::string& out, int level) {
  thread_local Deflater deflater;
  deflater.compress(data, out, level);
}

std::string gzip(std::string_view data, int level) {
  std::string out;
  gzip_into(data, out, level);
  return out;
}

DeflatePiece deflate_piece(std::string_view data, int level) {
  if (data.size() > UINT_MAX) throw std::length_error("deflate_piece: data too large");
  DeflatePiece piece;
  piece.size = data.size();
  piece.crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  z_stream stream{};
  // Raw deflate (negative window bits): no zlib or gzip framing of its own.
  if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflate_piece: deflateInit2 failed");
  piece.bytes.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 16);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(piece.bytes.data());
  stream.avail_out = static_cast<uInt>(piece.bytes.size());
  // Z_SYNC_FLUSH ends on a byte boundary with no final block, so that more
  // blocks may follow.
  int rc = deflate(&stream, Z_SYNC_FLUSH);
  bool complete = rc == Z_OK && stream.avail_in == 0 && stream.avail_out > 0;
  piece.bytes.resize(stream.total_out);
  deflateEnd(&stream);
  if (!complete) throw std::runtime_error("deflate_piece: deflate did not complete");
  return piece;
}

DeflatePiece stored_piece(std::string_view data) {
  DeflatePiece piece;
  piece.size = data.size();
  piece.crc = 0;
  // Stored blocks (RFC 1951 3.2.4): a header byte (BFINAL 0, BTYPE 00, which
  // byte-aligns), LEN and its complement NLEN little-endian, then the bytes.
  while (!data.empty()) {
    std::size_t n = std::min<std::size_t>(data.size(), 65535);
    piece.bytes.push_back('\0');
    piece.bytes.push_back(static_cast<char>(n & 0xff));
    piece.bytes.push_back(static_cast<char>(n >> 8));
    piece.bytes.push_back(static_cast<char>(~n & 0xff));
    piece.bytes.push_back(static_cast<char>((~n >> 8) & 0xff));
    piece.bytes.append(data.substr(0, n));
    piece.crc = static_cast<std::uint32_t>(
        crc32(piece.crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n)));
    data.remove_prefix(n);
  }
  return piece;
}

std::string gzip_join(std::initializer_list<const DeflatePiece*> pieces) {
  // RFC 1952 header: magic, CM=8 (deflate), no flags, MTIME 0, XFL 0, OS 255.
  static constexpr char kHeader[] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
  std::size_t total = sizeof kHeader + 2 + 8;
  for (const DeflatePiece* p : pieces) total += p->bytes.size();
  std::string out;
  out.reserve(total);
  out.append(kHeader, sizeof kHeader);
  uLong crc = 0;
  std::uint64_t size = 0;
  for (const DeflatePiece* p : pieces) {
    out.append(p->bytes);
    crc = crc32_combine(crc, p->crc, static_cast<z_off_t>(p->size));
    size += p->size;
  }
  // A final, empty block with fixed Huffman codes: BFINAL 1, BTYPE 01, then
  // the end-of-block code (seven zero bits) — the bytes 03 00.
  out.push_back('\x03');
  out.push_back('\0');
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xff));
  return out;
}

}  // namespace masthead::http
