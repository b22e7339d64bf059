// See article.h.
#include "content/article.h"

#include "base/text.h"
#include "content/slug.h"

namespace masthead::content {

std::string_view status_name(Status status) {
  switch (status) {
    case Status::kDraft:
      return "draft";
    case Status::kScheduled:
      return "scheduled";
    case Status::kPublished:
      return "published";
    case Status::kUnpublished:
      return "unpublished";
  }
  return "draft";
}

std::optional<Status> parse_status(std::string_view name) {
  for (Status s : {Status::kDraft, Status::kScheduled, Status::kPublished, Status::kUnpublished})
    if (status_name(s) == name) return s;
  return std::nullopt;
}

bool Article::is_visible(base::TimePoint now) const {
  if (!published_at) return false;
  if (status == Status::kPublished) return true;
  return status == Status::kScheduled && *published_at <= now;
}

std::vector<Author> authors_from_byline(std::string_view byline) {
  // "A, B and C" -> A | B | C. Commas first, then " and " inside each part.
  std::vector<Author> authors;
  for (std::string_view part : base::split(byline, ',')) {
    std::string_view rest = base::trim(part);
    if (rest.substr(0, 4) == "and ") rest.remove_prefix(4);
    while (!rest.empty()) {
      std::size_t and_at = rest.find(" and ");
      std::string_view name = base::trim(rest.substr(0, and_at));
      if (!name.empty()) authors.push_back({slugify(name), std::string(name)});
      if (and_at == std::string_view::npos) break;
      rest.remove_prefix(and_at + 5);
    }
  }
  return authors;
}

}  // namespace masthead::content
