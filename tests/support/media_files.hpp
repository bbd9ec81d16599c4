#pragma once
// Small real creatives for tests, made with the same libraries a designer's tools use: JPEG by
// libturbojpeg, PNG by libpng; an MP4 as its box framing (ftyp, moov, mdat) and a PDF as text.

#include <cstdint>
#include <string>

namespace signoff::test {

// A JPEG of width × height pixels. With noise the pixels are random (hard to compress: about
// 1.5 bytes a pixel at quality 95), else a smooth gradient (small). `seed` varies the noise.
std::string make_jpeg(int width, int height, bool noise = false, unsigned seed = 1);
std::string make_png(int width, int height);
std::string make_mp4(std::size_t payload_bytes = 4096);
std::string make_pdf();

}  // namespace signoff::test
