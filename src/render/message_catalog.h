// MessageCatalog: the user-interface strings of one locale, as ICU
// MessageFormat patterns compiled once.
//
// What it is. locales/en.toml and locales/ja.toml hold every string a reader
// sees outside article text. Keys are grouped in TOML tables and flattened to
// dotted keys ([article] by = "By {authors}" is "article.by"). Each value is an
// ICU MessageFormat pattern: named arguments ({authors}), plurals and selects
// ({count, plural, one {# article} other {# articles}}). Plural categories and
// number formatting come from ICU's CLDR data for the catalog's locale; nothing
// here knows that English has "one" and Japanese does not.
//
// The key idea: load() does all the checking. A malformed TOML file, a value
// that is not a string, or a pattern ICU cannot parse throws CatalogError
// naming the file, the key and ICU's complaint, so a broken translation stops
// the server at startup, not a page at run time. format() then only looks up a
// compiled pattern and fills it in.
//
// Missing keys. format() of an unknown key returns the key itself
// ("article.share"), visible but harmless on a page. Catch them before that:
// missing_keys(reference) lists keys of the reference catalog (English) that
// this one lacks, and mismatched_arguments(reference) lists keys whose
// patterns use different argument names ("{authors}" vs "{author}"); tests
// and `masthead check` should require both to be empty.
//
// Thread safety: format() is const and may be called from any thread. ICU's
// MessageFormat fills caches (plural rules, number formats) lazily inside its
// const format(), so each compiled message carries its own mutex; two threads
// contend only when formatting the same message at the same moment.
//
// Gotcha: an integer argument in a bare {name} is formatted as a number with
// the locale's grouping, so a year 2026 prints "2,026". Write
// {year, number, ::group-off} in the pattern (as footer.rights does) or pass
// the value as a string.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace masthead::render {

// A catalog that cannot be loaded, or a message that cannot be formatted with
// the arguments given.
class CatalogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One named argument: {"count", 3}, {"publication", "The Meridian Ledger"}.
// Holds views: the strings must outlive the format() call (they always do
// when written inline).
struct MessageArg {
  MessageArg(std::string_view arg_name, std::string_view text) : name(arg_name), value(text) {}
  MessageArg(std::string_view arg_name, const char* text)
      : name(arg_name), value(std::string_view(text)) {}
  MessageArg(std::string_view arg_name, const std::string& text)
      : name(arg_name), value(std::string_view(text)) {}
  template <std::integral Integer>
  requires(!std::same_as<Integer, bool> && !std::same_as<Integer, char>)
      MessageArg(std::string_view arg_name, Integer number)
      : name(arg_name), value(static_cast<std::int64_t>(number)) {}
  MessageArg(std::string_view arg_name, double number) : name(arg_name), value(number) {}

  std::string_view name;
  std::variant<std::string_view, std::int64_t, double> value;
};

class MessageCatalog {
 public:
  // Parses `toml_text` and compiles every pattern for `locale` (a BCP 47 tag
  // such as "en" or "ja-JP"). `source_name` (a file name) only labels errors.
  // Throws CatalogError for malformed TOML, a non-string value or a malformed
  // pattern; std::invalid_argument for a malformed locale id.
  static MessageCatalog load(std::string locale, std::string_view toml_text,
                             std::string_view source_name = "<catalog>");

  MessageCatalog(MessageCatalog&&) noexcept;
  MessageCatalog& operator=(MessageCatalog&&) noexcept;
  ~MessageCatalog();

  const std::string& locale() const { return locale_; }
  bool has(std::string_view key) const;
  std::size_t size() const;
  // All keys, sorted.
  std::vector<std::string> keys() const;

  // Formats message `key` with named arguments. Returns `key` itself when the
  // catalog has no such message. Throws CatalogError when ICU cannot format
  // the pattern with these arguments (a string given to a plural or number).
  std::string format(std::string_view key, std::span<const MessageArg> args) const;
  std::string format(std::string_view key, std::initializer_list<MessageArg> args = {}) const {
    return format(key, std::span<const MessageArg>(args.begin(), args.size()));
  }

  // Keys of `reference` that this catalog lacks, sorted.
  std::vector<std::string> missing_keys(const MessageCatalog& reference) const;
  // Keys present in both whose patterns name different arguments, sorted.
  std::vector<std::string> mismatched_arguments(const MessageCatalog& reference) const;

 private:
  struct Message;

  explicit MessageCatalog(std::string locale);

  std::string locale_;
  std::map<std::string, std::unique_ptr<Message>, std::less<>> messages_;
};

}  // namespace masthead::render
