// FUZZ_CHECK: the invariant assertion every fuzz target uses.
//
// A fuzz target proves two things about a parser of untrusted input: it never
// crashes, and what it accepts obeys the rules its header promises. The first
// is the sanitizers' job; this macro is the second. A broken invariant prints
// what failed and where, then aborts, which libFuzzer records as a crash (and
// saves the input) and the replay driver turns into a failed CTest test.
//
// Deliberately not <cassert>: asserts vanish under NDEBUG, and the normal
// build is RelWithDebInfo. Keep the conditions cheap; they run on every input.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace masthead::fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* why, const char* file,
                                      int line) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", file, line, condition, why);
  std::fflush(stderr);
  std::abort();
}

}  // namespace masthead::fuzz

#define FUZZ_CHECK(condition, why) \
  ((condition) ? (void)0 : ::masthead::fuzz::check_failed(#condition, why, __FILE__, __LINE__))
