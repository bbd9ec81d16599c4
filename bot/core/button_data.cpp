#include "bot/core/button_data.hpp"

#include <climits>
#include <stdexcept>

namespace signoff::buttons {

namespace {
constexpr std::size_t max_id_digits = 18;        // every 18-digit number fits std::int64_t
constexpr std::size_t max_revision_digits = 10;  // INT_MAX has 10

// Canonical decimal: 1..max_digits digits, no leading zero, so every value has one spelling.
std::optional<std::int64_t> canonical_number(std::string_view f, std::size_t max_digits) {
    if (f.empty() || f.size() > max_digits || f.front() == '0') return std::nullopt;
    std::int64_t value = 0;
    for (char const c : f) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}
}  // namespace

std::string encode(button_action const& b) {
    if (b.item < 1 || b.revision < 1) throw std::invalid_argument("button data: item and revision start at 1");
    char const letter = b.what == decision::approve ? 'a' : b.what == decision::reject ? 'r' : 'c';
    return std::string(1, letter) + ':' + std::to_string(b.item) + ':' + std::to_string(b.revision);
}

std::optional<button_action> decode(std::string_view data) {
    if (data.size() > max_data_bytes || data.size() < 5 || data[1] != ':') return std::nullopt;
    decision what;
    switch (data[0]) {
        case 'a': what = decision::approve; break;
        case 'r': what = decision::reject; break;
        case 'c': what = decision::changes; break;
        default: return std::nullopt;
    }
    auto const numbers = data.substr(2);
    auto const colon = numbers.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto const item = canonical_number(numbers.substr(0, colon), max_id_digits);
    auto const revision = canonical_number(numbers.substr(colon + 1), max_revision_digits);
    if (!item || !revision || *revision > INT_MAX) return std::nullopt;
    return button_action{what, *item, static_cast<int>(*revision)};
}

}  // namespace signoff::buttons
