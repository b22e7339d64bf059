// See sqlite_secrets.h. Key bytes are BLOBs, bound and read as bytes (a key
// may hold any byte, NUL included).
#include "store/sqlite/sqlite_secrets.h"

#include "base/iso_time.h"

namespace masthead::store::sqlite {

std::vector<StoredKey> SqliteSecrets::keys(std::string_view purpose, base::TimePoint now) const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "SELECT id, key, created_at, retire_at FROM secrets "
        "WHERE purpose = ?1 AND (retire_at IS NULL OR retire_at > ?2) ORDER BY id");
    s.bind(1, purpose).bind(2, base::to_unix_seconds(now));
    std::vector<StoredKey> out;
    while (s.step()) {
      StoredKey k;
      k.id = s.int64(0);
      k.bytes = s.blob(1);
      k.created_at = base::from_unix_seconds(s.int64(2));
      if (!s.is_null(3)) k.retire_at = base::from_unix_seconds(s.int64(3));
      out.push_back(std::move(k));
    }
    return out;
  });
}

StoredKey SqliteSecrets::rotate(std::string_view purpose, std::string_view bytes,
                                base::TimePoint now, std::chrono::seconds grace) {
  const std::int64_t at = base::to_unix_seconds(now);
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare(
         "DELETE FROM secrets WHERE purpose = ?1 AND retire_at IS NOT NULL AND retire_at <= ?2")
        .bind(1, purpose)
        .bind(2, at)
        .run();
    c.prepare("UPDATE secrets SET retire_at = ?2 WHERE purpose = ?1 AND retire_at IS NULL")
        .bind(1, purpose)
        .bind(2, at + grace.count())
        .run();
    c.prepare("INSERT INTO secrets (purpose, key, created_at, retire_at) VALUES (?1, ?2, ?3, NULL)")
        .bind(1, purpose)
        .bind_blob(2, bytes)
        .bind(3, at)
        .run();
    StoredKey key{c.last_insert_id(), std::string(bytes), base::from_unix_seconds(at),
                  std::nullopt};
    tx.commit();
    return key;
  });
}

}  // namespace masthead::store::sqlite
