// MessageCatalog: TOML -> flattened keys -> compiled icu::MessageFormat. See
// message_catalog.h for the contract.
#include "render/message_catalog.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/parseerr.h>
#include <unicode/unistr.h>

#include "render/locale_id.h"

namespace masthead::render {

namespace {

icu::UnicodeString to_unicode(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string to_utf8(const char16_t* s) {
  return to_utf8(icu::UnicodeString(s));
}

const char* type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::array:
      return "an array";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    default:
      return "a value that is not a string";
  }
}

}  // namespace

struct MessageCatalog::Message {
  std::unique_ptr<icu::MessageFormat> format;
  std::set<std::string> argument_names;
  std::mutex mutex;  // icu::MessageFormat::format fills caches lazily
};

namespace {

// Builds one catalog from a parsed TOML document.
class CatalogLoader {
 public:
  CatalogLoader(const icu::Locale& locale, std::string_view source_name)
      : locale_(locale), source_name_(source_name) {}

  template <typename Messages>
  void flatten(const toml::table& table, const std::string& prefix, Messages& messages) {
    for (const auto& [name, node] : table) {
      const std::string key =
          prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
      if (const toml::table* sub = node.as_table()) {
        flatten(*sub, key, messages);
      } else if (const toml::value<std::string>* text = node.as_string()) {
        if (messages.count(key) != 0) fail(node, key, "defined twice");
        using Message = typename Messages::mapped_type::element_type;
        messages.emplace(key, compile<Message>(key, text->get(), node));
      } else {
        fail(node, key, std::string("expected a message string, found ") + type_name(node.type()));
      }
    }
  }

 private:
  template <typename Message>
  std::unique_ptr<Message> compile(const std::string& key, const std::string& pattern,
                                   const toml::node& node) {
    auto message = std::make_unique<Message>();
    const icu::UnicodeString text = to_unicode(pattern);
    UParseError parse_error{};
    UErrorCode status = U_ZERO_ERROR;
    const icu::MessagePattern parsed(text, &parse_error, status);
    if (U_FAILURE(status)) {
      // ICU's offset counts UTF-16 units; the text around it is more useful.
      fail(node, key,
           fmt::format("malformed message pattern ({}) near \"{}{}\"", u_errorName(status),
                       to_utf8(parse_error.preContext), to_utf8(parse_error.postContext)));
    }
    for (int32_t i = 0; i < parsed.countParts(); ++i) {
      const icu::MessagePattern::Part& part = parsed.getPart(i);
      if (part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
        fail(node, key,
             "numbered argument {" + to_utf8(parsed.getSubstring(part)) +
                 "}: use named arguments such as {count}");
      }
      if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME) {
        message->argument_names.insert(to_utf8(parsed.getSubstring(part)));
      }
    }
    message->format = std::make_unique<icu::MessageFormat>(text, locale_, parse_error, status);
    if (U_FAILURE(status)) {
      fail(node, key, fmt::format("ICU cannot compile the message: {}", u_errorName(status)));
    }
    return message;
  }

  [[noreturn]] void fail(const toml::node& node, const std::string& key,
                         const std::string& problem) const {
    const toml::source_position where = node.source().begin;
    throw CatalogError(fmt::format("{}:{}:{}: key '{}': {}", source_name_, where.line, where.column,
                                   key, problem));
  }

  const icu::Locale& locale_;
  std::string_view source_name_;
};

}  // namespace

MessageCatalog::MessageCatalog(std::string locale) : locale_(std::move(locale)) {}
MessageCatalog::MessageCatalog(MessageCatalog&&) noexcept = default;
MessageCatalog& MessageCatalog::operator=(MessageCatalog&&) noexcept = default;
MessageCatalog::~MessageCatalog() = default;

MessageCatalog MessageCatalog::load(std::string locale, std::string_view toml_text,
                                    std::string_view source_name) {
  const icu::Locale icu_locale = parse_locale_id(locale);
  toml::table table;
  try {
    table = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    const toml::source_position where = e.source().begin;
    throw CatalogError(fmt::format("{}:{}:{}: malformed TOML: {}", source_name, where.line,
                                   where.column, e.description()));
  }
  UErrorCode status = U_ZERO_ERROR;
  std::string tag = icu_locale.toLanguageTag<std::string>(status);
  if (U_FAILURE(status)) tag = locale;
  MessageCatalog catalog(std::move(tag));
  CatalogLoader(icu_locale, source_name).flatten(table, "", catalog.messages_);
  return catalog;
}

bool MessageCatalog::has(std::string_view key) const {
  return messages_.find(key) != messages_.end();
}

std::size_t MessageCatalog::size() const {
  return messages_.size();
}

std::vector<std::string> MessageCatalog::keys() const {
  std::vector<std::string> keys;
  keys.reserve(messages_.size());
  for (const auto& [key, message] : messages_) keys.push_back(key);
  return keys;
}

std::string MessageCatalog::format(std::string_view key, std::span<const MessageArg> args) const {
  const auto found = messages_.find(key);
  if (found == messages_.end()) return std::string(key);
  Message& message = *found->second;

  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const MessageArg& arg : args) {
    names.push_back(to_unicode(arg.name));
    if (const auto* text = std::get_if<std::string_view>(&arg.value)) {
      values.emplace_back(to_unicode(*text));
    } else if (const auto* integer = std::get_if<std::int64_t>(&arg.value)) {
      values.emplace_back(static_cast<int64_t>(*integer));
    } else {
      values.emplace_back(std::get<double>(arg.value));
    }
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  {
    std::lock_guard lock(message.mutex);
    message.format->format(names.data(), values.data(), static_cast<int32_t>(args.size()), out,
                           status);
  }
  if (U_FAILURE(status)) {
    throw CatalogError(fmt::format("message '{}' ({}): cannot format with the given arguments: {}",
                                   key, locale_, u_errorName(status)));
  }
  return to_utf8(out);
}

std::vector<std::string> MessageCatalog::missing_keys(const MessageCatalog& reference) const {
  std::vector<std::string> missing;
  for (const auto& [key, message] : reference.messages_) {
    if (!has(key)) missing.push_back(key);
  }
  return missing;
}

std::vector<std::string> MessageCatalog::mismatched_arguments(
    const MessageCatalog& reference) const {
  std::vector<std::string> mismatched;
  for (const auto& [key, message] : reference.messages_) {
    const auto found = messages_.find(key);
    if (found != messages_.end() && found->second->argument_names != message->argument_names) {
      mismatched.push_back(key);
    }
  }
  return mismatched;
}

}  // namespace masthead::render
