// join_list / list_joints with icu::ListFormatter; see list_format.h.
#include "render/list_format.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <unicode/listformatter.h>
#include <unicode/unistr.h>

#include "render/locale_id.h"

namespace masthead::render {

namespace {

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw std::invalid_argument(std::string("ICU: ") + what + ": " + u_errorName(status));
}

std::unique_ptr<icu::ListFormatter> and_list(std::string_view locale) {
  const icu::Locale loc = parse_locale_id(locale);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::ListFormatter> formatter(
      icu::ListFormatter::createInstance(loc, ULISTFMT_TYPE_AND, ULISTFMT_WIDTH_WIDE, status));
  check(status, "list formatter");
  return formatter;
}

std::vector<icu::UnicodeString> unicode(const std::vector<std::string>& items) {
  std::vector<icu::UnicodeString> parts;
  parts.reserve(items.size());
  for (const std::string& item : items) parts.push_back(icu::UnicodeString::fromUTF8(item));
  return parts;
}

std::string utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string join_list(std::string_view locale, const std::vector<std::string>& items) {
  if (items.empty()) return "";
  auto formatter = and_list(locale);
  const std::vector<icu::UnicodeString> parts = unicode(items);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString joined;
  formatter->format(parts.data(), static_cast<std::int32_t>(parts.size()), joined, status);
  check(status, "format list");
  return utf8(joined);
}

std::vector<std::string> list_joints(std::string_view locale,
                                     const std::vector<std::string>& items) {
  if (items.empty()) return {""};
  for (const std::string& item : items)
    if (item.empty()) throw std::invalid_argument("list_joints: an empty item");
  auto formatter = and_list(locale);
  const std::vector<icu::UnicodeString> parts = unicode(items);
  UErrorCode status = U_ZERO_ERROR;
  icu::FormattedList list = formatter->formatStringsToValue(
      parts.data(), static_cast<std::int32_t>(parts.size()), status);
  check(status, "format list");
  const icu::UnicodeString text = list.toTempString(status);
  check(status, "format list");

  // Each item is one LIST_SPAN field whose value is the item's index.
  struct Span {
    std::int32_t start, limit;
  };
  std::vector<Span> spans(items.size(), Span{-1, -1});
  icu::ConstrainedFieldPosition position;
  position.constrainCategory(UFIELD_CATEGORY_LIST_SPAN);
  while (list.nextPosition(position, status)) {
    const std::int32_t index = position.getField();
    if (index >= 0 && static_cast<std::size_t>(index) < spans.size())
      spans[static_cast<std::size_t>(index)] = {position.getStart(), position.getLimit()};
  }
  check(status, "list positions");

  std::vector<std::string> joints;
  joints.reserve(items.size() + 1);
  std::int32_t at = 0;
  for (const Span& span : spans) {
    if (span.start < at) throw std::logic_error("ICU: list items out of order");
    joints.push_back(utf8(text.tempSubStringBetween(at, span.start)));
    at = span.limit;
  }
  joints.push_back(utf8(text.tempSubStringBetween(at, text.length())));
  return joints;
}

}  // namespace masthead::render
