// Fuzz target: the TOML configuration file (app::load_config).
//
// The config file is operator-written, not attacker-written, but it is read
// by a server that may run as a privileged service, and a crash on a typo is
// the wrong answer: load_config promises a message naming the key and line
// for every mistake. load_config takes a path, so each input is written to one
// temporary file (made once per process, rewritten per input, removed at
// exit) and loaded with an empty environment.
//
// Checked beyond "never crashes or throws": on success every value is within
// the limits config.cpp's key table declares, and an error names the file.
// toml++ is a system library without coverage instrumentation; the seeds are
// the shipped config/ files.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "app/config.h"
#include "fuzz/fuzz_check.h"

namespace {

class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/masthead-config-fuzz-XXXXXX";
    fd_ = mkstemp(path_.data());
    FUZZ_CHECK(fd_ >= 0, "mkstemp: cannot create the temporary config file");
  }
  ~TempFile() {
    close(fd_);
    unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

  void write(const uint8_t* data, size_t size) {
    FUZZ_CHECK(ftruncate(fd_, 0) == 0, "ftruncate");
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      FUZZ_CHECK(n > 0, "pwrite");
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static TempFile file;  // destroyed at exit, which removes it
  file.write(data, size);

  const auto result = masthead::app::load_config(file.path(), {});
  if (!result) {
    FUZZ_CHECK(result.error().message.starts_with(file.path() + ":"), "errors name the file");
    return 0;
  }
  const masthead::app::Config& c = result.value();
  FUZZ_CHECK(!c.site.name.empty() && !c.site.locale.empty() && !c.site.timezone.empty(),
             "required site strings are not empty");
  FUZZ_CHECK(c.site.base_url.starts_with("http://") || c.site.base_url.starts_with("https://"),
             "base_url is http(s)");
  FUZZ_CHECK(!c.site.base_url.ends_with("/"), "base_url has no trailing slash");
  FUZZ_CHECK(c.site.page_size >= 1 && c.site.page_size <= 100, "page_size in 1..100");
  FUZZ_CHECK(!c.server.bind.empty() && !c.server.access_log.empty() && !c.database.path.empty(),
             "required server strings are not empty");
  FUZZ_CHECK(c.server.port >= 0 && c.server.port <= 65535, "port in 0..65535");
  FUZZ_CHECK(c.server.threads >= 0 && c.server.threads <= 256, "threads in 0..256");
  FUZZ_CHECK(c.server.max_header_bytes >= 1024 && c.server.max_header_bytes <= (1 << 20),
             "max_header_bytes in 1 KiB..1 MiB");
  FUZZ_CHECK(c.server.max_body_bytes >= 0 && c.server.max_body_bytes <= (1LL << 30),
             "max_body_bytes in 0..1 GiB");
  FUZZ_CHECK(c.server.request_timeout_ms >= 100 && c.server.request_timeout_ms <= 3600000,
             "request_timeout_ms in 100..3600000");
  FUZZ_CHECK(c.server.idle_timeout_ms >= 100 && c.server.idle_timeout_ms <= 3600000,
             "idle_timeout_ms in 100..3600000");
  return 0;
}
