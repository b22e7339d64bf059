// In-memory fingerprinted static assets; see static_assets.h.
#include "http/static_assets.h"

#include <sodium.h>

#include <stdexcept>

#include "http/etag.h"
#include "http/gzip.h"
#include "http/mime.h"

namespace masthead::http {

struct StaticAssets::Asset {
  std::string name;
  std::string_view content_type;
  std::string hash;
  std::string etag;           // "\"<hash>\""
  std::string fingerprinted;  // "<stem>.<hash>.<ext>", relative to kUrlPrefix
  std::shared_ptr<const std::string> bytes;
  std::shared_ptr<const std::string> gzip;  // null when not worth it
};

namespace {

bool is_safe_relative(std::string_view rest) {
  return !rest.empty() && rest.front() != '/' && rest.find("..") == std::string_view::npos &&
         rest.find('\\') == std::string_view::npos && rest.find('\0') == std::string_view::npos;
}

// Index of the '.' starting the extension of the last path segment, or npos.
// A leading dot (".htaccess") is part of the stem, not an extension.
std::size_t extension_dot(std::string_view name) {
  std::size_t segment = name.rfind('/');
  segment = segment == std::string_view::npos ? 0 : segment + 1;
  std::size_t dot = name.rfind('.');
  return (dot == std::string_view::npos || dot <= segment) ? std::string_view::npos : dot;
}

std::string content_hash(std::string_view bytes) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[StaticAssets::kHashLength + 1];
  sodium_bin2hex(hex, sizeof hex, digest, StaticAssets::kHashLength / 2);
  return std::string(hex, StaticAssets::kHashLength);
}

bool is_hash(std::string_view text) {
  if (text.size() != StaticAssets::kHashLength) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Response not_found() {
  return Response::text(404, "Not Found\n");
}

}  // namespace

StaticAssets::StaticAssets() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}
StaticAssets::~StaticAssets() = default;
StaticAssets::StaticAssets(StaticAssets&&) noexcept = default;
StaticAssets& StaticAssets::operator=(StaticAssets&&) noexcept = default;

void StaticAssets::add(std::string name, std::string bytes) {
  if (!is_safe_relative(name)) {
    throw std::invalid_argument("static asset name \"" + name + "\" is not a safe relative path");
  }
  auto asset = std::make_unique<Asset>();
  asset->name = name;
  asset->content_type = content_type_for(name);
  asset->hash = content_hash(bytes);
  asset->etag = "\"" + asset->hash + "\"";
  std::size_t dot = extension_dot(name);
  if (dot == std::string::npos) {
    asset->fingerprinted = name + "." + asset->hash;
  } else {
    asset->fingerprinted = name.substr(0, dot) + "." + asset->hash + name.substr(dot);
  }
  if (is_compressible(asset->content_type)) {
    std::string compressed = gzip(bytes, kGzipStaticLevel);
    if (compressed.size() < bytes.size()) {
      asset->gzip = std::make_shared<const std::string>(std::move(compressed));
    }
  }
  asset->bytes = std::make_shared<const std::string>(std::move(bytes));

  if (auto old = by_name_.find(name); old != by_name_.end()) {
    by_fingerprint_.erase(old->second->fingerprinted);
    by_name_.erase(old);
  }
  by_fingerprint_.emplace(asset->fingerprinted, asset.get());
  by_name_.emplace(std::move(name), std::move(asset));
}

bool StaticAssets::contains(std::string_view name) const {
  return by_name_.contains(name);
}

const StaticAssets::Asset& StaticAssets::at(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) {
    throw std::out_of_range("no static asset named \"" + std::string(name) + "\"");
  }
  return *it->second;
}

std::string StaticAssets::url_for(std::string_view name) const {
  return std::string(kUrlPrefix) + at(name).fingerprinted;
}

std::string_view StaticAssets::hash_of(std::string_view name) const {
  return at(name).hash;
}

// "<stem>.<other hash>.<ext>" or "<name>.<other hash>": the asset it names.
const StaticAssets::Asset* StaticAssets::find_stale_fingerprint(std::string_view rest) const {
  std::size_t last = rest.rfind('.');
  if (last == std::string_view::npos) return nullptr;
  // With an extension: the hash sits between the last two dots.
  std::size_t before = last == 0 ? std::string_view::npos : rest.rfind('.', last - 1);
  if (before != std::string_view::npos && is_hash(rest.substr(before + 1, last - before - 1))) {
    std::string name(rest.substr(0, before));
    name.append(rest.substr(last));
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second.get();
  }
  // Without an extension: the hash is the suffix.
  if (is_hash(rest.substr(last + 1))) {
    if (auto it = by_name_.find(rest.substr(0, last)); it != by_name_.end()) {
      return it->second.get();
    }
  }
  return nullptr;
}

Response StaticAssets::serve(const Request& request) const {
  std::string_view path = request.path;
  if (!path.starts_with(kUrlPrefix)) return not_found();
  std::string_view rest = path.substr(kUrlPrefix.size());
  if (!is_safe_relative(rest)) return not_found();

  const Asset* asset = nullptr;
  std::string_view cache_control = kShortCacheControl;
  if (auto it = by_fingerprint_.find(rest); it != by_fingerprint_.end()) {
    asset = it->second;
    cache_control = kImmutableCacheControl;
  } else if (auto named = by_name_.find(rest); named != by_name_.end()) {
    asset = named->second.get();
  } else {
    asset = find_stale_fingerprint(rest);
  }
  if (asset == nullptr) return not_found();

  Response response;
  response.headers.reserve(4);
  if (matches_if_none_match(request, asset->etag)) {
    // A 304 carries the Vary the 200 would have; the server only adds Vary
    // to responses whose Content-Type it can see.
    response.status = 304;
    if (is_compressible(asset->content_type)) {
      response.headers.push_back(Header{"Vary", "Accept-Encoding"});
    }
  } else {
    response.headers.push_back(Header{"Content-Type", std::string(asset->content_type)});
    response.shared_body = asset->bytes;
    response.shared_gzip_body = asset->gzip;
  }
  response.headers.push_back(Header{"Cache-Control", std::string(cache_control)});
  response.headers.push_back(Header{"ETag", asset->etag});
  return response;
}

}  // namespace masthead::http
