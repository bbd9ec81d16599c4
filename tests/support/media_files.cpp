#include "support/media_files.hpp"

#include <png.h>
#include <turbojpeg.h>

#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

namespace signoff::test {

namespace {
std::vector<unsigned char> pixels(int width, int height, int channels, bool noise, unsigned seed) {
    std::vector<unsigned char> out(static_cast<std::size_t>(width) * height * channels);
    std::mt19937 random(seed);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c)
                out[(static_cast<std::size_t>(y) * width + x) * channels + c] =
                    noise ? static_cast<unsigned char>(random()) : static_cast<unsigned char>((x + y + 40 * c) & 0xff);
    return out;
}

std::string box(std::string const& type, std::string const& content) {
    auto size = static_cast<std::uint32_t>(8 + content.size());
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xff);
    return out + type + content;
}
}  // namespace

std::string make_jpeg(int width, int height, bool noise, unsigned seed) {
    auto rgb = pixels(width, height, 3, noise, seed);
    std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitCompress(), tjDestroy);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    if (tjCompress2(tj.get(), rgb.data(), width, 0, height, TJPF_RGB, &out, &size, TJSAMP_444, 95, 0) != 0)
        throw std::runtime_error(std::string("tjCompress2: ") + tjGetErrorStr2(tj.get()));
    std::string jpeg(reinterpret_cast<char*>(out), size);
    tjFree(out);
    return jpeg;
}

std::string make_png(int width, int height) {
    auto rgb = pixels(width, height, 3, false, 1);
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(width);
    image.height = static_cast<png_uint_32>(height);
    image.format = PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, rgb.data(), 0, nullptr))
        throw std::runtime_error(std::string("libpng: ") + image.message);
    std::string png(size, '\0');
    if (!png_image_write_to_memory(&image, png.data(), &size, 0, rgb.data(), 0, nullptr))
        throw std::runtime_error(std::string("libpng: ") + image.message);
    png.resize(size);
    return png;
}

std::string make_mp4(std::size_t payload_bytes) {
    std::string brand = std::string("isom") + std::string("\0\0\x02\0", 4) + "isomiso2mp41";
    std::string mvhd_body(100, '\0');
    return box("ftyp", brand) + box("moov", box("mvhd", mvhd_body)) + box("mdat", std::string(payload_bytes, '\x5a'));
}

std::string make_pdf() {
    return "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
           "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
}

}  // namespace signoff::test
