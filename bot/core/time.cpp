#include "bot/core/time.hpp"

#include <date/date.h>

#include <chrono>
#include <cmath>
#include <regex>
#include <sstream>

namespace signoff {

millis hours_to_ms(double hours) { return static_cast<millis>(std::llround(hours * static_cast<double>(ms_per_hour))); }
millis minutes_to_ms(double minutes) {
    return static_cast<millis>(std::llround(minutes * static_cast<double>(ms_per_minute)));
}

std::string rfc3339(millis instant) {
    using namespace std::chrono;
    sys_time<milliseconds> const tp{milliseconds{instant}};
    if (tp == floor<seconds>(tp)) return date::format("%FT%TZ", floor<seconds>(tp));
    return date::format("%FT%TZ", tp);
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// RFC 3339 §5.6 date-time. date::parse alone is laxer (one-digit fields, "+5:30"), so the shape
// is checked first; date::parse then checks the values (month 13, February 30, hour 24).
std::regex const rfc3339_shape(R"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d))");

}  // namespace

std::optional<millis> parse_rfc3339(std::string_view text) {
    std::string s(text);
    if (!std::regex_match(s, rfc3339_shape)) return std::nullopt;
    s[10] = 'T';
    if (s.back() == 'z' || s.back() == 'Z') s.replace(s.size() - 1, 1, "+00:00");
    if (s.compare(17, 2, "60") == 0) s.replace(17, 2, "59");  // a leap second collapses onto the one before
    if (s.size() > 19 && s[19] == '.') {                        // milliseconds: cut or pad to 3 digits
        auto const end = s.find_first_of("+-", 19);
        auto frac = s.substr(20, end - 20);
        frac.resize(3, '0');
        s.replace(20, end - 20, frac);
    }
    using namespace std::chrono;
    sys_time<milliseconds> tp;
    std::istringstream in(s);
    in >> date::parse("%FT%T%Ez", tp);
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
    return tp.time_since_epoch().count();
}

std::optional<int> parse_hh_mm(std::string_view s) {
    int hour, minute;
    if (s.size() != 5 || !digits(s, 0, 2, hour) || s[2] != ':' || !digits(s, 3, 2, minute) || hour > 23 || minute > 59)
        return std::nullopt;
    return hour * 60 + minute;
}

millis system_clock::now() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace signoff
