// A structural check of a LibTorch archive (what torch::save, torch.save and torch.jit.save write: a zip of
// records, with pickles that name the tensors' storage records) before LibTorch opens it.
//
// Why: LibTorch 1.13 trusts the sizes inside the file. A pickled string's length is reserved before it is read
// (a fuzzed 2 KB checkpoint asked for 1.8 GB), a memo index grows a table to that size, a storage's element
// count is believed even when its record is shorter (reads past the buffer), and a few malformed opcode
// sequences pop an empty stack. Torch-free, so the sanitizer build and the fuzzers reach it cheaply.
#pragma once
#include <cstdint>
#include <filesystem>

namespace osgan::io {

// Throws osgan::Error (bad_format, one line naming `path`) when the archive is not a well-formed zip whose
// records lie inside the file, or when a pickle in it has a length, memo index or storage size that does not
// fit, an opcode LibTorch cannot read, or a stack that runs empty; or when a record's bytes do not match their
// CRC-32 (LibTorch does not check it; OSGAN_FUZZ_SKIP_ARCHIVE_CRC=1 skips it for all but TorchScript source,
// for the fuzzer only). Passing says nothing about the content:
// LibTorch then reads it and reports what it does not recognise.
void check_torch_archive(const std::filesystem::path& path);

}  // namespace osgan::io
