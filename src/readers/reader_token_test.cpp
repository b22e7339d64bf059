// The reader cookie: round trips, tamper resistance (every single-byte edit,
// a foreign key, a retired key), the strict parser (malformed parts signed
// with the right key, so that only the parser can reject them) and the seed
// cookies of the fuzz corpus.
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

#include "readers/reader_token.h"

namespace masthead::readers {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const base::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 18};

KeyBytes filled_key(unsigned char first) {
  KeyBytes key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(first + i);
  return key;
}

KeyRing one_key_ring(std::int64_t id = 1, unsigned char first = 0x10) {
  return KeyRing({SigningKey{id, filled_key(first), std::nullopt}});
}

ReaderToken token_with_id(unsigned char first) {
  ReaderToken token;
  for (std::size_t i = 0; i < token.id.size(); ++i)
    token.id[i] = static_cast<unsigned char>(first + i);
  return token;
}

std::string base64url(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.pop_back();
  return out;
}

// `signed_part` + "." + its correct tag under `key`: a cookie only the parser can reject.
std::string sign_raw(const std::string& signed_part, const KeyBytes& key) {
  EXPECT_GE(sodium_init(), 0);
  unsigned char tag[crypto_auth_BYTES];
  crypto_auth(tag, reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(),
              key.data());
  return signed_part + "." + base64url(std::string_view(reinterpret_cast<char*>(tag), sizeof tag));
}

std::string id_bytes() {
  const ReaderToken token = token_with_id(0x41);
  return std::string(reinterpret_cast<const char*>(token.id.data()), token.id.size());
}

TEST(ReaderToken, RoundTripsWithAndWithoutFirstView) {
  const KeyRing keys = one_key_ring();
  std::vector<ReaderToken> tokens;
  tokens.push_back(token_with_id(0));
  tokens.push_back(token_with_id(0xf0));
  tokens.push_back(ReaderToken::fresh());
  for (const auto& [period, article] :
       std::vector<std::pair<std::string, std::int64_t>>{{"2026-11", 1},
                                                         {"2026-W48", 42},
                                                         {"2026-11-29", 9223372036854775807},
                                                         {"ABCDEFGHIJKLMNOP", 7},
                                                         {"-", 1000000}}) {
    ReaderToken token = token_with_id(0x3a);
    token.first_view = FirstView{period, article};
    tokens.push_back(token);
  }
  for (const ReaderToken& token : tokens) {
    const std::string cookie = seal(token, keys);
    SCOPED_TRACE(cookie);
    const auto opened = open(cookie, keys, kNow);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(*opened, token);
    EXPECT_EQ(seal(*opened, keys), cookie) << "sealing is deterministic";
  }
}

TEST(ReaderToken, CookieHasTheDocumentedShape) {
  ReaderToken token = token_with_id(1);
  token.first_view = FirstView{"2026-11", 12};
  const std::string cookie = seal(token, one_key_ring(7));
  EXPECT_EQ(cookie.rfind("1.7.", 0), 0u) << cookie;
  EXPECT_EQ(std::count(cookie.begin(), cookie.end(), '.'), 3) << cookie;
  for (char c : cookie) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
        << cookie;
  }
  const std::string expected_payload =
      base64url(std::string(reinterpret_cast<const char*>(token.id.data()), 16) + "2026-11:12");
  EXPECT_EQ(cookie.substr(4, expected_payload.size()), expected_payload);
  EXPECT_EQ(cookie.size() - cookie.rfind('.') - 1, 43u) << "a 32-byte tag, unpadded";
}

TEST(ReaderToken, EverySingleByteEditFailsToOpen) {
  const KeyRing keys = one_key_ring();
  ReaderToken with_view = token_with_id(9);
  with_view.first_view = FirstView{"2026-W48", 31337};
  for (const ReaderToken& token : {token_with_id(9), with_view}) {
    const std::string cookie = seal(token, keys);
    ASSERT_TRUE(open(cookie, keys, kNow).has_value());
    for (std::size_t i = 0; i < cookie.size(); ++i) {
      for (int b = 0; b < 256; ++b) {
        if (static_cast<char>(b) == cookie[i]) continue;
        std::string edited = cookie;
        edited[i] = static_cast<char>(b);
        EXPECT_FALSE(open(edited, keys, kNow).has_value()) << "byte " << i << " set to " << b;
      }
      std::string deleted = cookie;
      deleted.erase(i, 1);
      EXPECT_FALSE(open(deleted, keys, kNow).has_value()) << "byte " << i << " deleted";
      EXPECT_FALSE(open(cookie.substr(0, i), keys, kNow).has_value()) << "cut at " << i;
    }
    EXPECT_FALSE(open(cookie + "A", keys, kNow).has_value());
    EXPECT_FALSE(open(cookie + ".", keys, kNow).has_value());
  }
}

TEST(ReaderToken, CookieSealedWithAnotherKeyFails) {
  const std::string cookie = seal(token_with_id(5), one_key_ring(1, 0x10));
  EXPECT_TRUE(open(cookie, one_key_ring(1, 0x10), kNow).has_value());
  EXPECT_FALSE(open(cookie, one_key_ring(1, 0x11), kNow).has_value()) << "same id, other bytes";
  EXPECT_FALSE(open(cookie, one_key_ring(2, 0x10), kNow).has_value()) << "same bytes, other id";
  const KeyRing random({SigningKey{1, generate_key(), std::nullopt}});
  EXPECT_FALSE(open(cookie, random, kNow).has_value());
}

TEST(ReaderToken, RotationKeepsOldCookiesUntilRetireAt) {
  const KeyRing before = one_key_ring(1, 0x10);
  const ReaderToken token = token_with_id(3);
  const std::string old_cookie = seal(token, before);

  const base::TimePoint retire = kNow + hours(24 * 30);
  const KeyRing after(
      {SigningKey{1, filled_key(0x10), retire}, SigningKey{2, filled_key(0x20), std::nullopt}});
  EXPECT_EQ(after.current().id, 2);
  const std::string new_cookie = seal(token, after);
  EXPECT_EQ(new_cookie.rfind("1.2.", 0), 0u) << new_cookie;

  EXPECT_EQ(open(old_cookie, after, kNow), token);
  EXPECT_EQ(open(old_cookie, after, retire - seconds(1)), token);
  EXPECT_FALSE(open(old_cookie, after, retire).has_value()) << "retired from retire_at on";
  EXPECT_FALSE(open(old_cookie, after, retire + hours(1)).has_value());
  EXPECT_EQ(open(new_cookie, after, retire + hours(24 * 365)), token);
  EXPECT_FALSE(open(new_cookie, before, kNow).has_value()) << "the old ring lacks key 2";

  ASSERT_NE(after.verifying(1, retire - seconds(1)), nullptr);
  EXPECT_EQ(after.verifying(1, retire - seconds(1))->id, 1);
  EXPECT_EQ(after.verifying(1, retire), nullptr);
  EXPECT_EQ(after.verifying(3, kNow), nullptr);
  EXPECT_EQ(after.verifying(0, kNow), nullptr);
}

TEST(ReaderToken, KeyRingPicksTheSigningKey) {
  struct Case {
    const char* name;
    std::vector<SigningKey> keys;
    std::int64_t current;
  } cases[] = {
      {"single", {SigningKey{4, filled_key(1), std::nullopt}}, 4},
      {"highest open-ended",
       {SigningKey{2, filled_key(1), std::nullopt}, SigningKey{5, filled_key(2), std::nullopt},
        SigningKey{3, filled_key(3), std::nullopt}},
       5},
      {"a newer key with retire_at does not sign",
       {SigningKey{2, filled_key(1), std::nullopt}, SigningKey{9, filled_key(2), kNow}},
       2},
      {"all retiring: the highest",
       {SigningKey{2, filled_key(1), kNow}, SigningKey{9, filled_key(2), kNow},
        SigningKey{3, filled_key(3), kNow}},
       9},
  };
  for (auto& c : cases) EXPECT_EQ(KeyRing(c.keys).current().id, c.current) << c.name;

  EXPECT_THROW(KeyRing({}), std::invalid_argument);
  EXPECT_THROW(KeyRing({SigningKey{0, filled_key(1), std::nullopt}}), std::invalid_argument);
  EXPECT_THROW(KeyRing({SigningKey{-1, filled_key(1), std::nullopt}}), std::invalid_argument);
  EXPECT_THROW(KeyRing({SigningKey{1, filled_key(1), std::nullopt},
                        SigningKey{1, filled_key(2), std::nullopt}}),
               std::invalid_argument);
}

TEST(ReaderToken, MalformedCookiesSignedWithTheRightKeyAreRejected) {
  const KeyRing keys = one_key_ring(1, 0x10);
  const KeyBytes key = filled_key(0x10);
  const std::string id = id_bytes();
  const auto cookie = [&](std::string version, std::string key_id, std::string payload_b64) {
    return sign_raw(version + "." + key_id + "." + payload_b64, key);
  };
  const auto with_payload = [&](const std::string& payload) {
    return cookie("1", "1", base64url(payload));
  };

  // The controls: the helpers make cookies that open, so each rejection
  // below is the parser's doing.
  ASSERT_TRUE(open(with_payload(id), keys, kNow).has_value());
  const auto control = open(with_payload(id + "2026-W48:17"), keys, kNow);
  ASSERT_TRUE(control.has_value());
  EXPECT_EQ(control->first_view, (FirstView{"2026-W48", 17}));

  const std::string malformed[] = {
      // version and key id
      cookie("2", "1", base64url(id)),
      cookie("01", "1", base64url(id)),
      cookie("", "1", base64url(id)),
      cookie("1", "01", base64url(id)),
      cookie("1", "+1", base64url(id)),
      cookie("1", "1 ", base64url(id)),
      cookie("1", "0", base64url(id)),
      cookie("1", "-1", base64url(id)),
      cookie("1", "", base64url(id)),
      cookie("1", "1a", base64url(id)),
      cookie("1", "99999999999999999999", base64url(id)),
      cookie("1", "9223372036854775808", base64url(id)),
      // payload encoding
      cookie("1", "1", ""),
      cookie("1", "1", base64url(id) + "="),
      cookie("1", "1", base64url(id) + "=="),
      cookie("1", "1", "AAAAAAAAAAAAAAAAAAAAAB"),  // 16 zero bytes but a trailing bit set
      cookie("1", "1", "AAAAAAAAAAAAAAAAAAAA+A"),  // standard, not URL-safe alphabet
      cookie("1", "1", "AAAAAAAAAAAAAAAAAAAA AA"),
      // payload length and first view
      with_payload(""),
      with_payload(id.substr(0, 15)),
      with_payload(id + "x"),
      with_payload(id + ":"),
      with_payload(id + "2026-11"),
      with_payload(id + "2026-11:"),
      with_payload(id + ":5"),
      with_payload(id + "2026-11:0"),
      with_payload(id + "2026-11:-1"),
      with_payload(id + "2026-11:+1"),
      with_payload(id + "2026-11:01"),
      with_payload(id + "2026-11: 5"),
      with_payload(id + "2026-11:5 "),
      with_payload(id + "2026-11:5x"),
      with_payload(id + "2026-11:5:6"),
      with_payload(id + "2026-11:9223372036854775808"),
      with_payload(id + "2026-11:99999999999999999999"),
      with_payload(id + "2026-w48:5"),
      with_payload(id + "2026_11:5"),
      with_payload(id + "2026.11:5"),
      with_payload(id + "ABCDEFGHIJKLMNOPQ:5"),  // a 17-character period key
      with_payload(id + std::string("2026\0", 5) + ":5"),
  };
  for (const std::string& value : malformed) {
    EXPECT_FALSE(open(value, keys, kNow).has_value()) << value;
  }
}

TEST(ReaderToken, MalformedStructureIsRejected) {
  const KeyRing keys = one_key_ring();
  const std::string good = seal(token_with_id(1), keys);
  const std::string tag = good.substr(good.rfind('.') + 1);
  const std::string inputs[] = {
      "",
      ".",
      "...",
      "1",
      "1.1",
      "1.1.AAAA",
      "1.1.." + tag,
      "1..AAAAAAAAAAAAAAAAAAAAAA." + tag,
      "1.1.AAAAAAAAAAAAAAAAAAAAAA." + tag + ".x",
      "1.1.AAAA.AAAA.AAAA." + tag,
      good + std::string(600, 'A'),
      std::string(100000, '.'),
      std::string(513, 'A'),
      "1.1." + std::string(520, 'A') + "." + tag,
      std::string("1.1\0.x.y", 8),
  };
  for (const std::string& value : inputs) {
    EXPECT_FALSE(open(value, keys, kNow).has_value()) << value;
  }
}

TEST(ReaderToken, FreshTokensDifferAndCarryNoFirstView) {
  std::set<std::string> keys;
  for (int i = 0; i < 100; ++i) {
    const ReaderToken token = ReaderToken::fresh();
    EXPECT_FALSE(token.first_view.has_value());
    keys.insert(token.reader_key());
  }
  EXPECT_EQ(keys.size(), 100u);
  EXPECT_NE(generate_key(), generate_key());
}

TEST(ReaderToken, ReaderKeyIsAnonAndLowercaseHex) {
  ReaderToken token;
  for (std::size_t i = 0; i < 16; ++i) token.id[i] = static_cast<unsigned char>(i * 17);
  EXPECT_EQ(token.reader_key(), "anon:00112233445566778899aabbccddeeff");
  token.first_view = FirstView{"2026-11", 1};
  EXPECT_EQ(token.reader_key(), "anon:00112233445566778899aabbccddeeff") << "the id alone";
}

TEST(ReaderToken, SealRefusesAFirstViewItCouldNotOpen) {
  const KeyRing keys = one_key_ring();
  for (const FirstView& view :
       {FirstView{"", 1}, FirstView{"2026-11", 0}, FirstView{"2026-11", -5},
        FirstView{"2026:11", 1}, FirstView{"ABCDEFGHIJKLMNOPQ", 1}, FirstView{"2026-w48", 1}}) {
    ReaderToken token = token_with_id(1);
    token.first_view = view;
    EXPECT_THROW(seal(token, keys), std::invalid_argument) << view.period_key;
  }
}

// The key ring fuzz/reader_token_fuzz.cpp uses; the "valid-*" seeds of its
// corpus were sealed with it and must keep opening.
TEST(ReaderToken, FuzzCorpusSeedsOpenWithTheFuzzKeyRing) {
  const base::TimePoint fuzz_now = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};
  const KeyRing fuzz_keys({SigningKey{1, filled_key(0x00), fuzz_now + hours(24 * 365)},
                           SigningKey{2, filled_key(0x80), std::nullopt}});
  const char* source = std::getenv("MASTHEAD_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "masthead_test sets MASTHEAD_SOURCE_DIR";
  const auto dir = std::filesystem::path(source) / "fuzz/corpus/reader_token_fuzz";
  int valid = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto opened = open(text, fuzz_keys, fuzz_now);
    if (name.rfind("valid-", 0) == 0) {
      ++valid;
      ASSERT_TRUE(opened.has_value()) << name;
      EXPECT_EQ(open(seal(*opened, fuzz_keys), fuzz_keys, fuzz_now), opened) << name;
    } else {
      EXPECT_FALSE(opened.has_value()) << name << " is named as malformed but opens";
    }
  }
  EXPECT_GE(valid, 2);
}

}  // namespace
}  // namespace masthead::readers
