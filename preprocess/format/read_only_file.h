// ReadOnlyFile: a file descriptor opened read-only and closed on destruction, read at offsets with preadv.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <string>

namespace musictag::preprocess {

// Move-only owner of one O_RDONLY | O_CLOEXEC descriptor. Reading at an offset (preadv) changes no file position, so
// it needs no lock; still one owner per thread, like the PartReader that holds it.
class ReadOnlyFile {
 public:
  ReadOnlyFile() = default;
  // An empty file (!is_open()) when open(2) fails; errno says why.
  explicit ReadOnlyFile(const std::string& path);
  ~ReadOnlyFile();
  ReadOnlyFile(ReadOnlyFile&& other) noexcept;
  ReadOnlyFile& operator=(ReadOnlyFile&& other) noexcept;
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

  bool is_open() const { return fd_ >= 0; }
  int get() const { return fd_; }
  // preadv(2) of `count` buffers from `offset`, retried when a signal interrupts it: the bytes read (fewer than asked
  // only at the end of the file), or -1 with errno.
  ssize_t read_at(const iovec* buffers, int count, off_t offset) const;

 private:
  int fd_ = -1;
};

}  // namespace musictag::preprocess
