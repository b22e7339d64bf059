// Config: everything an operator can set, from a TOML file and the environment.
//
// Every key has a default, may be set in the file, and may be overridden by
// an environment variable named MASTHEAD_<TABLE>_<KEY> (MASTHEAD_SERVER_PORT,
// MASTHEAD_SITE_NAME). Mistakes are reported, never ignored: an unknown table
// or key, a value of the wrong type or out of range, or a MASTHEAD_ variable
// naming no key fails loading with a message that names the key and the file
// line. The table of keys below (config.cpp) is the single source of truth;
// config/masthead.example.toml documents it for operators.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/result.h"

namespace masthead::app {

struct Config {
  struct Site {
    std::string name = "Masthead";
    std::string base_url = "http://localhost:8080";
    std::string description = "News, analysis and opinion.";
    std::string locale = "en-US";
    std::string timezone = "UTC";
    std::int64_t page_size = 10;
  } site;
  struct Server {
    std::string bind = "127.0.0.1";
    std::int64_t port = 8080;
    std::int64_t threads = 0;
    std::int64_t max_header_bytes = 16 * 1024;
    std::int64_t max_body_bytes = 1024 * 1024;
    std::int64_t request_timeout_ms = 15000;
    std::int64_t idle_timeout_ms = 60000;
    std::string access_log = "-";  // "-" standard error, "off", or a file path
  } server;
  struct Database {
    std::string path = "data/masthead.db";
  } database;
};

// Loads `path` (empty: defaults only) and then the environment (`env`, as
// name -> value; pass the process environment in production).
base::Result<Config> load_config(const std::string& path,
                                 const std::map<std::string, std::string>& env);

// The process environment's MASTHEAD_* variables.
std::map<std::string, std::string> masthead_environment();

}  // namespace masthead::app
