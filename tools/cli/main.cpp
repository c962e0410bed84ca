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
  bench     NAME|FILE.onnx [--batch N] [--threads T] [--precision fp32|bf16] [--iters I]
            [--warmup W] [--no-winograd] [--json]
            Inference speed on this machine: ms/image, images/s, GFLOP/s, % of the
            measured float32 peak, peak RSS (random input; ONNX Runtime beside it:
            bench/inference).

lakes (a lake is a directory: catalog + embeddings; see README):
  init      LAKE [--model NAME]          Creates a lake; NAME is its default model.
  add       LAKE [PATH...] [--model M] [--jobs N] [--batch N] [--max-pixels N] [--max-file-mb N]
            [--auto-tag [--tag-top K] [--tag-min P]]
            Ingests image files and folders (recursive, incremental, resumable). With no PATH,
            embeds the lake's images that lack an embedding for model M. --auto-tag stores the
            top classes (--tag-top 3, probability >= --tag-min 0.05) as label:<class> tags.
  sync      LAKE [--keep-missing]        Removes (or tags 'missing') images whose file is gone.
  search    LAKE (--image FILE | --id N | --path P) [-k 20] [--where EXPR] [--model M] [--json]
            Nearest images by cosine similarity; EXPR filters (docs/filters.md).
  tag       LAKE [--where EXPR] [--add T1,T2] [--remove T3]
  meta      LAKE [--where EXPR] [--set KEY=VALUE] [--unset K1,K2]   User metadata.
  rm        LAKE (--where EXPR | --all)  Removes images from the lake (never from disk).
  export    LAKE [--format npy|csv] [--model M] [--where EXPR] -o OUT
  info      LAKE [--failures]            Counts, models, storage, formats, tags.
  check     LAKE                         Integrity check of catalog, embedding and index files.
  index     LAKE [--model M] [--factory HNSW32,SQ8] [--threads N] [--rebuild]
            Builds (or extends) the model's vector index; search then uses it, and add keeps
            it up to date. Without one, search is exact.

curation (docs/curation.md):
  dups      LAKE [--threshold COSINE] [--hash-distance BITS] [--tiers exact,hash,embedding,near,bovw]
            [-k N] [--json] [--tag TAG | --move DIR]
            Exact and near-duplicate groups with why each pair matched and a suggested keeper
            (largest, then oldest). --not-dup ID1,ID2 / --is-dup ID1,ID2 record a decision.
  outliers  LAKE [-k 10] [--top 20] [--store] [--json]
            The most unique images: distance to the k-th nearest neighbour (1 - cosine);
            --store keeps it as meta.uniqueness for --where.
  map       LAKE -o MAP.png [--coords OUT.json] [--model M] [--where EXPR] [--sample 20000]
            [--method umap|pca] [--thumbs] [--color-by PREFIX] [--size 2048] [--seed N]
            [--threads N]
            Draws a 2-D map of the embeddings: dots coloured by folder (or by the tags
            starting with PREFIX, e.g. cluster:), or thumbnails. Coordinates in [0,1] go to
            OUT.json and LAKE/maps/MODEL.json.
  cluster   LAKE [-k N] [--model M] [--where EXPR] [--seed S] [--json]
            k-means on the model's embeddings (k chosen by silhouette when omitted); tags each
            image cluster:<n> and prints every cluster's size and representative image.
  bovw      train LAKE [--words 1000] [--sample 100000] [--seed S] [--jobs N] [--max-side 160]
            [--grid-step 4]
            Trains a Bag of Visual Words vocabulary (dense RootSIFT + k-means) on the images
            and stores TF-IDF histograms as the lake's model 'bovw' (search with --model bovw).
  bovw      LAKE [--jobs N]              Embeds the images that lack a 'bovw' row.

server (docs/http_api.md):
  serve     LAKE [--host 127.0.0.1] [--port 8080] [--token T] [--read-only] [--threads 8]
            [--max-upload-mb 32] [--max-pixels N] [--ingest-root DIR[,DIR...]]
            The REST API: search (by id, path or uploaded image), images, thumbnails, tags,
            duplicates, map, models, health, metrics. Loopback only unless --host says
            otherwise; writes beyond loopback need --token; --read-only answers writes 403.
            POST /api/ingest adds folders inside an --ingest-root as background jobs.

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
  if (command == "bench") return pixlake::cli::cmd_bench(rest);
  if (command == "init") return pixlake::cli::cmd_init(rest);
  if (command == "add") return pixlake::cli::cmd_add(rest);
  if (command == "sync") return pixlake::cli::cmd_sync(rest);
  if (command == "search") return pixlake::cli::cmd_search(rest);
  if (command == "info") return pixlake::cli::cmd_info(rest);
  if (command == "check") return pixlake::cli::cmd_check(rest);
  if (command == "tag") return pixlake::cli::cmd_tag(rest);
  if (command == "meta") return pixlake::cli::cmd_meta(rest);
  if (command == "rm") return pixlake::cli::cmd_rm(rest);
  if (command == "export") return pixlake::cli::cmd_export(rest);
  if (command == "index") return pixlake::cli::cmd_index(rest);
  if (command == "map") return pixlake::cli::cmd_map(rest);
  if (command == "dups") return pixlake::cli::cmd_dups(rest);
  if (command == "outliers") return pixlake::cli::cmd_outliers(rest);
  if (command == "cluster") return pixlake::cli::cmd_cluster(rest);
  if (command == "bovw") return pixlake::cli::cmd_bovw(rest);
  if (command == "serve") return pixlake::cli::cmd_serve(rest);
  std::fprintf(stderr, "pixlake: unknown command '%s' (see pixlake --help)\n", command.c_str());
  return 2;
}
