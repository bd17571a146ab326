// SHA-256 of bytes and of files (OpenSSL's libcrypto), as lowercase hex: part checksums and the config's hash.
#pragma once

#include <string>
#include <string_view>

namespace musictag::preprocess {

// 64 lowercase hex digits, e.g. sha256_hex("abc") = "ba7816bf...f20015ad".
std::string sha256_hex(std::string_view bytes);

// The SHA-256 of the file's bytes, read in 1 MiB blocks; DataError naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace musictag::preprocess
