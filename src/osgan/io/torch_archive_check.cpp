// The zip layout (central directory, local headers, zip64 fields) as APPNOTE.TXT 6.3 describes it, and the
// pickle opcodes of protocol 2 that LibTorch's unpickler reads (Python's pickletools lists them all).
#include "osgan/io/torch_archive_check.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "osgan/core/error.h"
#include "osgan/core/one_line.h"

namespace osgan::io {

namespace {

constexpr std::uint64_t kMaxCentralDirectory = 64ull << 20;  // bytes; a model's directory is a few KB
constexpr std::uint64_t kMaxPickle = 64ull << 20;            // bytes; data.pkl of a large model is under 1 MB
constexpr std::size_t kMaxTupleKept = 8;                     // the storage tuple has 5 items

[[noreturn]] void corrupt(const std::filesystem::path& path, const std::string& why) {
  // Record names and pickled text come from the file: one_line keeps the message on one line.
  fail(ErrorCode::bad_format,
       path.string() + ": not a valid LibTorch archive (" + one_line(why) + "). Use a file written by osgan or torch.save.");
}

std::uint64_t le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

struct Record {
  std::uint64_t data_offset = 0, size = 0;  // where the record's bytes start; its uncompressed length
  std::uint64_t packed = 0;                 // its length in the file
  bool stored = true;                       // method 0 (no compression); else deflate (LibTorch: code/*.py)
  std::uint32_t crc = 0;                    // CRC-32 of the uncompressed bytes, from the directory
};

class Archive {
 public:
  explicit Archive(const std::filesystem::path& path) : path_(path), in_(path, std::ios::binary) {
    std::error_code ec;
    size_ = std::filesystem::file_size(path, ec);
    if (ec || !in_) fail(ErrorCode::io, path.string() + ": cannot read the file (" + (ec ? ec.message() : "open failed") + ")");
  }

  std::vector<unsigned char> read(std::uint64_t offset, std::uint64_t n) {
    if (offset > size_ || n > size_ - offset) corrupt(path_, "a record runs past the end of the file");
    std::vector<unsigned char> out(n);
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(n));
    if (static_cast<std::uint64_t>(in_.gcount()) != n) fail(ErrorCode::io, path_.string() + ": read error");
    return out;
  }

  // LibTorch's zip reader skips the CRC-32 check (built with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS), so a
  // flipped bit in a weight would load silently.
  bool crc_matches(const Record& record) {
    uLong crc = crc32(0L, Z_NULL, 0);
    if (!for_each_chunk(record, [&](const unsigned char* p, std::size_t n) { crc = crc32(crc, p, static_cast<uInt>(n)); }))
      return false;
    return static_cast<std::uint32_t>(crc) == record.crc;
  }

  // The record's uncompressed bytes (at most kMaxPickle, checked by the caller).
  std::vector<unsigned char> contents(const Record& record, const std::string& name) {
    std::vector<unsigned char> out;
    out.reserve(record.size);
    if (!for_each_chunk(record, [&](const unsigned char* p, std::size_t n) { out.insert(out.end(), p, p + n); }))
      corrupt(path_, name + " does not inflate to its declared " + std::to_string(record.size) + " bytes");
    return out;
  }

  // Calls use(bytes, n) on the record's uncompressed bytes in order, inflating a deflated one. False when a
  // deflated record is corrupt or does not inflate to exactly its declared size (never more is produced).
  template <typename Use>
  bool for_each_chunk(const Record& record, Use use) {
    constexpr std::uint64_t kChunk = 1u << 20;
    if (record.stored) {
      for (std::uint64_t done = 0; done < record.size;) {
        const std::uint64_t n = std::min(record.size - done, kChunk);
        const auto chunk = read(record.data_offset + done, n);
        use(chunk.data(), chunk.size());
        done += n;
      }
      return true;
    }
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail(ErrorCode::io, path_.string() + ": zlib could not start");
    std::vector<unsigned char> in, out(1u << 16);
    std::uint64_t read_so_far = 0, produced = 0;
    int status = Z_OK;
    while (status == Z_OK) {
      if (z.avail_in == 0) {
        if (read_so_far == record.packed) break;  // the data ends before the deflate stream does
        in = read(record.data_offset + read_so_far, std::min(record.packed - read_so_far, kChunk));
        read_so_far += in.size();
        z.next_in = in.data();
        z.avail_in = static_cast<uInt>(in.size());
      }
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      status = inflate(&z, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END) break;
      const std::size_t n = out.size() - z.avail_out;
      produced += n;
      if (produced > record.size) break;
      use(out.data(), n);
    }
    inflateEnd(&z);
    return status == Z_STREAM_END && produced == record.size;
  }

  // name -> record, from the central directory; every record must lie before the directory.
  std::map<std::string, Record> records() {
    // End of central directory: 22 bytes plus a comment of up to 65535, at the end of the file.
    const std::uint64_t tail_size = std::min<std::uint64_t>(size_, 22 + 65535);
    const auto tail = read(size_ - tail_size, tail_size);
    std::int64_t eocd = -1;
    for (std::int64_t i = static_cast<std::int64_t>(tail_size) - 22; i >= 0; --i)
      if (le(&tail[i], 4) == 0x06054b50) {
        eocd = i;
        break;
      }
    if (eocd < 0) corrupt(path_, "no zip end-of-directory record: truncated, or not a zip file");
    const unsigned char* e = &tail[static_cast<std::size_t>(eocd)];
    std::uint64_t entries = le(e + 10, 2), cd_size = le(e + 12, 4), cd_offset = le(e + 16, 4);
    const std::uint64_t eocd_at = size_ - tail_size + static_cast<std::uint64_t>(eocd);
    if (entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
      // zip64: a locator (20 bytes) just before the end record points at the zip64 end record.
      if (eocd_at < 20) corrupt(path_, "zip64 sizes without a zip64 locator");
      const auto locator = read(eocd_at - 20, 20);
      if (le(locator.data(), 4) != 0x07064b50) corrupt(path_, "zip64 sizes without a zip64 locator");
      const auto end64 = read(le(locator.data() + 8, 8), 56);
      if (le(end64.data(), 4) != 0x06064b50) corrupt(path_, "the zip64 locator points at no zip64 end record");
      entries = le(end64.data() + 32, 8), cd_size = le(end64.data() + 40, 8), cd_offset = le(end64.data() + 48, 8);
    }
    if (cd_size > kMaxCentralDirectory || cd_offset > eocd_at || cd_size > eocd_at - cd_offset)
      corrupt(path_, "the zip directory lies outside the file");
    if (entries > cd_size / 46) corrupt(path_, "the zip directory claims more records than it can hold");
    const auto cd = read(cd_offset, cd_size);

    std::map<std::string, Record> out;
    std::uint64_t at = 0;
    for (std::uint64_t i = 0; i < entries; ++i) {
      if (cd_size - at < 46 || le(&cd[at], 4) != 0x02014b50) corrupt(path_, "a broken zip directory entry");
      const unsigned char* h = &cd[at];
      const std::uint64_t method = le(h + 10, 2), name_len = le(h + 28, 2), extra_len = le(h + 30, 2),
                          comment_len = le(h + 32, 2);
      std::uint64_t packed = le(h + 20, 4), size = le(h + 24, 4), local = le(h + 42, 4);
      if (cd_size - at - 46 < name_len + extra_len + comment_len) corrupt(path_, "a broken zip directory entry");
      const std::string name(reinterpret_cast<const char*>(h + 46), name_len);
      // zip64 extended information (id 1): 8-byte values for the fields that hold 0xFFFFFFFF, in this order.
      for (std::uint64_t x = 0; x + 4 <= extra_len;) {
        const unsigned char* f = h + 46 + name_len + x;
        const std::uint64_t id = le(f, 2), len = le(f + 2, 2);
        if (x + 4 + len > extra_len) corrupt(path_, "a broken zip extra field in " + name);
        if (id == 1) {
          std::uint64_t k = 0;
          for (std::uint64_t* v : {&size, &packed, &local})
            if (*v == 0xFFFFFFFF) {
              if (k + 8 > len) corrupt(path_, "a broken zip64 field in " + name);
              *v = le(f + 4 + k, 8), k += 8;
            }
        }
        x += 4 + len;
      }
      if (method != 0 && method != 8) corrupt(path_, name + " uses zip method " + std::to_string(method));
      if (method == 0 && packed != size) corrupt(path_, name + " is stored but its two sizes differ");
      if (local > cd_offset || cd_offset - local < 30) corrupt(path_, name + " starts outside the file");
      const auto lh = read(local, 30);
      if (le(lh.data(), 4) != 0x04034b50) corrupt(path_, "no local header where the directory puts " + name);
      const std::uint64_t data = local + 30 + le(lh.data() + 26, 2) + le(lh.data() + 28, 2);
      if (data > cd_offset || packed > cd_offset - data) corrupt(path_, name + " runs past the end of its data");
      // Deflate expands at most about 1032:1; a larger claim is an allocation waiting to happen.
      if (method == 8 && size / 1032 > packed + 1) corrupt(path_, name + " claims an impossible uncompressed size");
      out[name] = Record{data, size, packed, method == 0, static_cast<std::uint32_t>(le(h + 16, 4))};
      at += 46 + name_len + extra_len + comment_len;
    }
    return out;
  }

 private:
  const std::filesystem::path& path_;
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

// Bytes per element of a storage class that LibTorch pickles as GLOBAL "torch\n<Type>Storage"; 1 (the weakest
// bound) for a class this list does not know, which LibTorch then rejects or reads with its own size.
std::uint64_t storage_item_size(const std::string& global) {
  static const std::map<std::string, std::uint64_t> sizes = {
      {"DoubleStorage", 8}, {"FloatStorage", 4},   {"HalfStorage", 2},          {"BFloat16Storage", 2},
      {"LongStorage", 8},   {"IntStorage", 4},     {"ShortStorage", 2},         {"CharStorage", 1},
      {"ByteStorage", 1},   {"BoolStorage", 1},    {"ComplexFloatStorage", 8},  {"ComplexDoubleStorage", 16},
      {"QInt32Storage", 4}, {"QInt8Storage", 1},   {"QUInt8Storage", 1}};
  const auto dot = global.find('\n');
  const auto it = sizes.find(dot == std::string::npos ? global : global.substr(dot + 1));
  return it == sizes.end() ? 1 : it->second;
}

// What the scan keeps of a pickled value: enough to recognise the storage tuple
// ("storage", <Type>Storage, key, location, numel) that BINPERSID turns into a tensor.
struct Value {
  enum Kind { other, integer, text, global, tuple } kind = other;
  std::int64_t number = 0;
  std::string string;  // text, or "module\nname" for a global
  std::vector<Value> items;
};

// Walks a pickle opcode by opcode with a stack of Values, refusing what LibTorch would trust blindly.
class PickleScan {
 public:
  PickleScan(const std::filesystem::path& path, const std::string& name, const std::vector<unsigned char>& bytes,
             const std::map<std::string, Record>& records, const std::string& storage_prefix)
      : path_(path), name_(name), p_(bytes), records_(records), storage_prefix_(storage_prefix) {}

  void run() {
    while (true) {
      const std::uint64_t op_at = at_;
      const unsigned char op = take(1)[0];
      switch (op) {
        case 0x80: take(1); break;                          // PROTO
        case '.': return;                                   // STOP
        case '(': marks_.push_back(stack_.size()); break;   // MARK
        case ']': case ')': case '}': case 'N': case 0x88: case 0x89: push({}); break;  // empty list/tuple/dict, None, bools
        case 'K': push_int(static_cast<std::int64_t>(le(take(1), 1))); break;           // BININT1
        case 'M': push_int(static_cast<std::int64_t>(le(take(2), 2))); break;           // BININT2
        case 'J': push_int(static_cast<std::int32_t>(le(take(4), 4))); break;           // BININT
        case 0x8a: {                                                                   // LONG1
          const std::uint64_t n = le(take(1), 1);
          const unsigned char* v = take(n);
          push_int(n == 8 ? static_cast<std::int64_t>(le(v, 8)) : 0);
          break;
        }
        case 0x8b: take(length(4, op_at)); push({}); break;                             // LONG4
        case 'G': take(8); push({}); break;                                             // BINFLOAT
        case 'X': case 'B': case 'T': push_text(length(4, op_at)); break;  // BINUNICODE, BINBYTES, BINSTRING
        case 0x8c: case 'C': case 'U': push_text(length(1, op_at)); break;  // SHORT_BINUNICODE/BINBYTES/BINSTRING
        case 0x8d: case 0x8e: push_text(length(8, op_at)); break;           // BINUNICODE8, BINBYTES8
        case 'q': memo_put(le(take(1), 1), op_at); break;                   // BINPUT
        case 'r': memo_put(le(take(4), 4), op_at); break;                   // LONG_BINPUT
        case 0x94: memo_put(memo_.size(), op_at); break;                    // MEMOIZE
        case 'h': memo_get(le(take(1), 1), op_at); break;                   // BINGET
        case 'j': memo_get(le(take(4), 4), op_at); break;                   // LONG_BINGET
        case 'c': {                                                         // GLOBAL "module\nname\n"
          Value g;
          g.kind = Value::global;
          g.string = line(op_at);  // two statements: the order of a + b's operands is unspecified
          g.string += "\n" + line(op_at);
          push(std::move(g));
          break;
        }
        case 't': {  // TUPLE: everything above the last mark
          const std::size_t from = pop_mark(op_at);
          Value t;
          t.kind = Value::tuple;
          if (stack_.size() - from <= kMaxTupleKept) t.items.assign(stack_.begin() + from, stack_.end());
          stack_.resize(from);
          push(std::move(t));
          break;
        }
        case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
          const std::size_t n = op - 0x84u;
          need(n, op_at);
          Value t;
          t.kind = Value::tuple;
          t.items.assign(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
          stack_.resize(stack_.size() - n);
          push(std::move(t));
          break;
        }
        case 'l': case 'd': stack_.resize(pop_mark(op_at)); push({}); break;  // LIST, DICT
        case 'e': case 'u':                                                   // APPENDS, SETITEMS
          stack_.resize(pop_mark(op_at));
          need(1, op_at);
          break;
        case 'a': need(2, op_at); stack_.pop_back(); break;                    // APPEND
        case 's': need(3, op_at); stack_.resize(stack_.size() - 2); break;     // SETITEM
        case '0': need(1, op_at); stack_.pop_back(); break;                    // POP
        case '1': stack_.resize(pop_mark(op_at)); break;                       // POP_MARK
        case '2': need(1, op_at); push(Value(stack_.back())); break;           // DUP
        case 0x81: need(1, op_at); stack_.pop_back(); break;  // NEWOBJ (LibTorch pops only the argument tuple)
        case 'R': case 'b':                                   // REDUCE, BUILD: callable and argument -> result
          need(2, op_at);
          stack_.resize(stack_.size() - 2);
          push({});
          break;
        case 'Q': persistent_storage(op_at); break;  // BINPERSID
        default:
          bad(op_at, "opcode 0x" + hex(op) + " that LibTorch cannot read");
      }
    }
  }

 private:
  [[noreturn]] void bad(std::uint64_t at, const std::string& why) {
    corrupt(path_, "pickle " + name_ + " byte " + std::to_string(at) + ": " + why);
  }
  static std::string hex(unsigned v) {
    const char* digits = "0123456789abcdef";
    return std::string{digits[v >> 4 & 15], digits[v & 15]};
  }

  const unsigned char* take(std::uint64_t n) {
    if (n > p_.size() - at_) bad(at_, "it ends in the middle of an opcode (" + std::to_string(n) + " more bytes wanted)");
    const unsigned char* out = p_.data() + at_;
    at_ += n;
    return out;
  }
  // A length field of `bytes` bytes; the length must fit in what is left of the pickle.
  std::uint64_t length(int bytes, std::uint64_t op_at) {
    const std::uint64_t n = le(take(static_cast<std::uint64_t>(bytes)), bytes);
    if (n > p_.size() - at_)
      bad(op_at, "a string of " + std::to_string(n) + " bytes, but only " + std::to_string(p_.size() - at_) + " follow");
    return n;
  }
  std::string line(std::uint64_t op_at) {
    const auto begin = p_.begin() + static_cast<std::ptrdiff_t>(at_);
    const auto end = std::find(begin, p_.end(), '\n');
    if (end == p_.end()) bad(op_at, "a GLOBAL name without its end of line");
    std::string s(begin, end);
    at_ += s.size() + 1;
    return s;
  }

  void push(Value v) { stack_.push_back(std::move(v)); }
  void push_int(std::int64_t n) {
    Value v;
    v.kind = Value::integer;
    v.number = n;
    push(std::move(v));
  }
  void push_text(std::uint64_t n) {
    Value v;
    v.kind = Value::text;
    const unsigned char* s = take(n);
    if (n <= 256) v.string.assign(reinterpret_cast<const char*>(s), n);  // keys and names are short
    push(std::move(v));
  }
  void need(std::size_t n, std::uint64_t op_at) {
    if (stack_.size() < n) bad(op_at, "an opcode that needs " + std::to_string(n) + " values on an emptier stack");
  }
  std::size_t pop_mark(std::uint64_t op_at) {
    if (marks_.empty()) bad(op_at, "an opcode that needs a MARK, with none set");
    const std::size_t from = marks_.back();
    marks_.pop_back();
    if (from > stack_.size()) bad(op_at, "a MARK above the stack");
    return from;
  }
  // Legitimate pickles number their memo entries in order, so an index is below the number of opcodes and
  // hence below the pickle's size; LibTorch would grow its memo table to any index it is given.
  void memo_put(std::uint64_t id, std::uint64_t op_at) {
    if (id > p_.size()) bad(op_at, "memo index " + std::to_string(id) + " in a pickle of " + std::to_string(p_.size()) + " bytes");
    need(1, op_at);
    memo_[id] = stack_.back();
  }
  void memo_get(std::uint64_t id, std::uint64_t op_at) {
    const auto it = memo_.find(id);
    if (it == memo_.end()) bad(op_at, "memo index " + std::to_string(id) + " that was never stored");
    push(it->second);
  }

  // BINPERSID with ("storage", <Type>Storage, key, location, numel): LibTorch reads record <prefix><key> and
  // believes numel, so the record must hold numel elements.
  void persistent_storage(std::uint64_t op_at) {
    need(1, op_at);
    const Value id = stack_.back();
    stack_.pop_back();
    push({});
    const auto& v = id.items;
    if (id.kind != Value::tuple || v.size() != 5 || v[0].kind != Value::text || v[0].string != "storage") return;
    if (v[2].kind != Value::text || v[4].kind != Value::integer) bad(op_at, "a storage reference without key or size");
    const std::int64_t numel = v[4].number;
    if (numel < 0) bad(op_at, "storage " + v[2].string + " with " + std::to_string(numel) + " elements");
    const std::uint64_t item = v[1].kind == Value::global ? storage_item_size(v[1].string) : 1;
    auto record = records_.find(storage_prefix_ + v[2].string);
    if (record == records_.end()) return;  // LibTorch reports a missing record itself
    if (static_cast<std::uint64_t>(numel) > record->second.size / item)
      bad(op_at, "storage " + v[2].string + " claims " + std::to_string(numel) + " elements of " + std::to_string(item) +
                     " bytes, but its record holds " + std::to_string(record->second.size) + " bytes");
  }

  const std::filesystem::path& path_;
  const std::string& name_;
  const std::vector<unsigned char>& p_;
  const std::map<std::string, Record>& records_;
  const std::string storage_prefix_;
  std::uint64_t at_ = 0;
  std::vector<Value> stack_;
  std::vector<std::size_t> marks_;
  std::map<std::uint64_t, Value> memo_;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void check_torch_archive(const std::filesystem::path& path) {
  Archive archive(path);
  const auto records = archive.records();
  if (records.empty()) corrupt(path, "an empty zip");
  // The fuzzer's mutations would almost never keep a CRC right, so its targets turn the check off to reach
  // the zip layout and the pickles (fuzz/fuzz_checkpoint.cpp); but not for TorchScript source (code/*.py):
  // LibTorch compiles that, its compiler crashes on some edited code, and only the CRC stands between it and
  // a damaged file (a deliberately crafted one is code, like any model file: docs/hardening.md).
  const bool fuzzing = std::getenv("OSGAN_FUZZ_SKIP_ARCHIVE_CRC") != nullptr;
  for (const auto& [name, record] : records) {
    const bool verify_crc = !fuzzing || ends_with(name, ".py");
    if (verify_crc && !archive.crc_matches(record))
      corrupt(path, name + " fails its CRC-32 check: the file was damaged after it was written");
    // "<top>/data.pkl" keeps its storages in "<top>/data/<key>"; debug pickles ("...py.debug_pkl") have none.
    const bool pickle = ends_with(name, ".pkl");
    if (!pickle && !ends_with(name, ".debug_pkl")) continue;
    if (record.size > kMaxPickle)
      corrupt(path, name + " is a pickle of " + std::to_string(record.size) + " bytes (at most " +
                        std::to_string(kMaxPickle) + " expected)");
    const auto bytes = archive.contents(record, name);
    const std::string storage_prefix = pickle ? name.substr(0, name.size() - 4) + "/" : std::string();
    PickleScan(path, name, bytes, records, storage_prefix).run();
  }
}

}  // namespace osgan::io
