// call_isolated: a decoder run in a child process hands back its bytes or its osgan::Error; an abort or a hang
// there becomes one error line naming the file; OSGAN_IN_PROCESS_DECODERS=1 runs it here instead.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "osgan/core/error.h"
#include "osgan/io/isolated_call.h"

using osgan::io::detail::call_isolated;

namespace {

const std::filesystem::path kFile = "/data/scan 01.dcm";

// The error call_isolated throws for `work`, or fails the test when there is none.
osgan::Error error_of(const std::function<std::vector<char>()>& work,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  try {
    call_isolated(kFile, "GDCM", work, timeout);
  } catch (const osgan::Error& e) {
    return e;
  }
  ADD_FAILURE() << "call_isolated returned";
  return osgan::Error(osgan::ErrorCode::io, "");
}

}  // namespace

TEST(IsolatedCall, ReturnsTheBytesTheChildMade) {
  const int parent = ::getpid();
  const std::vector<char> got = call_isolated(kFile, "GDCM", [parent] {
    std::vector<char> bytes(100000, 'x');  // more than a pipe holds at once
    bytes[0] = ::getpid() != parent ? 'c' : 'p';
    bytes.back() = '\0';
    return bytes;
  });
  ASSERT_EQ(got.size(), 100000u);
  EXPECT_EQ(got[0], 'c') << "the work ran in the calling process";
  EXPECT_EQ(got[50000], 'x');
  EXPECT_EQ(got.back(), '\0');
}

TEST(IsolatedCall, NothingTheChildChangesReachesTheCaller) {
  int counter = 0;
  call_isolated(kFile, "GDCM", [&counter] {
    counter = 42;
    return std::vector<char>{1};
  });
  EXPECT_EQ(counter, 0);
}

TEST(IsolatedCall, AnOsganErrorKeepsItsCodeAndMessage) {
  const osgan::Error e = error_of([]() -> std::vector<char> {
    osgan::fail(osgan::ErrorCode::unsupported, "read_image_file: cannot read \"x\" (12-bit samples)");
  });
  EXPECT_EQ(e.code(), osgan::ErrorCode::unsupported);
  EXPECT_STREQ(e.what(), "read_image_file: cannot read \"x\" (12-bit samples)");
}

TEST(IsolatedCall, AnAbortInTheChildIsAnErrorNamingTheFile) {
  const osgan::Error e = error_of([]() -> std::vector<char> { std::abort(); });
  const std::string message = e.what();
  EXPECT_EQ(e.code(), osgan::ErrorCode::bad_format);
  EXPECT_NE(message.find("\"/data/scan 01.dcm\""), std::string::npos) << message;
  EXPECT_NE(message.find("GDCM crashed while decoding it (SIGABRT"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(IsolatedCall, AChildPastItsTimeIsStoppedAndReported) {
  const auto start = std::chrono::steady_clock::now();
  const osgan::Error e = error_of(
      []() -> std::vector<char> {
        std::this_thread::sleep_for(std::chrono::seconds(30));
        return {1};
      },
      std::chrono::milliseconds(300));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(25)) << "the child was waited for, not stopped";
  EXPECT_NE(std::string(e.what()).find("GDCM did not finish decoding it within"), std::string::npos) << e.what();
}

TEST(IsolatedCall, InProcessWhenTheEnvironmentAsks) {
  ASSERT_EQ(::setenv("OSGAN_IN_PROCESS_DECODERS", "1", 1), 0);
  int counter = 0;
  call_isolated(kFile, "GDCM", [&counter] {
    counter = 42;
    return std::vector<char>{1};
  });
  ::unsetenv("OSGAN_IN_PROCESS_DECODERS");
  EXPECT_EQ(counter, 42);
  EXPECT_TRUE(osgan::io::detail::decoders_isolated());
}
