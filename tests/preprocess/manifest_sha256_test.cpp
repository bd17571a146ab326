// SHA-256 against the FIPS 180-2 test vectors, and of a file against its bytes.
#include <gtest/gtest.h>

#include <fstream>

#include "cluster/errors.h"
#include "part_test_support.h"
#include "preprocess/format/sha256.h"

namespace musictag::preprocess {
namespace {
using Sha256 = testing::PartFolderTest;

TEST_F(Sha256, FipsVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_F(Sha256, FileEqualsItsBytes) {
  std::string bytes;
  for (int i = 0; i < 3'000'000; ++i) bytes += static_cast<char>((i * 7919) & 0xff);  // spans several 1 MiB blocks
  std::ofstream(file("data.bin"), std::ios::binary) << bytes;
  EXPECT_EQ(sha256_file(file("data.bin")), sha256_hex(bytes));
  std::ofstream(file("empty.bin"), std::ios::binary).flush();
  EXPECT_EQ(sha256_file(file("empty.bin")), sha256_hex(""));
  EXPECT_THROW(sha256_file(file("missing.bin")), DataError);
}

}  // namespace
}  // namespace musictag::preprocess
