#pragma once
// A fresh directory under /tmp for one test, removed with everything in it on destruction.
// Move-only; a moved-from temp_dir owns nothing.

#include <filesystem>
#include <string>
#include <string_view>

namespace signoff::test {

class temp_dir {
  public:
    explicit temp_dir(std::string_view prefix = "signoff-test");  // mkdtemp("/tmp/<prefix>-XXXXXX")
    ~temp_dir();
    temp_dir(temp_dir&& other) noexcept;
    temp_dir& operator=(temp_dir&& other) noexcept;
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;

    std::filesystem::path const& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

    // Writes `contents` to path() / name (creating parent folders) and returns the full path.
    std::filesystem::path write(std::string_view name, std::string_view contents) const;

  private:
    void remove() noexcept;

    std::filesystem::path path_;
};

// The whole file; throws std::runtime_error naming the path when it cannot be read.
std::string read_file(std::filesystem::path const& path);

}  // namespace signoff::test
