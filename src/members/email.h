// E-mail addresses: the one spelling of an address that accounts are keyed by.
//
// What it is. normalize_email() turns what a reader typed into the form the
// store keeps and compares: surrounding white space trimmed, ASCII letters
// lowercased, then checked. Two spellings that differ only in case or
// surrounding spaces are one account; everything else is compared byte for
// byte (no dot or "+tag" folding: those rules belong to a few providers, not
// to e-mail).
//
// The key idea: refuse rather than repair. An address that would need
// quoting, holds white space or control characters inside, or breaks the
// RFC 5321 size limits is refused with a sentence saying why, so that no
// address that reaches the store or a mail header (mail/) can carry a line
// break or a second recipient.
//
// Rules, in the order they are checked (the first broken one is reported):
// valid UTF-8; not empty; no space or control character (below U+0020 and
// DEL) inside; none of the characters " ( ) , : ; < > [ \ ]; exactly one
// '@'; a local part of 1 to 64 bytes; a domain with at least one dot, no
// empty label (no leading, trailing or doubled dot); at most 254 bytes in
// all. Non-ASCII characters (internationalised addresses) are allowed and
// kept as they are; only ASCII letters are folded.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace masthead::members {

inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxLocalPartBytes = 64;

// The normalized address, or an Error whose message is a sentence a reader can act on.
base::Result<std::string> normalize_email(std::string_view typed);

// The part before the '@' of a normalized address ("" when there is none).
std::string_view local_part(std::string_view normalized_email);

}  // namespace masthead::members
