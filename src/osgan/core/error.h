// osgan::Error: the one exception type the library throws. The CLI catches it in main and maps the code
// to an exit status. Messages say what was expected, what was found, and what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace osgan {

enum class ErrorCode { invalid_argument, io, bad_format, unsupported, numerical, interrupted };

const char* to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// Throws osgan::Error(code, message). Use for input and environment problems, never for programmer errors.
[[noreturn]] void fail(ErrorCode code, const std::string& message);

}  // namespace osgan
