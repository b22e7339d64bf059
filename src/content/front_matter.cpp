// See front_matter.h. yaml-cpp parses the front matter; this file only maps
// keys to fields and checks them. Line numbers from yaml-cpp are 0-based and
// relative to the YAML text, which starts on the file's second line.
#include "content/front_matter.h"

#include <unicode/locid.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <set>

#include "base/iso_time.h"
#include "base/text.h"
#include "content/slug.h"

namespace masthead::content {
namespace {

constexpr int kYamlFirstLine = 2;  // the line after the opening "---"

struct Limits {
  std::size_t max;
  bool required;
};

const std::map<std::string, Limits, std::less<>> kTextKeys = {
    {"slug", {100, true}},          {"section", {100, true}},
    {"kicker", {60, false}},        {"headline", {300, true}},
    {"deck", {600, false}},         {"dateline", {120, false}},
    {"byline", {300, false}},       {"image", {500, false}},
    {"image_alt", {500, false}},    {"image_caption", {1000, false}},
    {"image_credit", {300, false}}, {"status", {20, false}},
    {"published_at", {40, false}},  {"sponsored_by", {200, false}},
    {"language", {35, false}},
};
const std::set<std::string, std::less<>> kOtherKeys = {"tags", "free"};

class FileError {
 public:
  explicit FileError(std::string_view source) : source_(source) {}
  base::Error at(int line, std::string_view message) const {
    return {std::string(source_) + ":" + std::to_string(line) + ": " + std::string(message)};
  }
  base::Error at(const YAML::Node& node, std::string_view message) const {
    return at(node.Mark().line + kYamlFirstLine, message);
  }

 private:
  std::string_view source_;
};

// The canonical form of a well-formed BCP 47 tag with a language subtag
// ("EN-gb" -> "en-GB"); empty when ICU cannot read it as one.
std::string canonical_language_tag(const std::string& tag) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus() || locale.getLanguage()[0] == '\0') return "";
  std::string canonical = locale.toLanguageTag<std::string>(status);
  if (U_FAILURE(status) || canonical == "und") return "";
  return canonical;
}

bool has_control_characters(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

base::Result<ArticleFile> parse_article_file(std::string_view text, std::string_view source_name) {
  FileError err(source_name);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  if (text.substr(0, 4) != "---\n" && text.substr(0, 5) != "---\r\n")
    return err.at(1, "the file must start with a '---' line opening the front matter");
  std::size_t yaml_start = text.find('\n') + 1;
  // Find the closing "---" line.
  std::size_t pos = yaml_start;
  std::size_t yaml_end = std::string_view::npos, body_start = 0;
  int line = 2;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view l =
        text.substr(pos, eol == std::string_view::npos ? text.size() - pos : eol - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l == "---") {
      yaml_end = pos;
      body_start = eol == std::string_view::npos ? text.size() : eol + 1;
      break;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
    ++line;
  }
  if (yaml_end == std::string_view::npos)
    return err.at(line, "the front matter is not closed by a '---' line");

  YAML::Node root;
  try {
    root = YAML::Load(std::string(text.substr(yaml_start, yaml_end - yaml_start)));
  } catch (const YAML::Exception& e) {
    return err.at(e.mark.line + kYamlFirstLine, "invalid YAML: " + e.msg);
  }
  if (!root.IsMap()) return err.at(2, "the front matter must be a list of 'key: value' lines");

  ArticleFile file;
  Article& a = file.article;
  std::map<std::string, std::string, std::less<>> text_values;
  std::set<std::string, std::less<>> seen;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) return err.at(kv.first, "keys must be plain words");
    std::string key = kv.first.as<std::string>();
    const YAML::Node& value = kv.second;
    if (!seen.insert(key).second) return err.at(kv.first, "key '" + key + "' appears twice");
    if (auto it = kTextKeys.find(key); it != kTextKeys.end()) {
      if (value.IsNull()) continue;
      if (!value.IsScalar()) return err.at(value, "key '" + key + "': expected a single value");
      std::string v(base::trim(value.Scalar()));
      if (v.size() > it->second.max)
        return err.at(value, "key '" + key + "': longer than " + std::to_string(it->second.max) +
                                 " characters");
      if (has_control_characters(v))
        return err.at(value, "key '" + key + "': contains a line break or control character");
      text_values[key] = v;
      continue;
    }
    if (key == "tags") {
      std::vector<std::string> names;
      if (value.IsSequence()) {
        for (const auto& item : value) {
          if (!item.IsScalar())
            return err.at(item, "key 'tags': each tag must be a word or phrase");
          names.emplace_back(base::trim(item.Scalar()));
        }
      } else if (value.IsScalar()) {
        for (auto part : base::split(value.Scalar(), ',')) names.emplace_back(base::trim(part));
      } else if (!value.IsNull()) {
        return err.at(value, "key 'tags': expected a list like [Trade, Energy]");
      }
      for (const auto& name : names) {
        if (name.empty()) continue;
        if (name.size() > 60 || has_control_characters(name))
          return err.at(value,
                        "key 'tags': tag '" + name.substr(0, 60) + "' is too long or malformed");
        Tag tag{slugify(name), name};
        bool dup = false;
        for (const auto& t : a.tags) dup = dup || t.slug == tag.slug;
        if (!dup) a.tags.push_back(std::move(tag));
      }
      if (a.tags.size() > 20) return err.at(value, "key 'tags': at most 20 tags");
      continue;
    }
    if (key == "free") {
      if (!value.IsScalar()) return err.at(value, "key 'free': expected true or false");
      std::string v = base::to_lower_ascii(value.Scalar());
      if (v == "true" || v == "yes")
        a.free = true;
      else if (v == "false" || v == "no")
        a.free = false;
      else
        return err.at(value, "key 'free': expected true or false, not '" + value.Scalar() + "'");
      continue;
    }
    return err.at(kv.first, "unknown key '" + key + "'");
  }

  for (const auto& [key, limits] : kTextKeys) {
    if (limits.required && text_values[key].empty())
      return err.at(2, "key '" + key + "' is required");
  }
  auto get = [&](std::string_view key) { return text_values[std::string(key)]; };
  auto line_of = [&](std::string_view key) {
    const YAML::Node node = root[std::string(key)];
    return node ? node.Mark().line + kYamlFirstLine : 2;
  };
  a.slug = get("slug");
  if (!is_valid_slug(a.slug))
    return err.at(line_of("slug"),
                  "key 'slug': '" + a.slug +
                      "' is not a slug (lowercase letters, digits and single hyphens)");
  a.section = get("section");
  if (!is_valid_slug(a.section))
    return err.at(line_of("section"), "key 'section': '" + a.section + "' is not a section slug");
  a.kicker = get("kicker");
  a.headline = get("headline");
  a.deck = get("deck");
  a.dateline = get("dateline");
  a.byline = get("byline");
  a.authors = authors_from_byline(a.byline);
  a.sponsored_by = get("sponsored_by");
  if (std::string language = get("language"); !language.empty()) {
    a.language = canonical_language_tag(language);
    if (a.language.empty())
      return err.at(line_of("language"),
                    "key 'language': '" + language + "' is not a language tag like en or ja-JP");
  }
  file.image_path = get("image");
  a.image.alt = get("image_alt");
  a.image.caption = get("image_caption");
  a.image.credit = get("image_credit");
  if (!file.image_path.empty() && a.image.alt.empty())
    return err.at(line_of("image"),
                  "key 'image_alt': required with 'image' (describe the picture for readers who "
                  "cannot see it)");

  std::string status = get("status");
  if (status.empty()) status = "draft";
  auto parsed_status = parse_status(status);
  if (!parsed_status)
    return err.at(
        line_of("status"),
        "key 'status': '" + status + "' is not one of draft, scheduled, published, unpublished");
  a.status = *parsed_status;
  std::string published = get("published_at");
  if (!published.empty()) {
    auto t = base::parse_iso8601(published);
    if (!t)
      return err.at(line_of("published_at"),
                    "key 'published_at': '" + published +
                        "' is not an ISO 8601 time like 2026-11-18T07:30:00Z");
    a.published_at = *t;
  } else if (a.status == Status::kScheduled) {
    return err.at(line_of("status"), "key 'published_at' is required for a scheduled article");
  }

  a.body_markdown = std::string(text.substr(body_start));
  if (base::trim(a.body_markdown).empty())
    return err.at(line + 1, "the article has no body after the front matter");
  if (a.body_markdown.size() > 1024 * 1024)
    return err.at(line + 1, "the body is larger than 1 MiB");
  return file;
}

}  // namespace masthead::content
