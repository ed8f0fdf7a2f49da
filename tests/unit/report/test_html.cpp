#include <gtest/gtest.h>

#include <fstream>

#include "osgan/core/error.h"
#include "osgan/report/html.h"
#include "support/test_support.h"

using namespace osgan::report;
using osgan::test::ScratchDir;

TEST(Html, EscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("a<b> & \"c\" 'd'"), "a&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(html_escape("plain"), "plain");
}

TEST(Html, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(Html, DetectsBrowserImageFormatsByContent) {
  EXPECT_EQ(browser_image_mime("\x89PNG\r\n\x1a\nrest"), "image/png");
  EXPECT_EQ(browser_image_mime("\xff\xd8\xff\xe0...."), "image/jpeg");
  EXPECT_EQ(browser_image_mime("GIF89a..."), "image/gif");
  EXPECT_EQ(browser_image_mime("<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>"), "image/svg+xml");
  EXPECT_EQ(browser_image_mime(std::string(128, '\0') + "DICM"), "");  // DICOM preamble
  EXPECT_EQ(browser_image_mime(""), "");
}

TEST(Html, DataUriOfAnImageFileIsItsBytesInBase64) {
  ScratchDir dir("html");
  const std::string bytes = std::string("\x89PNG\r\n\x1a\n", 8) + "abc";
  std::ofstream(dir / "x.png", std::ios::binary) << bytes;
  EXPECT_EQ(image_file_data_uri(dir / "x.png"), "data:image/png;base64," + base64_encode(bytes));
}

TEST(Html, DataUriRefusesFilesABrowserCannotShowAndNamesThem) {
  ScratchDir dir("html");
  std::ofstream(dir / "scan.dcm", std::ios::binary) << std::string(128, '\0') << "DICM";
  try {
    image_file_data_uri(dir / "scan.dcm");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::unsupported);
    EXPECT_NE(std::string(e.what()).find("scan.dcm"), std::string::npos) << e.what();
  }
  try {
    image_file_data_uri(dir / "missing.png");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("missing.png"), std::string::npos) << e.what();
  }
}
