// The compiled gettext catalogues embedded in the binary (bot/core/language.hpp), read through
// Boost.Locale's gettext loader from memory: it evaluates each catalogue's Plural-Forms, so the
// plural rules live with the translations. Nothing is read from disk.

#include <boost/locale/gnu_gettext.hpp>

#include <cstdint>
#include <cstring>
#include <locale>
#include <stdexcept>
#include <vector>

#include "bot/core/language.hpp"
#include "bot/core/log.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat::detail {
namespace {

using catalogue = boost::locale::message_format<char>;

// A facet is owned by the std::locale it is installed in.
std::locale load(languages::language const& l) {
    boost::locale::gnu_gettext::messages_info info;
    info.language = std::string(l.tag);
    info.encoding = "UTF-8";
    info.domains = {boost::locale::gnu_gettext::messages_info::domain("signoff")};
    info.paths = {"embedded"};
    // Asked for each file name the loader would try; every name of this language is the one catalogue.
    info.callback = [data = l.catalogue](std::string const&, std::string const&) {
        return std::vector<char>(data.begin(), data.end());
    };
    auto* facet = boost::locale::gnu_gettext::create_messages_facet<char>(info);
    if (!facet) throw std::runtime_error("the " + std::string(l.tag) + " message catalogue does not load");
    return std::locale(std::locale::classic(), facet);
}

catalogue const& catalogue_of(lang l) {
    static auto const all = [] {
        std::vector<std::locale> out;
        for (auto const& l : languages::all()) out.push_back(load(l));
        return out;
    }();
    return std::use_facet<catalogue>(all.at(l.index));
}

// A key missing from a catalogue is a bug the catalogue test catches; at run time the key shows.
std::string found_or_key(char const* text, std::string_view key, lang l) {
    if (text) return text;
    log::warn("messages.missing", {{"language", std::string(tag_of(l))}, {"key", std::string(key)}});
    return std::string(key);
}

// The msgids of a compiled catalogue, read from its table of original strings (the GNU .mo
// layout: magic, revision, count, offset of that table; each entry a length and an offset).
std::vector<std::string> msgids_of(std::string_view mo) {
    auto word = [&](std::size_t at) {
        if (at + 4 > mo.size()) throw std::runtime_error("a message catalogue is cut short");
        std::uint32_t v = 0;
        std::memcpy(&v, mo.data() + at, 4);
        return v;
    };
    if (word(0) != 0x950412de) throw std::runtime_error("a message catalogue is not a little-endian .mo file");
    auto const count = word(8), table = word(12);
    std::vector<std::string> out;
    for (std::uint32_t i = 0; i < count; ++i) {
        auto const length = word(table + 8 * i), offset = word(table + 8 * i + 4);
        if (std::size_t{offset} + length > mo.size()) throw std::runtime_error("a message catalogue is cut short");
        out.emplace_back(mo.substr(offset, length));
    }
    return out;
}

}  // namespace

std::vector<std::string> const& message_keys() {
    // Every catalogue has the same keys (scripts/check-catalogues.py); the default's are read.
    static auto const keys = msgids_of(languages::all().front().catalogue);
    return keys;
}

lang to_lang(std::string_view language) { return {languages::closest(language)}; }

std::string_view tag_of(lang l) { return languages::all()[l.index].tag; }

std::string text(lang l, std::string_view key) {
    std::string const id(key);
    return found_or_key(catalogue_of(l).get(0, nullptr, id.c_str()), key, l);
}

std::string text_n(lang l, std::string_view key, long n) {
    std::string const id(key);
    // Plural rules look at n % 100 and n % 10 at most; the modulus keeps n within an int.
    return found_or_key(catalogue_of(l).get(0, nullptr, id.c_str(), static_cast<int>(n % 1000000)), key, l);
}

}  // namespace signoff::chat::detail
