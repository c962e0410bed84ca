#include "curate/bovw_histogram.h"

#include <algorithm>
#include <cmath>

#include "curate/kmeans.h"

namespace pixlake {

WordCounts count_words(const float* descriptors, int64_t count, const BovwVocabulary& vocabulary) {
  WordCounts out;
  if (count <= 0) return out;
  std::vector<int32_t> labels(static_cast<size_t>(count));
  assign_to_centroids(descriptors, count, vocabulary.dim, vocabulary.dim,
                      vocabulary.centroids.data(), vocabulary.words, labels.data(), nullptr,
                      /*threads=*/1);
  std::sort(labels.begin(), labels.end());
  for (int32_t word : labels) {
    if (!out.empty() && out.back().first == word) {
      ++out.back().second;
    } else {
      out.emplace_back(word, 1);
    }
  }
  return out;
}

std::vector<float> inverse_document_frequency(const std::vector<int64_t>& document_frequency,
                                              int64_t images) {
  std::vector<float> idf(document_frequency.size());
  for (size_t w = 0; w < idf.size(); ++w) {
    idf[w] = static_cast<float>(std::log((1.0 + static_cast<double>(images)) /
                                         (1.0 + static_cast<double>(document_frequency[w]))) +
                                1.0);
  }
  return idf;
}

void tfidf_embedding(const WordCounts& counts, const BovwVocabulary& vocabulary, float* out) {
  std::fill(out, out + vocabulary.words, 0.0f);
  double norm = 0;
  for (const auto& [word, count] : counts) {
    const float weight =
        std::sqrt(static_cast<float>(count)) * vocabulary.idf[static_cast<size_t>(word)];
    out[word] = weight;
    norm += static_cast<double>(weight) * weight;
  }
  if (norm <= 0) return;
  const float scale = static_cast<float>(1.0 / std::sqrt(norm));
  for (const auto& [word, count] : counts) out[word] *= scale;
}

}  // namespace pixlake
