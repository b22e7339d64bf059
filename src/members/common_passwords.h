// The embedded common-password list (common_passwords.txt), for password.cpp
// and its test.
//
// The list is a data file kept in the source tree and compiled in as one
// string literal (CMakeLists.txt, common_passwords.cpp.in), so the binary
// reads nothing at run time. common_passwords() parses it once, on first
// use: one password per line, '#' comments and blank lines skipped, sorted
// for binary search. Entries are lowercase; callers fold ASCII case first.
#pragma once

#include <span>
#include <string_view>

namespace masthead::members::detail {

// The raw text of common_passwords.txt (generated source file).
std::string_view common_password_list_text();

// The entries, sorted, each a view into the static text. Thread-safe.
std::span<const std::string_view> common_passwords();

// True when the ASCII-lowercased `password` is on the list.
bool is_common_password(std::string_view password);

}  // namespace masthead::members::detail
