#pragma once
// An allocator that keeps freed blocks of one type on a per-thread list and hands them out
// again, for objects made for every request whose blocks are past glibc's small-request range
// (1 KiB). glibc serves such a request only after consolidating all its fast bins
// (malloc_consolidate), which every request then paid for: 2 % of a heartbeat's CPU, and the
// small allocations after it ran slower (docs/benchmarks.md). A block freed on another thread
// joins that thread's list; each list keeps at most kKeep blocks and frees them when its thread
// ends. Under AddressSanitizer it is plain new/delete, so a use after free is still caught.
#include <cstddef>
#include <new>
#include <vector>

namespace rampart {

template <class T>
class RecyclingAllocator {
 public:
  using value_type = T;
  static constexpr size_t kKeep = 64;

  RecyclingAllocator() = default;
  template <class U>
  RecyclingAllocator(const RecyclingAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
#ifndef __SANITIZE_ADDRESS__
    if (n == 1 && !List().blocks.empty()) {
      void* p = List().blocks.back();
      List().blocks.pop_back();
      return static_cast<T*>(p);
    }
#endif
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }

  void deallocate(T* p, [[maybe_unused]] size_t n) noexcept {
#ifndef __SANITIZE_ADDRESS__
    if (n == 1 && List().blocks.size() < kKeep) {
      try {
        List().blocks.push_back(p);
        return;
      } catch (...) {  // no room for the pointer: the block goes back to malloc
      }
    }
#endif
    ::operator delete(p);
  }

  template <class U>
  bool operator==(const RecyclingAllocator<U>&) const noexcept {
    return true;
  }

 private:
  struct FreeList {
    std::vector<void*> blocks;
    ~FreeList() {
      for (void* p : blocks) ::operator delete(p);
    }
  };
  static FreeList& List() {
    thread_local FreeList list;
    return list;
  }
};

}  // namespace rampart
