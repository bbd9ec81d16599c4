#pragma once
// Strict access to the fields of a platform's JSON payload (STYLE rule 20): a missing or
// mistyped required field is an error naming its path ("entry[0].changes[0].value.id: missing"),
// never 0 or ""; optional fields are std::optional; unknown fields are ignored. Each parser
// supplies the function that throws its own error type.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::json_fields {

// The member `key` of `object`, or nullptr when there is none (or `object` is no object).
nlohmann::json const* find(nlohmann::json const& object, std::string_view key);

// The path of member `key` below `path` ("a" + "b" → "a.b", "" + "b" → "b"), and of element `i`.
std::string join(std::string const& path, std::string_view key);
std::string index(std::string const& path, std::size_t i);

// Throws for the value at `path`; `what` says what is wrong ("missing", "not a string", …).
// NB: it must throw; reader treats a return as a programming error.
using fail_function = void (*)(std::string const& path, std::string_view what);

// The checked look-ups of one kind of document; `path` arguments name the value (as_*) or the
// object that holds `key` (the *_field functions).
class reader {
public:
    constexpr explicit reader(fail_function fail) : fail_(fail) {}

    [[noreturn]] void fail(std::string const& path, std::string_view what) const;

    nlohmann::json const& as_object(nlohmann::json const& value, std::string const& path) const;
    nlohmann::json const& as_array(nlohmann::json const& value, std::string const& path) const;
    std::string as_string(nlohmann::json const& value, std::string const& path) const;
    bool as_bool(nlohmann::json const& value, std::string const& path) const;
    std::int64_t as_int64(nlohmann::json const& value, std::string const& path) const;  // "out of range" past int64

    nlohmann::json const& required(nlohmann::json const& object, std::string_view key, std::string const& path) const;
    nlohmann::json const& object_field(nlohmann::json const& o, std::string_view key, std::string const& path) const;
    nlohmann::json const& array_field(nlohmann::json const& o, std::string_view key, std::string const& path) const;
    std::string string_field(nlohmann::json const& o, std::string_view key, std::string const& path) const;
    std::int64_t int_field(nlohmann::json const& o, std::string_view key, std::string const& path) const;
    std::optional<std::string> optional_string(nlohmann::json const& o, std::string_view key,
                                               std::string const& path) const;

private:
    fail_function fail_;
};

}  // namespace signoff::json_fields
