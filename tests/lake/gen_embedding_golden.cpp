// Writes tests/lake/data/embeddings_v1.pxe (run once, when format version 1 was introduced):
//   build/gen_embedding_golden tests/lake/data/embeddings_v1.pxe
#include <cstdio>

#include "golden_embeddings.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.pxe\n", argv[0]);
    return 2;
  }
  pixlake::Status status = pixlake::testing::write_golden_embeddings(argv[1]);
  if (!status.is_ok()) {
    std::fprintf(stderr, "gen_embedding_golden: %s\n", status.to_string().c_str());
    return 1;
  }
  return 0;
}
