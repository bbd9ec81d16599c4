#include "config/strict_json.hpp"

#include "config/env_expand.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace signoff::config {
namespace {

using json = nlohmann::ordered_json;

// Reports keys repeated within one object: the parser would silently keep only one of them.
struct duplicate_keys {
    struct frame {
        bool array = false;
        std::size_t index = 0;
        std::string key;
        std::set<std::string> seen;
    };
    std::vector<frame> stack;
    std::vector<problem>& out;

    std::string path() const {
        std::string p;
        for (auto const& f : stack) p = f.array ? index_path(p, f.index) : join_path(p, f.key);
        return p;
    }
    void element_done() {
        if (!stack.empty() && stack.back().array) ++stack.back().index;
    }
    bool operator()(int, json::parse_event_t event, json& parsed) {
        using ev = json::parse_event_t;
        switch (event) {
            case ev::object_start:
                stack.push_back({});
                break;
            case ev::array_start:
                stack.emplace_back().array = true;
                break;
            case ev::key:
                stack.back().key = parsed.get<std::string>();
                if (!stack.back().seen.insert(stack.back().key).second) out.push_back({path(), "duplicate key"});
                break;
            case ev::object_end:
            case ev::array_end:
                stack.pop_back();
                element_done();
                break;
            case ev::value:
                element_done();
                break;
        }
        return true;
    }
};

// nlohmann's message quotes the text it last read, which may be part of a secret: keep the rest.
std::string parse_message(json::parse_error const& e, std::string_view text) {
    std::string what = e.what();
    auto column = what.find("column ");
    auto start = column == std::string::npos ? std::string::npos : what.find(": ", column);
    std::string reason = start == std::string::npos ? what : what.substr(start + 2);
    if (auto read = reason.find("; last read: '"); read != std::string::npos) {
        auto expected = reason.rfind("'; expected ");
        reason.erase(read, expected != std::string::npos && expected > read ? expected + 1 - read : std::string::npos);
    }
    std::size_t byte = std::min<std::size_t>(e.byte, text.size());
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i + 1 < byte; ++i)
        if (text[i] == '\n') ++line, line_start = i + 1;
    return "invalid JSON at byte " + std::to_string(e.byte) + " (line " + std::to_string(line) + ", column " +
           std::to_string(byte - line_start) + "): " + reason;
}

}  // namespace

std::optional<nlohmann::ordered_json> parse_strict(std::string_view text, std::vector<problem>& out) {
    std::vector<problem> duplicates;
    duplicate_keys tracker{{}, duplicates};
    try {
        json doc = json::parse(text.begin(), text.end(), std::ref(tracker));
        out.insert(out.end(), duplicates.begin(), duplicates.end());
        return doc;
    } catch (json::parse_error const& e) {
        out.push_back({"", parse_message(e, text)});
        return std::nullopt;
    } catch (json::out_of_range const&) {
        // A number too large for a double ("1e999") is thrown as out_of_range, not parse_error.
        out.push_back({"", "invalid JSON: a number out of range"});
        return std::nullopt;
    }
}

}  // namespace signoff::config
