#include "bot/core/json_fields.hpp"

#include <limits>
#include <stdexcept>

namespace signoff::json_fields {

using json = nlohmann::json;

json const* find(json const& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto const it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string join(std::string const& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index(std::string const& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

void reader::fail(std::string const& path, std::string_view what) const {
    fail_(path, what);
    throw std::logic_error("json_fields: the fail function returned for " + path);
}

json const& reader::as_object(json const& value, std::string const& path) const {
    if (!value.is_object()) fail(path, "not an object");
    return value;
}

json const& reader::as_array(json const& value, std::string const& path) const {
    if (!value.is_array()) fail(path, "not an array");
    return value;
}

std::string reader::as_string(json const& value, std::string const& path) const {
    if (!value.is_string()) fail(path, "not a string");
    return value.get<std::string>();
}

bool reader::as_bool(json const& value, std::string const& path) const {
    if (!value.is_boolean()) fail(path, "not a boolean");
    return value.get<bool>();
}

std::int64_t reader::as_int64(json const& value, std::string const& path) const {
    if (!value.is_number_integer()) fail(path, "not an integer");
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        fail(path, "out of range");
    return value.get<std::int64_t>();
}

json const& reader::required(json const& object, std::string_view key, std::string const& path) const {
    auto const* value = find(object, key);
    if (!value) fail(join(path, key), "missing");
    return *value;
}

json const& reader::object_field(json const& o, std::string_view key, std::string const& path) const {
    return as_object(required(o, key, path), join(path, key));
}

json const& reader::array_field(json const& o, std::string_view key, std::string const& path) const {
    return as_array(required(o, key, path), join(path, key));
}

std::string reader::string_field(json const& o, std::string_view key, std::string const& path) const {
    return as_string(required(o, key, path), join(path, key));
}

std::int64_t reader::int_field(json const& o, std::string_view key, std::string const& path) const {
    return as_int64(required(o, key, path), join(path, key));
}

std::optional<std::string> reader::optional_string(json const& o, std::string_view key, std::string const& path) const {
    auto const* value = find(o, key);
    return value ? std::optional{as_string(*value, join(path, key))} : std::nullopt;
}

}  // namespace signoff::json_fields
