# Helpers shared by every module's CMakeLists.txt.

# masthead_test(NAME SOURCES... LIBS... [LABEL label]) builds one GoogleTest
# binary and registers each of its test cases with CTest.
#
# LABEL says what kind of test the binary holds; the default, `unit`, is for
# tests that run entirely in the test process (threads, loopback sockets to
# themselves, fork of the test itself, temporary files). The sanitizer pass
# (`make sanitize-test`) runs `ctest -L unit`, so a binary that starts another
# program (tests/tools/smtp_sink.py, tests/tools/fake_stripe.py, the masthead
# binary) is `integration`: that program is not built with the sanitizers and
# the test depends on its interpreter. `timing` is for a binary that prints
# measurements and asserts nothing about them (meaningless under the
# sanitizers). A plain `ctest` runs every label.
function(masthead_test name)
  cmake_parse_arguments(T "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS ${T_LABEL} ENVIRONMENT "MASTHEAD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
