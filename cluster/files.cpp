// File operations shared by every stage: atomic whole-file writes (.partial + fsync + rename), reads, folders.
#include "cluster/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include "cluster/errors.h"
#include "cluster/io_error.h"

namespace musictag {
namespace {

// A file descriptor closed on scope exit (RAII; a close error on a failure path is moot).
class Fd {
 public:
  Fd(const std::string& path, int flags, const std::string& what) : fd_(::open(path.c_str(), flags | O_CLOEXEC, 0644)) {
    if (fd_ < 0) {
      const int error = errno;
      throw_file_error("open " + what, path, error);
    }
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the error (a deferred write error can surface here).
  void close(const std::string& path) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw_file_error("close", path, errno);
  }

 private:
  int fd_;
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

void write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_file_error("write", path, errno);
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::string parent_folder(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string join_path(const std::string& folder, const std::string& name) {
  if (folder.empty()) return name;
  return folder.back() == '/' ? folder + name : folder + "/" + name;
}

void sync_folder(const std::string& folder) {
  Fd fd(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY, "folder");
  if (::fsync(fd.get()) != 0 && errno != EINVAL)  // some file systems cannot sync a folder; the rename stands
    throw_file_error("sync folder", folder, errno);
}

std::string partial_path_of(const std::string& path) { return path + kPartialSuffix; }

namespace {

// The rename step of both atomic writes: `partial` (already synced) becomes `path`, then the folder is synced.
void rename_into_place(const std::string& partial, const std::string& path) {
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(partial.c_str());
    throw_file_error("rename " + partial + " to", path, error);
  }
  sync_folder(parent_folder(path));
}

}  // namespace

void commit_partial_file(const std::string& partial, const std::string& path) {
  try {
    Fd fd(partial, O_RDONLY, "to sync");
    if (::fsync(fd.get()) != 0) throw_file_error("sync", partial, errno);
  } catch (...) {
    std::remove(partial.c_str());
    throw;
  }
  rename_into_place(partial, path);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string partial = partial_path_of(path);
  try {
    Fd fd(partial, O_WRONLY | O_CREAT | O_TRUNC, "for writing");
    write_all(fd.get(), bytes, partial);
    if (::fsync(fd.get()) != 0) throw_file_error("sync", partial, errno);
    fd.close(partial);
  } catch (...) {
    std::remove(partial.c_str());
    throw;
  }
  rename_into_place(partial, path);
}

std::string read_whole_file(const std::string& path) {
  Fd fd(path, O_RDONLY, "for reading");
  std::string bytes;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_file_error("read", path, errno);
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return bytes;
}

void make_folders(const std::string& folder) {
  for (size_t end = 1; end <= folder.size(); ++end) {
    if (end != folder.size() && folder[end] != '/') continue;
    const std::string prefix = folder.substr(0, end);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) throw_file_error("create folder", prefix, errno);
  }
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw DataError("cannot create folder '" + folder + "': a file of that name is in the way");
}

std::vector<std::string> regular_files_in(const std::string& folder) {
  std::vector<std::string> names;
  std::unique_ptr<DIR, DirCloser> dir(::opendir(folder.c_str()));
  if (!dir) return names;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name != "." && name != ".." && is_regular_file(join_path(folder, name))) names.push_back(name);
  }
  return names;
}

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

void remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_file_error("delete", path, errno);
}

bool hard_link(const std::string& target, const std::string& link_path) {
  return ::link(target.c_str(), link_path.c_str()) == 0;
}

void rename_file(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    const int error = errno;
    throw_file_error("rename " + from + " to", to, error);
  }
}

}  // namespace musictag
