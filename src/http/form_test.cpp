// Form bodies: decoding, the Content-Type check, and hostile input.
#include "http/form.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

Request post(std::string content_type, std::string body) {
  Request r;
  r.method = Method::kPost;
  if (!content_type.empty()) r.headers.push_back({"Content-Type", std::move(content_type)});
  r.body = std::move(body);
  return r;
}

TEST(FormTest, DecodesFieldsInOrder) {
  auto parsed = parse_form(post("application/x-www-form-urlencoded; charset=UTF-8",
                                "email=reader%40example.org&password=a+b%2Bc&next=%2Faccount"
                                "&empty=&flag&email=second&name=%E6%97%A5%E6%9C%AC"));
  ASSERT_TRUE(std::holds_alternative<Form>(parsed));
  const Form& form = std::get<Form>(parsed);
  EXPECT_EQ(form.value("email"), "reader@example.org") << "the first of repeated names";
  EXPECT_EQ(form.value("password"), "a b+c");
  EXPECT_EQ(form.value("next"), "/account");
  EXPECT_EQ(form.get("empty"), std::optional<std::string_view>(""));
  EXPECT_EQ(form.get("flag"), std::optional<std::string_view>(""));
  EXPECT_FALSE(form.get("missing"));
  EXPECT_EQ(form.value("name"), "日本");
  EXPECT_EQ(form.fields.size(), 7u);
}

TEST(FormTest, RefusesOtherTypesAndMalformedBodies) {
  struct Case {
    std::string type, body;
    FormError error;
  } cases[] = {
      {"", "a=1", FormError::kNotAForm},
      {"multipart/form-data; boundary=x", "a=1", FormError::kNotAForm},
      {"application/json", "{\"a\":1}", FormError::kNotAForm},
      {"application/x-www-form-urlencoded", "a=%ZZ", FormError::kMalformed},
      {"application/x-www-form-urlencoded", "a=%FF%FE", FormError::kMalformed},
      {"application/x-www-form-urlencoded", "a=%C3", FormError::kMalformed},
  };
  for (const auto& c : cases) {
    auto parsed = parse_form(post(c.type, c.body));
    ASSERT_TRUE(std::holds_alternative<FormError>(parsed)) << c.type << " " << c.body;
    EXPECT_EQ(std::get<FormError>(parsed), c.error) << c.type << " " << c.body;
  }
  std::string many;
  for (std::size_t i = 0; i <= Form::kMaxFields; ++i) many += "f" + std::to_string(i) + "=1&";
  EXPECT_TRUE(std::holds_alternative<FormError>(
      parse_form(post("application/x-www-form-urlencoded", many))));
  EXPECT_TRUE(
      std::holds_alternative<Form>(parse_form(post("Application/X-WWW-Form-Urlencoded", "a=1"))));
}

}  // namespace
}  // namespace masthead::http
