// Content-addressed image names with libsodium's BLAKE2b; see image_name.h.
#include "content/image_name.h"

#include <sodium.h>

#include <stdexcept>

namespace masthead::content {

namespace {

constexpr std::size_t kDigestHex = 16;

bool is_lower_hex(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string image_digest(std::string_view bytes) {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[kDigestHex + 1];
  sodium_bin2hex(hex, sizeof hex, digest, kDigestHex / 2);
  return std::string(hex, kDigestHex);
}

std::string content_addressed_image_name(std::string_view stem, std::string_view extension,
                                         std::string_view bytes) {
  std::string name = std::string(stem) + "." + image_digest(bytes);
  if (!extension.empty()) name += "." + std::string(extension);
  return name;
}

bool is_content_addressed_image(std::string_view name, std::string_view bytes) {
  // "<stem>.<digest>[.<extension>]": the digest follows the first dot.
  const std::size_t first = name.find('.');
  if (first == std::string_view::npos || first == 0) return false;
  std::string_view rest = name.substr(first + 1);
  std::string_view digest = rest.substr(0, rest.find('.'));
  if (digest.size() != kDigestHex || !is_lower_hex(digest)) return false;
  if (digest.size() < rest.size() && rest.size() == kDigestHex + 1) return false;  // "x.d."
  return digest == image_digest(bytes);
}

}  // namespace masthead::content
