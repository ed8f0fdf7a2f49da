// check_torch_archive: a real LibTorch archive passes; archives built here byte by byte, each with one defect
// that LibTorch 1.13 would trust (a string length, a memo index, a storage size, an empty stack, a CRC), fail
// with one line naming the file and the defect.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>

#include "osgan/core/error.h"
#include "osgan/io/torch_archive_check.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using osgan::io::check_torch_archive;
using namespace osgan::test;
using Bytes = std::vector<std::uint8_t>;

namespace {

void put(Bytes& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put(Bytes& out, const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }

// Raw deflate (no zlib header), as zip method 8 stores it.
Bytes deflated(const Bytes& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A zip of `records` with correct CRCs, as LibTorch writes it (less its alignment padding): stored, except the
// records named in `deflate` (LibTorch deflates its TorchScript source).
Bytes zip_of(const std::vector<std::pair<std::string, Bytes>>& records, const std::vector<std::string>& deflate = {}) {
  Bytes out, directory;
  for (const auto& [name, data] : records) {
    const std::uint32_t crc = static_cast<std::uint32_t>(crc32(0L, data.data(), static_cast<uInt>(data.size())));
    const bool packs = std::find(deflate.begin(), deflate.end(), name) != deflate.end();
    const Bytes bytes = packs ? deflated(data) : data;
    const int method = packs ? 8 : 0;
    const std::uint64_t local = out.size();
    put(out, 0x04034b50, 4), put(out, 20, 2), put(out, 0, 2), put(out, method, 2), put(out, 0, 4), put(out, crc, 4);
    put(out, bytes.size(), 4), put(out, data.size(), 4), put(out, name.size(), 2), put(out, 0, 2), put(out, name);
    out.insert(out.end(), bytes.begin(), bytes.end());
    put(directory, 0x02014b50, 4), put(directory, 20, 2), put(directory, 20, 2), put(directory, 0, 2);
    put(directory, method, 2), put(directory, 0, 4), put(directory, crc, 4), put(directory, bytes.size(), 4);
    put(directory, data.size(), 4), put(directory, name.size(), 2), put(directory, 0, 2), put(directory, 0, 2);
    put(directory, 0, 2), put(directory, 0, 2), put(directory, 0, 4), put(directory, local, 4), put(directory, name);
  }
  const std::uint64_t directory_at = out.size();
  out.insert(out.end(), directory.begin(), directory.end());
  put(out, 0x06054b50, 4), put(out, 0, 2), put(out, 0, 2), put(out, records.size(), 2), put(out, records.size(), 2);
  put(out, directory.size(), 4), put(out, directory_at, 4), put(out, 0, 2);
  return out;
}

Bytes pickle(const std::string& ops) { return Bytes(ops.begin(), ops.end()); }
std::string binunicode(const std::string& s) {
  std::string op = "X";
  for (int i = 0; i < 4; ++i) op.push_back(static_cast<char>(s.size() >> (8 * i)));
  return op + s;
}

// ("storage", torch.FloatStorage, "0", "cpu", numel) -> BINPERSID, the way LibTorch pickles a tensor's storage.
std::string storage_reference(int numel) {
  return std::string("(") + binunicode("storage") + "ctorch\nFloatStorage\n" + binunicode("0") + binunicode("cpu") +
         "M" + std::string{static_cast<char>(numel & 0xFF), static_cast<char>(numel >> 8)} + "tQ";
}

// An archive whose data.pkl holds `ops` (after PROTO 2, before STOP) and whose storage "0" holds 16 floats.
Bytes archive_with(const std::string& ops) {
  return zip_of({{"archive/data.pkl", pickle(std::string("\x80\x02", 2) + ops + ".")},
                 {"archive/data/0", Bytes(64, 0)}});
}

// Writes `bytes`, checks that it is refused with one line naming the file, and returns the line.
std::string refusal(const ScratchDir& dir, const Bytes& bytes) {
  const fs::path path = dir / "model.pt";
  write_bytes(path, bytes);
  try {
    check_torch_archive(path);
  } catch (const osgan::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg;
  }
  ADD_FAILURE() << "the archive was accepted";
  return {};
}

}  // namespace

TEST(TorchArchiveCheck, AcceptsALibTorchArchiveAndAWellFormedHandBuiltOne) {
  // A GAN checkpoint header that LibTorch 1.13 wrote (the fuzzer's seed).
  EXPECT_NO_THROW(check_torch_archive(fs::path(OSGAN_SOURCE_DIR) / "fuzz/corpus/checkpoint/header.pt"));
  ScratchDir dir("torch-archive");
  write_bytes(dir / "ok.pt", archive_with(storage_reference(16) + std::string("q\x00", 2)));
  EXPECT_NO_THROW(check_torch_archive(dir / "ok.pt"));
}

TEST(TorchArchiveCheck, RefusesWhatIsNotAZipOrIsCut) {
  ScratchDir dir("torch-archive");
  EXPECT_NE(refusal(dir, pickle("not a zip at all")).find("no zip end-of-directory"), std::string::npos);
  Bytes cut = read_bytes(fs::path(OSGAN_SOURCE_DIR) / "fuzz/corpus/checkpoint/header.pt");
  cut.resize(cut.size() / 2);
  refusal(dir, cut);
}

TEST(TorchArchiveCheck, RefusesARecordWhoseBytesChanged) {
  ScratchDir dir("torch-archive");
  Bytes bytes = archive_with(storage_reference(16));
  const Bytes zeros(64, 0);
  auto weights = std::search(bytes.begin(), bytes.end(), zeros.begin(), zeros.end());
  ASSERT_NE(weights, bytes.end());
  weights[10] ^= 0x40;  // one bit of one weight
  EXPECT_NE(refusal(dir, bytes).find("archive/data/0 fails its CRC-32 check"), std::string::npos);
}

TEST(TorchArchiveCheck, RefusesAStringLongerThanThePickle) {
  ScratchDir dir("torch-archive");
  // The fuzz finding: BINUNICODE declaring 1.85 GB, which LibTorch reserves before reading.
  const std::string msg = refusal(dir, archive_with(std::string("X\x06\x00\x63\x6e", 5) + "abc"));
  EXPECT_NE(msg.find("a string of 1851981830 bytes"), std::string::npos) << msg;
}

TEST(TorchArchiveCheck, RefusesAHugeMemoIndex) {
  ScratchDir dir("torch-archive");
  const std::string msg = refusal(dir, archive_with(std::string("N\x72\xff\xff\xff\x7f", 6)));  // LONG_BINPUT 2^31-1
  EXPECT_NE(msg.find("memo index 2147483647"), std::string::npos) << msg;
  EXPECT_NE(refusal(dir, archive_with("h\x05")).find("memo index 5 that was never stored"), std::string::npos);
}

TEST(TorchArchiveCheck, RefusesAStorageLargerThanItsRecord) {
  ScratchDir dir("torch-archive");
  // 16 floats fit in the 64-byte record; 17 would make LibTorch read past its buffer.
  const std::string msg = refusal(dir, archive_with(storage_reference(17)));
  EXPECT_NE(msg.find("storage 0 claims 17 elements of 4 bytes, but its record holds 64 bytes"), std::string::npos) << msg;
}

TEST(TorchArchiveCheck, RefusesAnEmptyStackAMissingMarkAndUnknownOpcodes) {
  ScratchDir dir("torch-archive");
  EXPECT_NE(refusal(dir, archive_with("R")).find("needs 2 values"), std::string::npos);
  EXPECT_NE(refusal(dir, archive_with("Nt")).find("needs a MARK"), std::string::npos);
  EXPECT_NE(refusal(dir, archive_with("I12\n")).find("opcode 0x49"), std::string::npos);  // text-protocol INT
  EXPECT_NE(refusal(dir, zip_of({{"archive/data.pkl", pickle("\x80\x02N")}})).find("ends in the middle"),
            std::string::npos);  // no STOP
}

TEST(TorchArchiveCheck, InflatesDeflatedRecordsToCheckThem) {
  ScratchDir dir("torch-archive");
  const std::string code(400, 'x');  // compresses to a few bytes
  const auto zip = [&](const std::string& source, const std::string& pickled) {
    return zip_of({{"archive/code/__torch__.py", Bytes(source.begin(), source.end())},
                   {"archive/data.pkl", pickle(std::string("\x80\x02", 2) + pickled + ".")}},
                  {"archive/code/__torch__.py", "archive/data.pkl"});
  };
  write_bytes(dir / "ok.pt", zip(code, "N"));
  EXPECT_NO_THROW(check_torch_archive(dir / "ok.pt"));
  // The pickle is inflated and scanned like a stored one.
  EXPECT_NE(refusal(dir, zip(code, "R")).find("needs 2 values"), std::string::npos);
  // A flipped bit in the deflated source: it inflates to other bytes or not at all; either is refused.
  Bytes damaged = zip(code, "N");
  damaged[30 + std::string("archive/code/__torch__.py").size() + 1] ^= 0x08;
  const std::string msg = refusal(dir, damaged);
  EXPECT_TRUE(msg.find("CRC-32") != std::string::npos || msg.find("inflate") != std::string::npos) << msg;
}
