// Language: the reader's language for words a service writes — mails and
// the phrases of plans and offers — as a catalog, a date formatter (locale
// and the publication's time zone) and the locale id for money and lists.
//
// The web edge picks it per request (Accept-Language among the enabled
// catalogs); work that has no reader in front of it (a webhook) uses the
// publication's default. Both pointers are never null in a Language a
// caller passes.
#pragma once

#include <string>

#include "render/date_format.h"
#include "render/message_catalog.h"

namespace masthead::services {

struct Language {
  const render::MessageCatalog* messages = nullptr;
  const render::DateFormatter* dates = nullptr;
  std::string locale;  // "en-GB", "ja-JP"
};

}  // namespace masthead::services
