#include "curate/layout_2d.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace pixlake {
namespace {

constexpr float kClip = 4.0f;  // umap-learn clips each gradient component to [-4, 4]

float clip(float v) { return std::clamp(v, -kClip, kClip); }

// xorshift64*: fast, seeded, identical on every platform.
struct Rng {
  uint64_t state;
  explicit Rng(uint64_t seed) : state(seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull) {
    if (state == 0) state = 1;
  }
  uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dull;
  }
  // Uniform in [0, n) (multiply-shift: no modulo bias worth noticing for n << 2^32).
  int64_t below(int64_t n) {
    return static_cast<int64_t>(((next() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }
};

}  // namespace

UmapCurve fit_umap_curve(float min_dist, float spread) {
  // Gauss-Newton with step halving on the two parameters, from umap's usual answer.
  constexpr int kPoints = 300;
  std::vector<double> xs(kPoints), ys(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    xs[i] = 3.0 * spread * i / (kPoints - 1);
    ys[i] = xs[i] < min_dist ? 1.0 : std::exp(-(xs[i] - min_dist) / spread);
  }
  auto loss = [&](double a, double b) {
    double s = 0;
    for (int i = 0; i < kPoints; ++i) {
      const double f = 1.0 / (1.0 + a * std::pow(xs[i], 2 * b));
      s += (f - ys[i]) * (f - ys[i]);
    }
    return s;
  };
  double a = 1.5, b = 0.9, current = loss(a, b);
  for (int iteration = 0; iteration < 200; ++iteration) {
    double jtj[3] = {0, 0, 0}, jtr[2] = {0, 0};  // [aa, ab, bb]
    for (int i = 0; i < kPoints; ++i) {
      if (xs[i] <= 0) continue;
      const double p = std::pow(xs[i], 2 * b);
      const double denom = 1.0 + a * p;
      const double f = 1.0 / denom;
      const double da = -p / (denom * denom);
      const double db = -a * p * 2 * std::log(xs[i]) / (denom * denom);
      const double r = f - ys[i];
      jtj[0] += da * da;
      jtj[1] += da * db;
      jtj[2] += db * db;
      jtr[0] += da * r;
      jtr[1] += db * r;
    }
    const double det = jtj[0] * jtj[2] - jtj[1] * jtj[1];
    if (std::abs(det) < 1e-300) break;
    const double step_a = (jtj[2] * jtr[0] - jtj[1] * jtr[1]) / det;
    const double step_b = (jtj[0] * jtr[1] - jtj[1] * jtr[0]) / det;
    double scale = 1.0;
    bool improved = false;
    for (int halving = 0; halving < 30; ++halving, scale /= 2) {
      const double na = a - scale * step_a, nb = b - scale * step_b;
      if (na <= 0 || nb <= 0) continue;
      const double candidate = loss(na, nb);
      if (candidate < current) {
        improved = current - candidate > 1e-15 * current;
        a = na;
        b = nb;
        current = candidate;
        break;
      }
    }
    if (!improved) break;
  }
  return {static_cast<float>(a), static_cast<float>(b)};
}

Result<std::vector<float>> layout_2d(const FuzzyEdges& edges, const std::vector<float>& start,
                                     const Layout2dOptions& options) {
  const int64_t n = edges.n;
  if (static_cast<int64_t>(start.size()) != 2 * n) {
    return invalid_argument("layout_2d: the start layout has " + std::to_string(start.size()) +
                            " values, expected 2 x " + std::to_string(n) + " points");
  }
  for (size_t e = 0; e < edges.size(); ++e) {
    if (edges.head[e] < 0 || edges.head[e] >= n || edges.tail[e] < 0 || edges.tail[e] >= n) {
      return invalid_argument("layout_2d: edge " + std::to_string(e) +
                              " names a node outside [0, " + std::to_string(n) + ")");
    }
  }
  std::vector<float> xy = start;
  // Rescale the start to [0, 10] per axis, as umap-learn does with its initial layouts, plus a
  // tiny seeded jitter so that identical start points (exact duplicates) can separate.
  Rng jitter(options.seed ^ 0x6a09e667f3bcc909ull);
  for (int axis = 0; axis < 2; ++axis) {
    float lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < n; ++i) {
      lo = std::min(lo, xy[i * 2 + axis]);
      hi = std::max(hi, xy[i * 2 + axis]);
    }
    const float range = hi > lo ? hi - lo : 1.0f;
    for (int64_t i = 0; i < n; ++i) {
      const float noise = (static_cast<float>(jitter.next() >> 40) * 0x1.0p-24f - 0.5f) * 2e-4f;
      xy[i * 2 + axis] = 10.0f * (xy[i * 2 + axis] - lo) / range + noise;
    }
  }
  if (edges.size() == 0 || n < 2) return xy;

  const int n_epochs = options.n_epochs > 0 ? options.n_epochs : (n <= 10000 ? 500 : 200);
  const UmapCurve curve = fit_umap_curve(options.min_dist, options.spread);
  const float a = curve.a, b = curve.b;

  // Each undirected edge is sampled in proportion to its weight: the heaviest every epoch,
  // an edge of weight w every max/w epochs; edges too light to be sampled once are dropped.
  const float max_weight = *std::max_element(edges.weight.begin(), edges.weight.end());
  struct Edge {
    int32_t head, tail;
    float every, next, every_negative, next_negative;
  };
  std::vector<Edge> live;
  live.reserve(edges.size());
  for (size_t e = 0; e < edges.size(); ++e) {
    if (edges.weight[e] < max_weight / static_cast<float>(n_epochs)) continue;
    const float every = max_weight / edges.weight[e];
    const float every_negative = every / static_cast<float>(options.negative_samples);
    live.push_back({edges.head[e], edges.tail[e], every, every, every_negative, every_negative});
  }

  Rng rng(options.seed);
  for (int epoch = 0; epoch < n_epochs; ++epoch) {
    const float alpha = options.learning_rate * (1.0f - static_cast<float>(epoch) / n_epochs);
    const auto now = static_cast<float>(epoch);
    for (Edge& edge : live) {
      if (edge.next > now) continue;
      // umap-learn's symmetric graph holds both directions of an edge; each pass here moves
      // the edge from both of its ends in turn, as those two entries would.
      for (int side = 0; side < 2; ++side) {
        const int32_t self = side == 0 ? edge.head : edge.tail;
        const int32_t other = side == 0 ? edge.tail : edge.head;
        float* p = &xy[static_cast<size_t>(self) * 2];
        float* q = &xy[static_cast<size_t>(other) * 2];
        const float dx = p[0] - q[0], dy = p[1] - q[1];
        const float d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const float pw = std::pow(d2, b - 1.0f);
          const float coeff = -2.0f * a * b * pw / (a * pw * d2 + 1.0f);
          const float gx = clip(coeff * dx) * alpha, gy = clip(coeff * dy) * alpha;
          p[0] += gx;
          p[1] += gy;
          q[0] -= gx;
          q[1] -= gy;
        }
        const int negatives = static_cast<int>((now - edge.next_negative) / edge.every_negative);
        for (int s = 0; s < negatives; ++s) {
          const int64_t far = rng.below(n);
          if (far == self) continue;
          const float* r = &xy[static_cast<size_t>(far) * 2];
          const float fx = p[0] - r[0], fy = p[1] - r[1];
          const float f2 = fx * fx + fy * fy;
          float gx = kClip, gy = kClip;
          if (f2 > 0) {
            const float coeff =
                2.0f * options.repulsion * b / ((0.001f + f2) * (a * std::pow(f2, b) + 1.0f));
            gx = clip(coeff * fx);
            gy = clip(coeff * fy);
          }
          p[0] += gx * alpha;
          p[1] += gy * alpha;
        }
      }
      edge.next += edge.every;
      const int negatives = static_cast<int>((now - edge.next_negative) / edge.every_negative);
      edge.next_negative += static_cast<float>(negatives) * edge.every_negative;
    }
  }
  return xy;
}

}  // namespace pixlake
