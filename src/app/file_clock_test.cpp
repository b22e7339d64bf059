// FileClock: every now() reads the file, so an instant written before a call
// is the instant that call returns (the tests that move a server's clock
// rely on that and never wait); a missing or malformed file keeps the last
// good instant; a first file without one is refused at start.
#include "app/file_clock.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "base/iso_time.h"
#include "base/testing/temp_dir.h"

namespace masthead::app {
namespace {

class FileClockTest : public ::testing::Test {
 protected:
  // Replaces the file whole, as the tests' set_clock() does.
  void write(const std::string& text) {
    const std::filesystem::path tmp = path_.string() + ".tmp";
    std::ofstream(tmp) << text;
    std::filesystem::rename(tmp, path_);
  }
  std::filesystem::path dir_ = base::testing::fresh_temp_dir("masthead-file-clock");
  std::filesystem::path path_ = dir_ / "clock";
  ~FileClockTest() override { std::filesystem::remove_all(dir_); }
};

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

TEST_F(FileClockTest, EachCallSeesTheInstantWrittenBeforeIt) {
  write("2026-12-02T10:00:00Z\n");
  FileClock clock(path_.string());
  EXPECT_EQ(clock.now(), at("2026-12-02T10:00:00Z"));
  for (const char* iso : {"2026-12-02T10:00:01Z", "2026-11-30T14:59:59Z", "2027-01-31T23:59:59Z"}) {
    write(std::string(iso) + "\n");
    EXPECT_EQ(clock.now(), at(iso)) << "no re-read interval to wait for";
  }
}

TEST_F(FileClockTest, ABadFileKeepsTheLastGoodInstant) {
  write("2026-12-02T10:00:00Z");
  FileClock clock(path_.string());
  write("2026-12-0");  // half an instant
  EXPECT_EQ(clock.now(), at("2026-12-02T10:00:00Z"));
  std::filesystem::remove(path_);
  EXPECT_EQ(clock.now(), at("2026-12-02T10:00:00Z"));
  write("  2026-12-03T00:00:00Z  \n");
  EXPECT_EQ(clock.now(), at("2026-12-03T00:00:00Z"));
}

TEST_F(FileClockTest, TheFirstFileMustHoldAnInstant) {
  EXPECT_THROW(FileClock(path_.string()), std::runtime_error) << "missing";
  write("tomorrow");
  EXPECT_THROW(FileClock(path_.string()), std::runtime_error) << "malformed";
}

}  // namespace
}  // namespace masthead::app
