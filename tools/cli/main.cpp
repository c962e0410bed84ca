// pixlake command-line tool: a thin layer over src/service.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

constexpr const char* kUsage = R"(usage: pixlake <command> [options]

commands:
  embed     --model NAME|FILE.onnx [--layer TENSOR] [--batch N] [--list FILE] IMAGES... -o OUT.npy
            Embeds images: one L2-normalised row per image in OUT.npy, the image order in
            OUT.npy.txt (one path a line). --list reads more image paths from FILE.
  classify  --model NAME|FILE.onnx [--top K] [--json] IMAGES...
            Prints the top K classes of each image with probabilities.
  models    [NAME|FILE.onnx]
            Lists the registered models; with a name, shows its preprocessing, inputs,
            outputs and every layer (tensor) usable with --layer.

Models are looked up in $PIXLAKE_MODELS, $PIXLAKE_DATA/models and ~/.cache/pixlake/models.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  if (command == "embed") return pixlake::cli::cmd_embed(rest);
  if (command == "classify") return pixlake::cli::cmd_classify(rest);
  if (command == "models") return pixlake::cli::cmd_models(rest);
  std::fprintf(stderr, "pixlake: unknown command '%s' (see pixlake --help)\n", command.c_str());
  return 2;
}
