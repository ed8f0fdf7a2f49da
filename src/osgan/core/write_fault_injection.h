// Test seams for the atomic writer, driven by environment variables so that CLI tests can reach, on purpose and
// deterministically, the moments a real machine reaches by bad luck: a crash in the middle of a write, a full disk,
// a read-only folder (which chmod cannot make for root). Unset variables cost one getenv per write.
//   OSGAN_TEST_PAUSE_WRITING=TEXT   pause half-way through writing every file whose name contains TEXT: the
//                                   temporary file then holds only the first half of its bytes
//   OSGAN_TEST_PAUSE_MS=N           length of that pause (default 2000 ms)
//   OSGAN_TEST_DISK_BYTES=N         the disk is full once this process has written N bytes (ENOSPC)
//   OSGAN_TEST_READ_ONLY_DIR=DIR    every write into DIR (or below it) fails as on a read-only file system (EROFS)
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

namespace osgan::write_faults {

// The reason (as strerror words) a write to `path` must fail before it starts, or "" to go on.
std::string refusal_before_write(const std::filesystem::path& path);

// Counts `bytes` against the simulated disk size; the reason the write fails, or "" when they fit.
std::string charge_bytes(std::uintmax_t bytes);

// When OSGAN_TEST_PAUSE_WRITING matches `path`: cuts `tmp` to its first half, announces the pause on stderr,
// sleeps, then restores the rest, as a slow disk would show the file to a process killed meanwhile.
void pause_mid_write_if_requested(const std::filesystem::path& path, const std::filesystem::path& tmp);

}  // namespace osgan::write_faults
