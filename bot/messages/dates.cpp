// Dates in each language's own form: the pattern is the translator's ("format.date_time" in the
// catalogue), the month names and digits are CLDR's through ICU.

#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "bot/core/language.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat::detail {
namespace {

std::unique_ptr<icu::SimpleDateFormat> make_format(lang l) {
    UErrorCode status = U_ZERO_ERROR;
    auto const pattern = icu::UnicodeString::fromUTF8(text(l, "format.date_time"));
    auto format = std::make_unique<icu::SimpleDateFormat>(pattern, icu::Locale::forLanguageTag(tag_of(l), status),
                                                          status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU cannot format dates for " + std::string(tag_of(l)));
    format->adoptTimeZone(icu::TimeZone::getGMT()->clone());
    return format;
}

}  // namespace

std::string format_wall_clock(lang l, double wall_ms) {
    // One formatter per language and thread: building one costs more than a whole pending list,
    // and ICU formatters are not to be shared between threads.
    thread_local std::vector<std::unique_ptr<icu::SimpleDateFormat>> formats(languages::all().size());
    auto& format = formats.at(l.index);
    if (!format) format = make_format(l);
    icu::UnicodeString shown;
    format->format(wall_ms, shown);
    std::string out;
    shown.toUTF8String(out);
    return out;
}

}  // namespace signoff::chat::detail
