// Image names: the stored file names of hero images, made from their bytes.
//
// What it is. A hero image is served at /media/<name>. Its name is the
// article's slug, a digest of the bytes and the file's extension:
// "harbour-cranes.3f9a0c7d12e4b865.svg". The digest is the first 16 hex
// digits (64 bits) of BLAKE2b-256 over the bytes (libsodium, as the static
// assets' fingerprints), so a new picture for the same article gets a new
// name, and a name never comes to mean other bytes.
//
// The key idea: a content-addressed URL may be cached for ever (a year,
// `immutable`). Browsers and CDNs keep the picture without asking again, and
// replacing it changes the URL in the pages that show it; the old name keeps
// answering its old bytes for pages still cached elsewhere.
//
// Invariant: is_content_addressed_image(name, bytes) is true exactly when
// `name` has the shape above and its digest is the digest of `bytes`. A slug
// has no dot, so the shape cannot be mistaken. Names stored before images
// were named this way ("harbour-cranes.svg") are not content-addressed and
// are served with a short lifetime and ETag revalidation.
#pragma once

#include <string>
#include <string_view>

namespace masthead::content {

// The first 16 hex digits of BLAKE2b-256 of `bytes`.
std::string image_digest(std::string_view bytes);

// "<stem>.<digest>.<extension>", or "<stem>.<digest>" without an extension.
std::string content_addressed_image_name(std::string_view stem, std::string_view extension,
                                         std::string_view bytes);

// True when `name` is content_addressed_image_name(stem, extension, bytes)
// for some stem and extension, i.e. its digest matches these bytes.
bool is_content_addressed_image(std::string_view name, std::string_view bytes);

}  // namespace masthead::content
