"""Per-image cosine between two embedding files, matched by image path.

Both files are NumPy [N, D] rows plus a text file of paths, one a line, in row order. Paths are
matched on their part under the staged image folder, so absolute and relative paths both work.
"""
import os

import numpy as np


def paths_file_for(npy_path):
    """`pixlake export` writes OUT.npy.paths.txt, `pixlake embed` and the peer OUT.npy.txt."""
    for candidate in (npy_path + ".paths.txt", npy_path + ".txt",
                      os.path.splitext(npy_path)[0] + ".txt"):
        if os.path.exists(candidate):
            return candidate
    return None


def load_rows(npy_path, image_root):
    paths_file = paths_file_for(npy_path)
    if paths_file is None:
        raise ValueError(f"{npy_path}: no paths file ({npy_path}.txt)")
    rows = np.load(npy_path).astype(np.float64)
    paths = [p for p in open(paths_file).read().split("\n") if p]
    if len(paths) != len(rows):
        raise ValueError(f"{npy_path}: {len(rows)} rows but {len(paths)} paths in {paths_file}")
    root = os.path.realpath(image_root)
    keys = [os.path.relpath(os.path.realpath(os.path.join(root, p)), root) for p in paths]
    return dict(zip(keys, rows))


def cosine_agreement(npy_a, npy_b, image_root):
    """Summary of cos(a_i, b_i) over the images both files hold."""
    a, b = load_rows(npy_a, image_root), load_rows(npy_b, image_root)
    common = sorted(a.keys() & b.keys())
    summary = {"images_a": len(a), "images_b": len(b), "matched": len(common)}
    if not common:
        return summary
    x = np.stack([a[k] for k in common])
    y = np.stack([b[k] for k in common])
    norms = np.maximum(np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1), 1e-12)
    cos = (x * y).sum(axis=1) / norms
    summary.update({"cos_min": float(cos.min()), "cos_p01": float(np.percentile(cos, 1)),
                    "cos_mean": float(cos.mean()), "below_0_99": int((cos < 0.99).sum())})
    return summary
