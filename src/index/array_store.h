// An array that either owns its elements or views read-only memory (a section of a mapped
// index file). The first change copies a viewed array into memory, so an index opened from a
// file is searched straight from the page cache and can still be updated.
//
// Not thread-safe by itself: the indexes change arrays only under their writer lock, and
// every writer resizes (so materialises) its arrays before any parallel work on them.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace pixlake {

template <typename T>
class ArrayStore {
 public:
  const T* data() const { return view_ != nullptr ? view_ : owned_.data(); }
  size_t size() const { return view_ != nullptr ? view_size_ : owned_.size(); }
  bool empty() const { return size() == 0; }
  const T& operator[](size_t i) const { return data()[i]; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size(); }

  // Writable access: copies a viewed array first.
  std::vector<T>& mutable_vector() {
    materialise();
    return owned_;
  }
  T* mutable_data() { return mutable_vector().data(); }
  void resize(size_t n, T fill = T{}) { mutable_vector().resize(n, fill); }

  // Views `n` elements at `p`; `keep` keeps the memory alive as long as the view.
  void view(const T* p, size_t n, std::shared_ptr<const void> keep) {
    owned_ = {};
    view_ = n > 0 ? p : nullptr;
    view_size_ = n;
    keep_ = std::move(keep);
  }
  void own(std::vector<T> values) {
    view_ = nullptr;
    view_size_ = 0;
    keep_.reset();
    owned_ = std::move(values);
  }

  size_t heap_bytes() const { return owned_.capacity() * sizeof(T); }
  size_t mapped_bytes() const { return view_size_ * sizeof(T); }

 private:
  void materialise() {
    if (view_ == nullptr) return;
    owned_.assign(view_, view_ + view_size_);
    view_ = nullptr;
    view_size_ = 0;
    keep_.reset();
  }

  std::vector<T> owned_;
  const T* view_ = nullptr;
  size_t view_size_ = 0;
  std::shared_ptr<const void> keep_;
};

}  // namespace pixlake
