// Fuzz target: article files (YAML front matter + Markdown body).
//
// parse_article_file reads files a newsroom hands to `masthead article add`
// and `masthead import`, so its input is whatever an editor's tool, a
// migration script or an attacker with upload rights produces. The contract
// checked here: it never crashes and never throws (every problem is a
// base::Error naming the file), and what it accepts obeys the rules the
// stores and URLs rely on — the article, section, tag and author slugs are
// valid slugs, required fields are present and the limits in
// front_matter.cpp hold.
//
// yaml-cpp does the YAML itself; it is a system library built without
// coverage instrumentation, so libFuzzer steers by our mapping code only. The
// seed corpus (two demo articles and a few hand-written edge cases) carries
// the YAML shapes that matter.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "content/front_matter.h"
#include "content/slug.h"
#include "fuzz/fuzz_check.h"

namespace {

using masthead::content::is_valid_slug;

bool has_control_characters(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kSource = "fuzz.md";
  const auto result = masthead::content::parse_article_file(text, kSource);
  if (!result) {
    FUZZ_CHECK(result.error().message.starts_with("fuzz.md:"), "errors name the file");
    return 0;
  }

  const masthead::content::Article& a = result->article;
  FUZZ_CHECK(is_valid_slug(a.slug), "an accepted article has a valid slug");
  FUZZ_CHECK(is_valid_slug(a.section), "an accepted article has a valid section slug");
  FUZZ_CHECK(!a.headline.empty() && a.headline.size() <= 300, "headline is required, <= 300");
  FUZZ_CHECK(!has_control_characters(a.headline), "headline has no control characters");
  FUZZ_CHECK(!has_control_characters(a.byline), "byline has no control characters");
  FUZZ_CHECK(a.tags.size() <= 20, "at most 20 tags");
  for (const auto& tag : a.tags) {
    FUZZ_CHECK(is_valid_slug(tag.slug), "tag slugs are valid slugs");
    FUZZ_CHECK(!tag.name.empty() && tag.name.size() <= 60, "tag names are 1-60 bytes");
  }
  for (const auto& author : a.authors) {
    FUZZ_CHECK(is_valid_slug(author.slug), "author slugs are valid slugs");
    FUZZ_CHECK(!author.name.empty(), "authors have names");
  }
  FUZZ_CHECK(result->image_path.empty() || !a.image.alt.empty(), "an image needs alt text");
  FUZZ_CHECK(a.status != masthead::content::Status::kScheduled || a.published_at.has_value(),
             "a scheduled article has a publication time");
  FUZZ_CHECK(!a.body_markdown.empty() && a.body_markdown.size() <= 1024 * 1024,
             "the body is present and at most 1 MiB");
  FUZZ_CHECK(text.ends_with(a.body_markdown), "the body is the end of the file, unchanged");
  return 0;
}
