// See file_clock.h.
#include "app/file_clock.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/iso_time.h"
#include "base/text.h"

namespace masthead::app {

FileClock::FileClock(std::string path) : path_(std::move(path)) {
  if (!read()) throw std::runtime_error("--clock-file " + path_ + ": expected an ISO 8601 instant");
}

bool FileClock::read() const {
  std::ifstream in(path_);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  auto instant = base::parse_iso8601(base::trim(text.str()));
  if (!instant) return false;
  now_ = *instant;
  return true;
}

base::TimePoint FileClock::now() const {
  std::lock_guard lock(mutex_);
  read();  // on failure now_ keeps the last good instant
  return now_;
}

}  // namespace masthead::app
