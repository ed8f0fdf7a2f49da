#include "osgan/core/error.h"

namespace osgan {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid argument";
    case ErrorCode::io: return "i/o error";
    case ErrorCode::bad_format: return "bad format";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::numerical: return "numerical fault";
    case ErrorCode::interrupted: return "interrupted";
  }
  return "error";
}

void fail(ErrorCode code, const std::string& message) { throw Error(code, message); }

}  // namespace osgan
