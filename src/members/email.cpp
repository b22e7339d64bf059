// See email.h.
#include "members/email.h"

#include <algorithm>
#include <vector>

#include "base/text.h"

namespace masthead::members {
namespace {

base::Error refuse(std::string message) {
  return base::Error{std::move(message)};
}

}  // namespace

base::Result<std::string> normalize_email(std::string_view typed) {
  if (!base::is_valid_utf8(typed)) return refuse("The e-mail address contains invalid text.");
  const std::string email = base::to_lower_ascii(base::trim(typed));
  if (email.empty()) return refuse("Please enter an e-mail address.");
  for (const char c : email) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f)
      return refuse("An e-mail address cannot contain spaces or control characters.");
    if (std::string_view("\"(),:;<>[\\]").find(c) != std::string_view::npos)
      return refuse(std::string("An e-mail address cannot contain the character ") + c + ".");
  }
  const std::size_t at = email.find('@');
  if (at == std::string::npos) return refuse("An e-mail address needs an @ sign.");
  if (email.find('@', at + 1) != std::string::npos)
    return refuse("An e-mail address can contain only one @ sign.");
  const std::string_view local = std::string_view(email).substr(0, at);
  const std::string_view domain = std::string_view(email).substr(at + 1);
  if (local.empty()) return refuse("The part before the @ sign is missing.");
  if (local.size() > kMaxLocalPartBytes)
    return refuse("The part before the @ sign can be at most 64 characters long.");
  if (domain.empty()) return refuse("The part after the @ sign is missing.");
  if (domain.find('.') == std::string_view::npos)
    return refuse("The part after the @ sign needs a dot, as in example.com.");
  const std::vector<std::string_view> labels = base::split(domain, '.');
  if (std::any_of(labels.begin(), labels.end(), [](std::string_view l) { return l.empty(); }))
    return refuse("The part after the @ sign cannot start or end with a dot or have two in a row.");
  if (email.size() > kMaxEmailBytes)
    return refuse("An e-mail address can be at most 254 characters long.");
  return email;
}

std::string_view local_part(std::string_view normalized_email) {
  const std::size_t at = normalized_email.find('@');
  return at == std::string_view::npos ? std::string_view() : normalized_email.substr(0, at);
}

}  // namespace masthead::members
