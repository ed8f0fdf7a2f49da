// Text from outside osgan (a chunk name quoted in a decoder's message, a YAML key, a file name) made fit for the
// one-line error messages osgan promises: a line break in such text would split the message, and other
// control characters would garble a terminal.
#pragma once
#include <string>
#include <string_view>

namespace osgan {

// `text` with every control character (below 0x20, and 0x7F) written as \xNN; other bytes, UTF-8 included,
// are kept. Example: one_line("IHDR\nx") == "IHDR\\x0Ax".
std::string one_line(std::string_view text);

}  // namespace osgan
