// The replay driver: runs a fuzz target over saved inputs without libFuzzer.
//
// Every fuzz target is one function, LLVMFuzzerTestOneInput. Under clang
// (`make fuzz`) libFuzzer supplies main() and mutates inputs; here, in the
// normal g++ build and the ASan+UBSan build, this file supplies main() and
// feeds the function every file of the corpus directories named on the
// command line, in sorted order. That is what makes the committed corpus a
// regression suite: each CTest test `fuzz.<name>` replays fuzz/corpus/<name>/
// on every `make test`, so an input that once crashed a parser, once added to
// the corpus, is run forever after.
//
//   <name>_replay FILE_OR_DIRECTORY...   a crash or a failed FUZZ_CHECK fails the run
//
// Invariants: an empty selection is an error (a mistyped path must not pass
// silently), and the file being run is printed before it runs, so the last
// line of a failed test's output names the input that broke it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> collect(const std::vector<std::string>& args) {
  std::vector<fs::path> files;
  for (const std::string& arg : args) {
    const fs::path path(arg);
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (fs::is_regular_file(path)) {
      files.push_back(path);
    } else {
      std::fprintf(stderr, "replay: %s: no such file or directory\n", arg.c_str());
      std::exit(2);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void run_one(const std::string& bytes) {
  // A copy in its own allocation, so AddressSanitizer sees a read one past
  // the end of the input as the overflow it is.
  std::vector<uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  const std::vector<fs::path> files = collect(std::vector<std::string>(argv + 1, argv + argc));
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input files under the paths given\n");
    return 2;
  }
  for (const fs::path& file : files) {
    const std::string bytes = read_file(file);
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), bytes.size());
    run_one(bytes);
  }
  std::fprintf(stderr, "replay: %zu inputs replayed without a crash\n", files.size());
  return 0;
}
