// ReadOnlyFile: open(2) / close(2) of one descriptor, preadv(2) retried on EINTR.
#include "preprocess/format/read_only_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace musictag::preprocess {

ReadOnlyFile::ReadOnlyFile(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

ReadOnlyFile::~ReadOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

ReadOnlyFile::ReadOnlyFile(ReadOnlyFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

ReadOnlyFile& ReadOnlyFile::operator=(ReadOnlyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

ssize_t ReadOnlyFile::read_at(const iovec* buffers, int count, off_t offset) const {
  ssize_t result = 0;
  do {
    result = ::preadv(fd_, buffers, count, offset);
  } while (result < 0 && errno == EINTR);
  return result;
}

}  // namespace musictag::preprocess
