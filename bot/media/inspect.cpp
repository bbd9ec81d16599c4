#include "bot/media/inspect.hpp"

#include <magic.h>
#include <png.h>
#include <turbojpeg.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace signoff::media {

namespace {

// A read-only mapping of a whole file; empty when the file is empty or cannot be mapped.
class mapped_file {
public:
    explicit mapped_file(std::filesystem::path const& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                data_ = static_cast<unsigned char const*>(p);
                size_ = static_cast<std::size_t>(st.st_size);
            }
        }
        ::close(fd);
    }
    ~mapped_file() {
        if (data_) ::munmap(const_cast<unsigned char*>(data_), size_);
    }
    mapped_file(mapped_file const&) = delete;
    mapped_file& operator=(mapped_file const&) = delete;
    unsigned char const* data() const { return data_; }
    std::size_t size() const { return size_; }

private:
    unsigned char const* data_ = nullptr;
    std::size_t size_ = 0;
};

// libmagic's cookie is not thread-safe: one per thread, loaded once with the system database.
std::string sniff_type(std::filesystem::path const& path) {
    struct cookie {
        magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        bool loaded = m && magic_load(m, nullptr) == 0;
        ~cookie() {
            if (m) magic_close(m);
        }
    };
    thread_local cookie c;
    if (!c.loaded) return {};
    char const* type = magic_file(c.m, path.c_str());
    return type ? std::string(type) : std::string();
}

// Dimensions from the header, wholeness from a decode at 1/8 scale (the entropy-coded data is
// read to its end, so a cut-off file fails, at a fraction of a full decode's time and memory).
inspection inspect_jpeg(mapped_file const& f, facts out) {
    std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), tjDestroy);
    if (!tj) return {std::nullopt, "the JPEG decoder could not start"};
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(tj.get(), f.data(), static_cast<unsigned long>(f.size()), &width, &height, &subsampling,
                            &colorspace) != 0)
        return {std::nullopt, std::string("the JPEG header cannot be read: ") + tjGetErrorStr2(tj.get())};
    tjscalingfactor const eighth{1, 8};
    int const w = TJSCALED(width, eighth), h = TJSCALED(height, eighth);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    if (tjDecompress2(tj.get(), f.data(), static_cast<unsigned long>(f.size()), pixels.data(), w, 0, h, TJPF_GRAY,
                      TJFLAG_STOPONWARNING) != 0)
        return {std::nullopt, std::string("the JPEG image is cut off or damaged: ") + tjGetErrorStr2(tj.get())};
    out.width = width;
    out.height = height;
    return {std::move(out), {}};
}

// libpng reports errors by longjmp: this C-style reader keeps no C++ objects alive across it.
struct png_reader_state {
    unsigned char const* data;
    std::size_t size;
    std::size_t offset;
    char error[200];
};

void png_read_from_memory(png_structp png, png_bytep out, png_size_t length) {
    auto* st = static_cast<png_reader_state*>(png_get_io_ptr(png));
    if (length > st->size - st->offset) png_error(png, "the file ends before the image does");
    std::memcpy(out, st->data + st->offset, length);
    st->offset += length;
}

void png_record_error(png_structp png, png_const_charp message) {
    auto* st = static_cast<png_reader_state*>(png_get_error_ptr(png));
    std::snprintf(st->error, sizeof st->error, "%s", message);
    png_longjmp(png, 1);
}

void png_ignore_warning(png_structp, png_const_charp) {}

// Reads every row (into one row buffer) and the end chunk: 0 and the dimensions when whole.
int read_whole_png(png_reader_state* st, png_uint_32* width, png_uint_32* height) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, st, png_record_error, png_ignore_warning);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    png_bytep row = nullptr;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_free(png, row);
        png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
        return -1;
    }
    png_set_read_fn(png, st, png_read_from_memory);
    png_read_info(png, info);
    *width = png_get_image_width(png, info);
    *height = png_get_image_height(png, info);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    row = static_cast<png_bytep>(png_malloc(png, png_get_rowbytes(png, info)));
    for (int pass = 0; pass < passes; ++pass)
        for (png_uint_32 y = 0; y < *height; ++y) png_read_row(png, row, nullptr);
    png_read_end(png, nullptr);
    png_free(png, row);
    png_destroy_read_struct(&png, &info, nullptr);
    return 0;
}

inspection inspect_png(mapped_file const& f, facts out) {
    png_reader_state st{f.data(), f.size(), 0, "unreadable PNG"};
    png_uint_32 width = 0, height = 0;
    if (read_whole_png(&st, &width, &height) != 0)
        return {std::nullopt, std::string("the PNG image is cut off or damaged: ") + st.error};
    out.width = width;
    out.height = height;
    return {std::move(out), {}};
}

std::uint64_t big_endian(unsigned char const* p, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | p[i];
    return v;
}

// ISO base media (MP4, QuickTime): the top-level boxes must tile the file exactly.
inspection inspect_iso_media(mapped_file const& f, facts out) {
    std::uint64_t at = 0;
    bool movie = false;
    while (at < f.size()) {
        if (f.size() - at < 8) return {std::nullopt, "the video ends inside a box header"};
        std::uint64_t size = big_endian(f.data() + at, 4);
        std::string_view type(reinterpret_cast<char const*>(f.data() + at + 4), 4);
        if (size == 1) {
            if (f.size() - at < 16) return {std::nullopt, "the video ends inside a box header"};
            size = big_endian(f.data() + at + 8, 8);
        } else if (size == 0) {
            size = f.size() - at;
        }
        if (size < 8 || size > f.size() - at) return {std::nullopt, "the video is cut off (a box runs past its end)"};
        if (type == "moov") movie = true;
        at += size;
    }
    if (!movie) return {std::nullopt, "the video has no movie header (moov box)"};
    return {std::move(out), {}};
}

inspection inspect_pdf(mapped_file const& f, facts out) {
    std::size_t const tail = std::min<std::size_t>(f.size(), 1024);
    std::string_view end(reinterpret_cast<char const*>(f.data() + f.size() - tail), tail);
    if (end.find("%%EOF") == std::string_view::npos) return {std::nullopt, "the PDF is cut off (no %%EOF at its end)"};
    return {std::move(out), {}};
}

}  // namespace

bool is_creative_type(std::string_view type) {
    return type.starts_with("image/") || type.starts_with("video/") || type == "application/pdf";
}

std::string bare_media_type(std::string_view content_type) {
    auto semi = content_type.find(';');
    auto bare = content_type.substr(0, semi);
    while (!bare.empty() && (bare.back() == ' ' || bare.back() == '\t')) bare.remove_suffix(1);
    while (!bare.empty() && (bare.front() == ' ' || bare.front() == '\t')) bare.remove_prefix(1);
    std::string out(bare);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

inspection inspect_file(std::filesystem::path const& file) {
    mapped_file f(file);
    if (!f.data()) return {std::nullopt, "the file is empty or cannot be read"};
    facts out{sniff_type(file), std::nullopt, std::nullopt};
    if (out.type.empty()) return {std::nullopt, "the file's type cannot be recognised"};
    if (out.type == "image/jpeg") return inspect_jpeg(f, std::move(out));
    if (out.type == "image/png") return inspect_png(f, std::move(out));
    if (out.type == "video/mp4" || out.type == "video/quicktime") return inspect_iso_media(f, std::move(out));
    if (out.type == "application/pdf") return inspect_pdf(f, std::move(out));
    return {std::move(out), {}};
}

}  // namespace signoff::media
