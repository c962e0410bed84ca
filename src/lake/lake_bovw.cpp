#include "lake/lake_bovw.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <numeric>
#include <random>
#include <thread>

#include "core/blas_threads.h"
#include "core/sha256.h"
#include "curate/bovw_histogram.h"
#include "curate/bovw_vocabulary.h"
#include "curate/kmeans.h"

namespace pixlake {

namespace {

using Clock = std::chrono::steady_clock;

// Descriptors k-means trains on are spread over at least sample / this many images, so that
// the vocabulary sees many pictures rather than all the keypoints of a few.
constexpr int64_t kTrainingDescriptorsPerImage = 50;
constexpr int kTrainingIterations = 20;

struct ImageJob {
  int64_t id;
  std::string path;
};

// Runs fn(i) for i in [0, n) on `jobs` threads (the calling thread is one of them).
template <typename Fn>
void parallel_for(int64_t n, int jobs, const Fn& fn) {
  std::atomic<int64_t> next{0};
  auto loop = [&] {
    for (int64_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> workers;
  for (int j = 1; j < std::min<int64_t>(jobs, n); ++j) workers.emplace_back(loop);
  loop();
  for (auto& w : workers) w.join();
}

// Decodes one image file with the project's decoder and describes it. Large JPEGs are shrunk
// on load as long as they stay at least max_side on their shorter side (then area-resized).
Result<std::vector<float>> describe_file(const std::string& path,
                                         const LocalFeatureOptions& features,
                                         const DecodeLimits& limits) {
  DecodeHints hints;
  hints.min_shorter_side = features.max_side / 2;
  PIXLAKE_ASSIGN_OR_RETURN(DecodedImage decoded, decode_image_file_with_info(path, limits, hints));
  return extract_rootsift(decoded.image, features, path);
}

IngestFailure failure_for(const ImageJob& job, const Status& status) {
  return IngestFailure{job.path, 0, 0, status.message(), static_cast<int64_t>(::time(nullptr))};
}

Result<std::vector<ImageJob>> image_jobs(Catalog& catalog, const std::vector<int64_t>* only) {
  PIXLAKE_ASSIGN_OR_RETURN(auto files, catalog.known_files());
  std::vector<ImageJob> jobs;
  for (auto& [path, known] : files) jobs.push_back(ImageJob{known.id, std::move(path)});
  if (only) {
    std::vector<int64_t> wanted = *only;
    std::sort(wanted.begin(), wanted.end());
    std::erase_if(jobs, [&](const ImageJob& j) {
      return !std::binary_search(wanted.begin(), wanted.end(), j.id);
    });
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const ImageJob& a, const ImageJob& b) { return a.id < b.id; });
  return jobs;
}

// Word counts of jobs[begin, end) into counts[i]; failures (undecodable files) into `failed`.
void count_range(const std::vector<ImageJob>& jobs, size_t begin, size_t end,
                 const BovwVocabulary& vocabulary, const BovwOptions& options,
                 std::vector<WordCounts>& counts, std::vector<Status>& failed) {
  parallel_for(static_cast<int64_t>(end - begin), options.jobs, [&](int64_t k) {
    const size_t i = begin + static_cast<size_t>(k);
    auto descriptors = describe_file(jobs[i].path, vocabulary.features, options.limits);
    if (!descriptors.is_ok()) {
      failed[i] = descriptors.status();
      return;
    }
    counts[i] = count_words(descriptors->data(),
                            static_cast<int64_t>(descriptors->size()) / vocabulary.dim, vocabulary);
  });
}

// Appends the embeddings of the given images and commits them in one transaction, the way
// ingest does: rows appended and fsynced first, then the catalog records them.
Status commit_rows(Lake& lake, const BovwVocabulary& vocabulary, const std::vector<int64_t>& ids,
                   const std::vector<const WordCounts*>& counts) {
  if (ids.empty()) return Status::ok();
  PIXLAKE_ASSIGN_OR_RETURN(EmbeddingStore * store, lake.store(kBovwModel));
  const size_t words = static_cast<size_t>(vocabulary.words);
  std::vector<float> matrix(ids.size() * words);
  for (size_t i = 0; i < ids.size(); ++i) {
    tfidf_embedding(*counts[i], vocabulary, matrix.data() + i * words);
  }
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto tx, catalog.begin());
  const int64_t first_row = store->rows();
  for (size_t i = 0; i < ids.size(); ++i) {
    PIXLAKE_RETURN_IF_ERROR(
        catalog.set_embedding_row(kBovwModel, ids[i], first_row + static_cast<int64_t>(i)));
  }
  PIXLAKE_RETURN_IF_ERROR(
      store->append(ids.data(), matrix.data(), static_cast<int64_t>(ids.size())));
  PIXLAKE_RETURN_IF_ERROR(store->sync());
  PIXLAKE_RETURN_IF_ERROR(catalog.set_committed_rows(kBovwModel, store->rows()));
  return tx.commit();
}

// Counts words for `jobs` chunk by chunk and commits each chunk's rows.
Status embed_jobs(Lake& lake, const BovwVocabulary& vocabulary, const std::vector<ImageJob>& jobs,
                  const BovwOptions& options, BovwReport& report) {
  std::vector<WordCounts> counts(jobs.size());
  std::vector<Status> failed(jobs.size());
  const size_t chunk = static_cast<size_t>(std::max(1, options.batch));
  for (size_t begin = 0; begin < jobs.size(); begin += chunk) {
    const size_t end = std::min(jobs.size(), begin + chunk);
    count_range(jobs, begin, end, vocabulary, options, counts, failed);
    std::vector<int64_t> ids;
    std::vector<const WordCounts*> rows;
    for (size_t i = begin; i < end; ++i) {
      if (!failed[i].is_ok()) {
        report.failures.push_back(failure_for(jobs[i], failed[i]));
        continue;
      }
      ids.push_back(jobs[i].id);
      rows.push_back(&counts[i]);
    }
    PIXLAKE_RETURN_IF_ERROR(commit_rows(lake, vocabulary, ids, rows));
    report.embedded += static_cast<int64_t>(ids.size());
    for (size_t i = begin; i < end; ++i) counts[i] = WordCounts();
    if (options.on_progress) {
      options.on_progress(BovwProgress{"embedding", static_cast<int64_t>(end),
                                       static_cast<int64_t>(jobs.size()),
                                       static_cast<int64_t>(report.failures.size())});
    }
  }
  return Status::ok();
}

Status check_options(const BovwOptions& options) {
  if (options.words < 2 || options.words > (1 << 20)) {
    return invalid_argument("bovw: --words must be from 2 to 1048576, got " +
                            std::to_string(options.words));
  }
  if (options.sample < options.words) {
    return invalid_argument("bovw: --sample (" + std::to_string(options.sample) +
                            " descriptors) must be at least --words (" +
                            std::to_string(options.words) + ")");
  }
  if (options.jobs < 1) return invalid_argument("bovw: --jobs must be positive");
  return Status::ok();
}

// A random subset of at most `keep` of the image's descriptors (all when it has fewer).
std::vector<float> subsample_descriptors(std::vector<float> descriptors, int64_t keep,
                                         uint64_t seed) {
  const int64_t count = static_cast<int64_t>(descriptors.size()) / kRootSiftDim;
  if (count <= keep) return descriptors;
  std::vector<int64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  order.resize(static_cast<size_t>(keep));
  std::sort(order.begin(), order.end());
  std::vector<float> out(static_cast<size_t>(keep) * kRootSiftDim);
  for (size_t i = 0; i < order.size(); ++i) {
    std::copy_n(descriptors.data() + order[i] * kRootSiftDim, kRootSiftDim,
                out.data() + i * kRootSiftDim);
  }
  return out;
}

}  // namespace

std::string bovw_vocabulary_path(const std::string& lake_dir) {
  return lake_dir + "/bovw/vocabulary.pxv";
}

Result<BovwReport> train_bovw(Lake& lake, const BovwOptions& options) {
  const auto start = Clock::now();
  if (lake.access() != Lake::Access::kWrite) return internal_error("bovw train needs write access");
  PIXLAKE_RETURN_IF_ERROR(check_options(options));
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto existing, catalog.find_model(kBovwModel));
  if (existing) {
    return invalid_argument("bovw train: lake '" + lake.dir() +
                            "' already has 'bovw' embeddings from a trained vocabulary; embed "
                            "new images with: pixlake bovw " +
                            lake.dir());
  }
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<ImageJob> jobs, image_jobs(catalog, nullptr));
  if (jobs.empty()) return not_found("bovw train: lake '" + lake.dir() + "' has no images");
  // Each of our threads runs its own small products: BLAS threads on top would oversubscribe.
  ScopedBlasThreads blas(options.jobs > 1 ? 1 : blas_threads());
  BovwReport report;

  // 1. Descriptors from a seeded sample of the images.
  const int64_t n = static_cast<int64_t>(jobs.size());
  const int64_t n_train = std::min(
      n, (options.sample + kTrainingDescriptorsPerImage - 1) / kTrainingDescriptorsPerImage);
  const int64_t per_image = (options.sample + n_train - 1) / n_train;
  std::vector<size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(options.seed);
  std::shuffle(order.begin(), order.end(), rng);
  order.resize(static_cast<size_t>(n_train));
  std::sort(order.begin(), order.end());
  std::vector<std::vector<float>> sampled(order.size());
  if (options.on_progress) options.on_progress(BovwProgress{"sampling", 0, n_train, 0});
  parallel_for(n_train, options.jobs, [&](int64_t k) {
    const ImageJob& job = jobs[order[static_cast<size_t>(k)]];
    auto descriptors = describe_file(job.path, options.features, options.limits);
    // Unreadable images are reported by the embedding pass below; here they just add nothing.
    if (descriptors.is_ok()) {
      sampled[static_cast<size_t>(k)] = subsample_descriptors(
          std::move(descriptors).value(), per_image, options.seed + static_cast<uint64_t>(job.id));
    }
  });
  std::vector<float> training;
  for (auto& d : sampled) {
    training.insert(training.end(), d.begin(), d.end());
    d = {};
  }
  report.training_images = n_train;
  report.training_descriptors = static_cast<int64_t>(training.size()) / kRootSiftDim;
  if (report.training_descriptors == 0) {
    return invalid_argument("bovw train: found no SIFT keypoints in the " +
                            std::to_string(n_train) + " sampled images of lake '" + lake.dir() +
                            "'");
  }

  // 2. The vocabulary: k-means on the sampled descriptors.
  if (options.on_progress) {
    options.on_progress(BovwProgress{"training", 0, report.training_descriptors, 0});
  }
  KMeansOptions kmeans_options;
  kmeans_options.k = options.words;
  kmeans_options.seed = options.seed;
  kmeans_options.threads = options.jobs;
  kmeans_options.max_iterations = kTrainingIterations;
  PIXLAKE_ASSIGN_OR_RETURN(KMeansResult clusters,
                           kmeans(training.data(), report.training_descriptors, kRootSiftDim,
                                  kRootSiftDim, kmeans_options));
  training = {};
  BovwVocabulary vocabulary;
  vocabulary.words = clusters.k;
  vocabulary.features = options.features;
  vocabulary.centroids = std::move(clusters.centroids);
  vocabulary.idf.assign(static_cast<size_t>(vocabulary.words), 1.0f);
  report.words = vocabulary.words;

  // 3. Word counts of every image, kept (sparse) until the IDF is known.
  std::vector<WordCounts> counts(jobs.size());
  std::vector<Status> failed(jobs.size());
  const size_t chunk = static_cast<size_t>(std::max(1, options.batch));
  for (size_t begin = 0; begin < jobs.size(); begin += chunk) {
    const size_t end = std::min(jobs.size(), begin + chunk);
    count_range(jobs, begin, end, vocabulary, options, counts, failed);
    if (options.on_progress) {
      options.on_progress(BovwProgress{"counting", static_cast<int64_t>(end), n, 0});
    }
  }
  std::vector<int64_t> document_frequency(static_cast<size_t>(vocabulary.words), 0);
  int64_t described = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!failed[i].is_ok()) {
      report.failures.push_back(failure_for(jobs[i], failed[i]));
      continue;
    }
    ++described;
    for (const auto& [word, count] : counts[i]) ++document_frequency[static_cast<size_t>(word)];
  }
  vocabulary.idf = inverse_document_frequency(document_frequency, described);
  vocabulary.idf_images = described;

  // 4. Save the vocabulary, then register the model with the vocabulary's checksum.
  const std::string path = bovw_vocabulary_path(lake.dir());
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec)
    return io_error("bovw train: cannot create the folder of '" + path + "': " + ec.message());
  PIXLAKE_RETURN_IF_ERROR(save_bovw_vocabulary(path, vocabulary));
  PIXLAKE_ASSIGN_OR_RETURN(std::string checksum, sha256_file(path));
  PIXLAKE_RETURN_IF_ERROR(lake.add_model(kBovwModel, kBovwLayer, vocabulary.words, checksum));

  // 5. The rows, in committed batches.
  for (size_t begin = 0; begin < jobs.size(); begin += chunk) {
    const size_t end = std::min(jobs.size(), begin + chunk);
    std::vector<int64_t> ids;
    std::vector<const WordCounts*> rows;
    for (size_t i = begin; i < end; ++i) {
      if (!failed[i].is_ok()) continue;
      ids.push_back(jobs[i].id);
      rows.push_back(&counts[i]);
    }
    PIXLAKE_RETURN_IF_ERROR(commit_rows(lake, vocabulary, ids, rows));
    report.embedded += static_cast<int64_t>(ids.size());
    if (options.on_progress) {
      options.on_progress(BovwProgress{"embedding", static_cast<int64_t>(end), n,
                                       static_cast<int64_t>(report.failures.size())});
    }
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

Result<BovwReport> embed_bovw(Lake& lake, const BovwOptions& options) {
  const auto start = Clock::now();
  if (lake.access() != Lake::Access::kWrite) return internal_error("bovw needs write access");
  if (options.jobs < 1) return invalid_argument("bovw: --jobs must be positive");
  Catalog& catalog = lake.catalog();
  PIXLAKE_ASSIGN_OR_RETURN(auto model, catalog.find_model(kBovwModel));
  if (!model) {
    return not_found("bovw: lake '" + lake.dir() +
                     "' has no Bag of Visual Words yet (train one with: pixlake bovw train " +
                     lake.dir() + ")");
  }
  const std::string path = bovw_vocabulary_path(lake.dir());
  PIXLAKE_ASSIGN_OR_RETURN(BovwVocabulary vocabulary, load_bovw_vocabulary(path));
  PIXLAKE_ASSIGN_OR_RETURN(std::string checksum, sha256_file(path));
  if (checksum != model->model_sha256 || vocabulary.words != model->dim) {
    return data_loss("bovw: vocabulary '" + path +
                     "' is not the one the lake's 'bovw' rows were made with (SHA-256 or word "
                     "count differs)");
  }
  PIXLAKE_ASSIGN_OR_RETURN(auto missing, catalog.images_without_embedding(kBovwModel));
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<ImageJob> jobs, image_jobs(catalog, &missing));
  ScopedBlasThreads blas(options.jobs > 1 ? 1 : blas_threads());
  BovwReport report;
  report.words = vocabulary.words;
  PIXLAKE_RETURN_IF_ERROR(embed_jobs(lake, vocabulary, jobs, options, report));
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

Result<std::vector<float>> bovw_embed_file(Lake& lake, const std::string& path,
                                           const DecodeLimits& limits) {
  PIXLAKE_ASSIGN_OR_RETURN(BovwVocabulary vocabulary,
                           load_bovw_vocabulary(bovw_vocabulary_path(lake.dir())));
  PIXLAKE_ASSIGN_OR_RETURN(std::vector<float> descriptors,
                           describe_file(path, vocabulary.features, limits));
  WordCounts counts = count_words(
      descriptors.data(), static_cast<int64_t>(descriptors.size()) / vocabulary.dim, vocabulary);
  std::vector<float> out(static_cast<size_t>(vocabulary.words));
  tfidf_embedding(counts, vocabulary, out.data());
  return out;
}

}  // namespace pixlake
