// SHA-256 through OpenSSL's EVP interface (libssl-dev, already a dependency of Debian's libhdf5-dev).
#include "preprocess/format/sha256.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "cluster/errors.h"

namespace musictag::preprocess {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContextPtr = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
      throw DataError("OpenSSL could not start a SHA-256 digest (EVP_DigestInit_ex failed)");
    }
  }
  void update(const void* data, size_t size) {
    if (EVP_DigestUpdate(context_.get(), data, size) != 1) throw DataError("OpenSSL EVP_DigestUpdate failed");
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest, &length) != 1) throw DataError("OpenSSL EVP_DigestFinal failed");
    std::string text;
    for (unsigned int i = 0; i < length; ++i) text += fmt::format("{:02x}", digest[i]);
    return text;
  }

 private:
  DigestContextPtr context_;
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes.data(), bytes.size());
  return digest.hex();
}

std::string sha256_file(const std::string& path) {
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw DataError(fmt::format("cannot open '{}' to compute its checksum; check that it exists", path));
  Sha256 digest;
  std::vector<char> block(1 << 20);
  size_t read = 0;
  while ((read = std::fread(block.data(), 1, block.size(), file.get())) > 0) digest.update(block.data(), read);
  if (std::ferror(file.get())) throw DataError(fmt::format("error while reading '{}' for its checksum", path));
  return digest.hex();
}

}  // namespace musictag::preprocess
