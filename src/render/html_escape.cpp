// HTML escaping: skip safe bytes eight at a time, look the rest up in a
// table, one append per run of safe bytes. See html_escape.h for the contract.
#include "render/html_escape.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace masthead::render {

namespace {

// kSpecial[c] is true for the five bytes that need an entity.
constexpr std::array<bool, 256> make_special_table() {
  std::array<bool, 256> table{};
  table[static_cast<unsigned char>('&')] = true;
  table[static_cast<unsigned char>('<')] = true;
  table[static_cast<unsigned char>('>')] = true;
  table[static_cast<unsigned char>('"')] = true;
  table[static_cast<unsigned char>('\'')] = true;
  return table;
}

constexpr std::array<bool, 256> kSpecial = make_special_table();

std::string_view entity_for(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    default:
      return "&#39;";
  }
}

// SWAR ("SIMD within a register") test of eight bytes at once: for each
// special character c, x ^ (c repeated) has a zero byte exactly where x holds
// c, and (v - 0x01..01) & ~v & 0x80..80 is non-zero exactly when v has a zero
// byte. Portable C++, no intrinsics; compilers keep it in registers.
constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

constexpr std::uint64_t zero_byte_mask(std::uint64_t v) {
  return (v - kOnes) & ~v & kHighBits;
}

constexpr bool has_special(std::uint64_t x) {
  return (zero_byte_mask(x ^ (kOnes * '&')) | zero_byte_mask(x ^ (kOnes * '<')) |
          zero_byte_mask(x ^ (kOnes * '>')) | zero_byte_mask(x ^ (kOnes * '"')) |
          zero_byte_mask(x ^ (kOnes * '\''))) != 0;
}

std::uint64_t load8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  const char* const data = text.data();
  const std::size_t size = text.size();
  std::size_t run_start = 0;
  std::size_t i = 0;
  while (i < size) {
    // Skip eight safe bytes at a time; most text has long runs of them.
    while (i + 8 <= size && !has_special(load8(data + i))) i += 8;
    const std::size_t stop = i + 8 < size ? i + 8 : size;
    for (; i < stop; ++i) {
      if (!kSpecial[static_cast<std::uint8_t>(data[i])]) continue;
      out.append(data + run_start, i - run_start);
      out.append(entity_for(data[i]));
      run_start = i + 1;
    }
  }
  out.append(data + run_start, size - run_start);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_html_escaped(out, text);
  return out;
}

}  // namespace masthead::render
