// libFuzzer target: arbitrary bytes as a Bag-of-Visual-Words vocabulary file (LAKE/bovw/).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "curate/bovw_vocabulary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/pixlake_fuzz_vocab_" + std::to_string(getpid()) + ".pxv";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto vocabulary = pixlake::load_bovw_vocabulary(path);
  (void)vocabulary;
  return 0;
}
