// The SQLite schema, as an append-only list of migrations.
//
// Migration i takes `PRAGMA user_version` from i to i+1 inside one
// transaction, so a crash mid-migration leaves the previous version intact.
// Never edit a migration that has shipped: add a new one at the end.
//
// Times are INTEGER Unix seconds (UTC). `content_version` is bumped by
// triggers on every content table, so any process's write is visible to a
// server's page cache (see ArticleStore::content_version). Tables that are
// not content (meters, keys) have no such triggers: writing them must leave
// the page cache alone.
#include <string>

#include "store/sqlite/database.h"
#include "store/sqlite/schema_billing.h"
#include "store/sqlite/schema_mail.h"
#include "store/sqlite/schema_members.h"

namespace masthead::store::sqlite {
namespace {

constexpr const char* kMigrations[] = {
    // 1: the content model.
    R"sql(
CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  menu_order INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  content_type TEXT NOT NULL,
  bytes BLOB NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  section_id INTEGER NOT NULL REFERENCES sections(id),
  kicker TEXT NOT NULL DEFAULT '',
  headline TEXT NOT NULL,
  deck TEXT NOT NULL DEFAULT '',
  dateline TEXT NOT NULL DEFAULT '',
  byline TEXT NOT NULL DEFAULT '',
  image_name TEXT REFERENCES images(name),
  image_alt TEXT NOT NULL DEFAULT '',
  image_caption TEXT NOT NULL DEFAULT '',
  image_credit TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'unpublished')),
  published_at INTEGER,
  updated_at INTEGER NOT NULL,
  free INTEGER NOT NULL DEFAULT 0 CHECK (free IN (0, 1)),
  sponsored_by TEXT NOT NULL DEFAULT '',
  body_markdown TEXT NOT NULL
);
CREATE INDEX articles_by_time ON articles (published_at DESC);
CREATE INDEX articles_by_section ON articles (section_id, published_at DESC);
CREATE TABLE article_authors (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES authors(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_by_author ON article_authors (author_id);
CREATE TABLE article_tags (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id);
CREATE VIRTUAL TABLE article_search USING fts5(
  headline, deck, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE content_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO content_version (id, version) VALUES (1, 0);
CREATE TRIGGER sections_changed AFTER INSERT ON sections BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER sections_updated AFTER UPDATE ON sections BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER sections_deleted AFTER DELETE ON sections BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER articles_changed AFTER INSERT ON articles BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER articles_updated AFTER UPDATE ON articles BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER images_changed AFTER INSERT ON images BEGIN UPDATE content_version SET version = version + 1; END;
CREATE TRIGGER images_updated AFTER UPDATE ON images BEGIN UPDATE content_version SET version = version + 1; END;
)sql",
    // 2: paywall meters, network budgets and signing keys. No content_version
    // triggers (a meter write must not flush the page cache) and no foreign
    // key from meter_views to articles (deleting an article must not be
    // blocked by readers' meters; purge_ended removes the rows with their
    // period). period_end is the period's end, for the purge.
    R"sql(
CREATE TABLE meter_views (
  reader TEXT NOT NULL,
  period TEXT NOT NULL,
  article_id INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  PRIMARY KEY (reader, period, article_id)
) WITHOUT ROWID;
CREATE INDEX meter_views_by_end ON meter_views (period_end);
CREATE TABLE network_views (
  network TEXT NOT NULL,
  period TEXT NOT NULL,
  views INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  PRIMARY KEY (network, period)
) WITHOUT ROWID;
CREATE TABLE secrets (
  id INTEGER PRIMARY KEY,
  purpose TEXT NOT NULL,
  key BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  retire_at INTEGER
);
)sql",
    // 3: readers' accounts, sessions, e-mail tokens, login throttling.
    kMembersSchema,
    // 4: plans, offers, trials, subscriptions, payment-gateway events.
    kBillingSchema,
    // 5: the outbox of mail waiting to be sent.
    kMailSchema,
    // 6: an article's own language (BCP 47); '' is the site's content language.
    R"sql(
ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT '';
)sql",
    // 7: search in two indexes, so that what the paywall withholds is never
    // matched for a reader who may not read it: search_public holds what
    // everyone may see (headline, deck, the lead-in of a metered article),
    // search_full the whole text. search_index remembers the lead-in length
    // the public index was cut with (-1: not built; SqliteArticleStore
    // rebuilds both indexes from the articles when it differs from its own).
    R"sql(
DROP TABLE article_search;
CREATE VIRTUAL TABLE search_public USING fts5(
  headline, deck, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_full USING fts5(
  headline, deck, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE search_index (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  lead_in_paragraphs INTEGER NOT NULL
);
INSERT INTO search_index (id, lead_in_paragraphs) VALUES (1, -1);
)sql",
    // 8: the generation of an account's private feed address; renewing it
    // revokes the feed tokens made for earlier generations.
    R"sql(
ALTER TABLE accounts ADD COLUMN feed_generation INTEGER NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

int latest_schema_version() {
  return static_cast<int>(std::size(kMigrations));
}

void migrate(Connection& connection, int up_to_version) {
  int version;
  {
    Statement s = connection.prepare("PRAGMA user_version");
    s.step();
    version = static_cast<int>(s.int64(0));
  }
  if (version > latest_schema_version())
    throw SqliteError("the database has schema version " + std::to_string(version) +
                          ", newer than this Masthead understands (" +
                          std::to_string(latest_schema_version()) + "); upgrade Masthead",
                      SQLITE_ERROR);
  while (version < up_to_version && version < latest_schema_version()) {
    Transaction tx(connection);
    connection.exec(kMigrations[version]);
    ++version;
    connection.exec("PRAGMA user_version = " + std::to_string(version));
    tx.commit();
  }
}

}  // namespace masthead::store::sqlite
