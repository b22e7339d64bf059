// Migration 5: the outbox of mail waiting to be sent (see migrations.cpp and
// src/mail/outbox.h).
//
// One row per message. `state` is 'queued' until the message is sent (then
// the row is deleted: the outbox is a queue, and its bodies hold single-use
// links) or given up ('failed', kept with last_error for the operator).
// `next_attempt_at` is when a courier may take the row: now for a new row,
// now + backoff after a failure, now + lease while a courier holds it.
// `token` is random (16 bytes, hex) and unique: the left part of the
// Message-ID, the same on every attempt. Times are Unix seconds. No
// content_version trigger: mail is not content.
#pragma once
namespace masthead::store::sqlite {
inline constexpr const char* kMailSchema = R"sql(
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  queued_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE state = 'queued';
)sql";
}  // namespace masthead::store::sqlite
