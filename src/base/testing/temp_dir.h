// fresh_temp_dir(): a directory no other test has used, for test databases.
//
// Test processes are many and short-lived, so process ids come round again
// within one CI run; a directory named after the pid can hold a database an
// earlier test left behind, and a test that expects an empty store then
// finds someone else's rows. mkdtemp(3) makes a new directory with a random
// name every time. Test code only.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace masthead::base::testing {

inline std::filesystem::path fresh_temp_dir(std::string_view prefix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

}  // namespace masthead::base::testing
