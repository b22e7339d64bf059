// Result<T>: a value or an Error, for outcomes a caller is expected to handle.
//
// g++ 12 has no std::expected, so this is the small part of it Masthead needs,
// with the same member names (has_value, value, error, operator bool) so that
// moving to std::expected later is a rename. Exceptions remain for bugs and for
// failures nobody can handle locally (a database that cannot be opened);
// Result is for input that can be wrong (a front matter key, a config value).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace masthead::base {

struct Error {
  std::string message;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value() && "value() on an error Result");
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value() && "value() on an error Result");
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value() && "value() on an error Result");
    return std::get<0>(std::move(state_));
  }
  const Error& error() const {
    assert(!has_value() && "error() on a Result holding a value");
    return std::get<1>(state_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace masthead::base
