// How well a clustering agrees with known classes: normalised mutual information, as reported
// for `pixlake cluster` against Caltech-101's folders (docs/curation.md).
#pragma once

#include <cstdint>
#include <vector>

#include "pixlake/status.h"

namespace pixlake {

// NMI(U, V) = I(U; V) / ((H(U) + H(V)) / 2), natural logarithms, with the arithmetic-mean
// normalisation that scikit-learn's normalized_mutual_info_score uses by default. Labels are
// arbitrary integers (only equality matters). 1 for identical partitions (up to renaming),
// 0 for independent ones; two single-cluster labellings score 1, as in scikit-learn.
// InvalidArgument when the lengths differ or the labellings are empty.
Result<double> normalized_mutual_information(const std::vector<int64_t>& classes,
                                             const std::vector<int64_t>& clusters);

}  // namespace pixlake
