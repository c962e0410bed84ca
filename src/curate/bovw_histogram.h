// From local descriptors to a Bag of Visual Words embedding: each descriptor votes for its
// nearest visual word, the votes are weighted by TF-IDF and the histogram is L2-normalised, so
// that the dot product of two embeddings is their cosine similarity, like any model's.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "curate/bovw_vocabulary.h"

namespace pixlake {

// A sparse histogram: (word, count) pairs in increasing word order, counts > 0.
using WordCounts = std::vector<std::pair<int32_t, int32_t>>;

// Counts how many of `count` descriptors (rows of vocabulary.dim floats) fall nearest to each
// word. One BLAS product; runs on the calling thread.
WordCounts count_words(const float* descriptors, int64_t count, const BovwVocabulary& vocabulary);

// Smoothed inverse document frequency, as scikit-learn's TfidfTransformer:
// idf[w] = ln((1 + images) / (1 + document_frequency[w])) + 1.
std::vector<float> inverse_document_frequency(const std::vector<int64_t>& document_frequency,
                                              int64_t images);

// The embedding: weight[w] = sqrt(count[w]) * idf[w], then L2-normalised (all zeros when the
// image has no descriptors). The square root damps "bursty" words (a brick wall votes
// hundreds of times for one word; Jegou et al. 2009), which otherwise swamp the similarity.
// `out` holds vocabulary.words floats.
void tfidf_embedding(const WordCounts& counts, const BovwVocabulary& vocabulary, float* out);

}  // namespace pixlake
