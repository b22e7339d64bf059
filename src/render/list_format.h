// Lists as a reader in one locale writes them: "A, B and C", "A、B、C".
//
// What it is. Pages name several people or things in a row — a byline's
// authors, what a plan includes — and each language joins them its own way:
// en-GB "A, B and C", en-US "A, B, and C" (CLDR's serial comma), ja "A、B、C".
// join_list() asks ICU's ListFormatter (the "and" type, wide width) for the
// locale's pattern, so no " and " is ever written in code.
//
// The key idea: markup that wraps each item (a byline where every name is a
// link) cannot take the joined string, so list_joints() returns the same
// list as the literal text around the items, taken from the field positions
// of ICU's FormattedList. Interleaving joints and items gives join_list()'s
// text exactly; the joints are plain text (not HTML-escaped).
//
// Invariants: items appear in the order given (CLDR's "and" patterns never
// reorder); list_joints(locale, items).size() == items.size() + 1.
//
// Thread safety: each call builds its ICU formatter and shares nothing.
// Errors: a malformed locale id throws std::invalid_argument (locale_id.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead::render {

// The items joined with the locale's "and" list pattern; "" when empty.
std::string join_list(std::string_view locale, const std::vector<std::string>& items);

// The text around each item of join_list(locale, items): joints[0] before
// the first item, joints[i] between items i-1 and i, joints[n] after the
// last; an empty list has one empty joint. The joints are taken from the
// real items, not placeholders: some languages' joints depend on the next
// word (Spanish "Ana e Isabel", not "y"). Throws std::invalid_argument for an
// empty item, which ICU gives no position.
std::vector<std::string> list_joints(std::string_view locale,
                                     const std::vector<std::string>& items);

}  // namespace masthead::render
