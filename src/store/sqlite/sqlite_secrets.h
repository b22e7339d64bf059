// SqliteSecrets: signing keys kept in the database, rotated with a grace
// period.
//
// What it is. Signed values (the anonymous reader's cookie, later sessions
// and links in e-mails) need keys that every process sharing the database
// agrees on and that survive restarts. Each key has a `purpose` ("reader-
// token", ...), the bytes, when it was made and, once a newer key replaced
// it, when it stops verifying. This file knows nothing of what the keys sign:
// it deals in bytes and times only, so that no module's types leak into the
// store and the callers (readers/, later members/) wrap it as they like.
//
// The key idea: rotation never invalidates what is already signed. rotate()
// adds the new current key (signing always uses the newest: the highest id),
// gives every older key of that purpose that has no end yet retire_at = now +
// grace (they keep verifying until then), and deletes keys whose retire_at
// has passed, all in one transaction. keys() answers with the keys that still
// verify, oldest first, so the current key is the last.
//
// Invariants: ids only grow (the newest key of a purpose is never deleted, so
// SQLite never reuses the highest id; a signature that names its key id can
// never meet a different key under the same id); at most one key per purpose
// has no retire_at after a rotate(). Times are whole Unix seconds: the
// returned created_at is `now` truncated to the second, as keys() reads it
// back.
//
// Durability: writes go through the pool's synchronous=FULL connections.
// Unlike meter views, keys are never relaxed: losing a rotation on power loss
// would leave cookies signed with a key that no longer exists.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

struct StoredKey {
  std::int64_t id = 0;
  std::string bytes;
  base::TimePoint created_at;
  std::optional<base::TimePoint> retire_at;  // empty: the current key
};

class SqliteSecrets {
 public:
  explicit SqliteSecrets(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  // Keys of `purpose` that still verify at `now` (retire_at empty or > now), by id ascending.
  std::vector<StoredKey> keys(std::string_view purpose, base::TimePoint now) const;

  // Adds `bytes` as the new current key of `purpose`; every earlier key of that purpose without
  // retire_at gets retire_at = now + grace; keys retired at or before now are deleted. One
  // transaction (synchronous=FULL: keys are never relaxed). Returns the new key.
  StoredKey rotate(std::string_view purpose, std::string_view bytes, base::TimePoint now,
                   std::chrono::seconds grace);

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace masthead::store::sqlite
