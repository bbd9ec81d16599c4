#include "support/openapi_check.hpp"

#include "bot/api/openapi.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace signoff::test {

namespace {

using json = nlohmann::json;

constexpr std::size_t shown_bytes = 120;

std::string shown(json const& value) {
    auto text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return text.size() > shown_bytes ? text.substr(0, shown_bytes) + "…" : text;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "#/components/schemas/Item" → the value it names; nullptr when it names nothing.
json const* resolve(json const& document, std::string const& ref) {
    if (ref.rfind("#", 0) != 0) return nullptr;
    try {
        auto const& target = document.at(json::json_pointer(ref.substr(1)));
        return &target;
    } catch (json::exception const&) {
        return nullptr;
    }
}

bool has_type(json const& instance, std::string const& type) {
    if (type == "null") return instance.is_null();
    if (type == "boolean") return instance.is_boolean();
    if (type == "string") return instance.is_string();
    if (type == "object") return instance.is_object();
    if (type == "array") return instance.is_array();
    if (type == "number") return instance.is_number();
    if (type == "integer") {
        if (instance.is_number_integer()) return true;
        if (!instance.is_number_float()) return false;
        double const d = instance.get<double>();
        return d == static_cast<double>(static_cast<long long>(d));
    }
    return false;
}

// Code points, not bytes: JSON Schema counts characters.
std::size_t utf8_length(std::string const& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

long double as_number(json const& value) {
    if (value.is_number_unsigned()) return static_cast<long double>(value.get<std::uint64_t>());
    if (value.is_number_integer()) return static_cast<long double>(value.get<std::int64_t>());
    return static_cast<long double>(value.get<double>());
}

bool pattern_matches(std::string const& pattern, std::string const& text) {
    thread_local std::map<std::string, std::regex> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    return std::regex_search(text, it->second);
}

class validator {
public:
    explicit validator(json const& document) : document_(document) {}

    std::optional<std::string> check(json const& schema, json const& instance, std::string const& at,
                                     int depth = 0) const {
        if (depth > max_depth) return at + ": $ref nesting deeper than " + std::to_string(max_depth);
        if (schema.is_boolean())
            return schema.get<bool>() ? std::nullopt : std::optional<std::string>(at + ": no value is allowed");
        if (!schema.is_object()) return at + ": the schema is not an object";
        if (auto ref = schema.find("$ref"); ref != schema.end()) {
            auto const* target = ref->is_string() ? resolve(document_, ref->get<std::string>()) : nullptr;
            if (!target) return at + ": $ref " + shown(*ref) + " does not resolve";
            if (auto e = check(*target, instance, at, depth + 1)) return e;
        }
        for (auto f : {&validator::check_type, &validator::check_values, &validator::check_object,
                       &validator::check_array, &validator::check_string, &validator::check_number,
                       &validator::check_combinations})
            if (auto e = (this->*f)(schema, instance, at, depth)) return e;
        return std::nullopt;
    }

private:
    static constexpr int max_depth = 64;
    using result = std::optional<std::string>;

    result check_type(json const& schema, json const& instance, std::string const& at, int) const {
        auto it = schema.find("type");
        if (it == schema.end()) return std::nullopt;
        std::vector<std::string> types;
        if (it->is_string()) types.push_back(it->get<std::string>());
        else for (auto const& t : *it) types.push_back(t.get<std::string>());
        for (auto const& t : types)
            if (has_type(instance, t)) return std::nullopt;
        return at + ": " + shown(instance) + " is not of type " + shown(*it);
    }

    result check_values(json const& schema, json const& instance, std::string const& at, int) const {
        if (auto it = schema.find("const"); it != schema.end() && *it != instance)
            return at + ": " + shown(instance) + " is not " + shown(*it);
        if (auto it = schema.find("enum"); it != schema.end() &&
                                           std::find(it->begin(), it->end(), instance) == it->end())
            return at + ": " + shown(instance) + " is not one of " + shown(*it);
        return std::nullopt;
    }

    result check_object(json const& schema, json const& instance, std::string const& at, int depth) const {
        if (!instance.is_object()) return std::nullopt;
        if (auto it = schema.find("required"); it != schema.end())
            for (auto const& name : *it)
                if (!instance.contains(name.get<std::string>()))
                    return at + ": the required property \"" + name.get<std::string>() + "\" is missing";
        auto const props = schema.find("properties");
        auto const extra = schema.find("additionalProperties");
        for (auto const& [name, value] : instance.items()) {
            std::string const here = at + "." + name;
            if (props != schema.end() && props->contains(name)) {
                if (auto e = check((*props)[name], value, here, depth + 1)) return e;
            } else if (extra != schema.end()) {
                if (extra->is_boolean() && !extra->get<bool>())
                    return at + ": the property \"" + name + "\" is not allowed (additionalProperties is false)";
                if (auto e = check(*extra, value, here, depth + 1)) return e;
            }
        }
        return std::nullopt;
    }

    result check_array(json const& schema, json const& instance, std::string const& at, int depth) const {
        if (!instance.is_array()) return std::nullopt;
        if (auto it = schema.find("minItems"); it != schema.end() && instance.size() < it->get<std::size_t>())
            return at + ": fewer than " + shown(*it) + " items";
        if (auto it = schema.find("maxItems"); it != schema.end() && instance.size() > it->get<std::size_t>())
            return at + ": more than " + shown(*it) + " items";
        if (auto it = schema.find("items"); it != schema.end())
            for (std::size_t i = 0; i < instance.size(); ++i)
                if (auto e = check(*it, instance[i], at + "[" + std::to_string(i) + "]", depth + 1)) return e;
        return std::nullopt;
    }

    result check_string(json const& schema, json const& instance, std::string const& at, int) const {
        if (!instance.is_string()) return std::nullopt;
        auto const& s = instance.get_ref<std::string const&>();
        if (auto it = schema.find("minLength"); it != schema.end() && utf8_length(s) < it->get<std::size_t>())
            return at + ": " + shown(instance) + " is shorter than " + shown(*it);
        if (auto it = schema.find("maxLength"); it != schema.end() && utf8_length(s) > it->get<std::size_t>())
            return at + ": " + shown(instance) + " is longer than " + shown(*it);
        if (auto it = schema.find("pattern"); it != schema.end() && !pattern_matches(it->get<std::string>(), s))
            return at + ": " + shown(instance) + " does not match " + shown(*it);
        return std::nullopt;
    }

    result check_number(json const& schema, json const& instance, std::string const& at, int) const {
        if (!instance.is_number()) return std::nullopt;
        if (auto it = schema.find("minimum"); it != schema.end() && as_number(instance) < as_number(*it))
            return at + ": " + shown(instance) + " is below the minimum " + shown(*it);
        if (auto it = schema.find("maximum"); it != schema.end() && as_number(instance) > as_number(*it))
            return at + ": " + shown(instance) + " is above the maximum " + shown(*it);
        return std::nullopt;
    }

    result check_combinations(json const& schema, json const& instance, std::string const& at, int depth) const {
        if (auto it = schema.find("allOf"); it != schema.end())
            for (auto const& sub : *it)
                if (auto e = check(sub, instance, at, depth + 1)) return e;
        if (auto it = schema.find("anyOf"); it != schema.end()) {
            result first;
            for (auto const& sub : *it) {
                auto e = check(sub, instance, at, depth + 1);
                if (!e) return std::nullopt;
                if (!first) first = e;
            }
            return at + ": matches none of anyOf (the first says: " + *first + ")";
        }
        if (auto it = schema.find("oneOf"); it != schema.end()) {
            int matched = 0;
            std::vector<std::string> why;
            for (auto const& sub : *it) {
                if (auto e = check(sub, instance, at, depth + 1)) why.push_back(*e);
                else ++matched;
            }
            if (matched == 0) {
                std::string all;
                for (auto const& w : why) all += (all.empty() ? "" : "; ") + w;
                return at + ": matches none of oneOf (" + all + ")";
            }
            if (matched > 1) return at + ": matches " + std::to_string(matched) + " alternatives of oneOf, not one";
        }
        if (auto it = schema.find("not"); it != schema.end() && !check(*it, instance, at, depth + 1))
            return at + ": " + shown(instance) + " matches the schema under not";
        return std::nullopt;
    }

    json const& document_;
};

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') return out;
    path.remove_prefix(1);
    for (;;) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) return out;
        path.remove_prefix(slash + 1);
    }
}

bool is_template(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// The document's path that `path` matches, preferring literal segments over templates (as
// OpenAPI says); nullptr when none does.
std::string const* documented_path(json const& document, std::string_view path) {
    auto const wanted = segments(path);
    std::string const* best = nullptr;
    int best_templates = 0;
    for (auto const& [pattern, item] : document.at("paths").items()) {
        auto const parts = segments(pattern);
        if (parts.size() != wanted.size()) continue;
        int templates = 0;
        bool ok = true;
        for (std::size_t i = 0; ok && i < parts.size(); ++i) {
            if (is_template(parts[i])) ok = !wanted[i].empty(), ++templates;
            else ok = parts[i] == wanted[i];
        }
        if (ok && (!best || templates < best_templates)) best = &pattern, best_templates = templates;
    }
    return best;
}

constexpr std::string_view methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

json const& follow(json const& document, json const& value) {
    if (value.is_object() && value.contains("$ref"))
        if (auto const* target = resolve(document, value["$ref"].get<std::string>())) return *target;
    return value;
}

std::string media_type(std::string const& content_type) {
    auto type = lower(content_type.substr(0, content_type.find(';')));
    type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
    return type;
}

// The body against the schema of its media type.
std::optional<std::string> body_violation(json const& document, std::string const& type, json const& schema,
                                          std::string const& body) {
    validator v(document);
    if (type.ends_with("/*")) return std::nullopt;  // a media range documents raw bytes: any body is one
    if (type == "application/json" || type.ends_with("+json")) {
        auto value = json::parse(body, nullptr, false);
        if (value.is_discarded()) return "the body is not JSON: " + body.substr(0, shown_bytes);
        return v.check(schema, value, "$");
    }
    if (type == "application/x-ndjson") {
        std::istringstream lines(body);
        std::string line;
        for (int n = 1; std::getline(lines, line); ++n) {
            auto value = json::parse(line, nullptr, false);
            if (value.is_discarded()) return "line " + std::to_string(n) + " is not JSON: " + line.substr(0, shown_bytes);
            if (auto e = v.check(schema, value, "line " + std::to_string(n) + " $")) return e;
        }
        return std::nullopt;
    }
    return v.check(schema, json(body), "$");
}

std::optional<std::string> operation_violation(json const& document, json const& operation, response const& r) {
    auto const& responses = operation.at("responses");
    auto const code = std::to_string(r.status);
    auto const range = code.substr(0, 1) + "XX";
    json const* described = nullptr;
    for (auto const& key : {code, range, std::string("default")})
        if (responses.contains(key)) {
            described = &follow(document, responses[key]);
            break;
        }
    if (!described) {
        std::string listed;
        for (auto const& [key, value] : responses.items()) listed += (listed.empty() ? "" : ", ") + key;
        return "status " + code + " is not documented (documented: " + listed + "); body " + r.body.substr(0, shown_bytes);
    }
    auto const content = described->find("content");
    if (content == described->end() || content->empty()) {
        if (r.body.empty()) return std::nullopt;
        return "status " + code + " is documented without a body, but one came: " + r.body.substr(0, shown_bytes);
    }
    auto type = media_type(r.header("Content-Type"));
    // A documented media range ("image/*", "*/*") covers the types in it (OpenAPI 3.1 §4.8.14).
    if (!content->contains(type)) {
        auto const range = type.substr(0, type.find('/')) + "/*";
        if (content->contains(range)) type = range;
        else if (content->contains("*/*")) type = "*/*";
    }
    if (!content->contains(type)) {
        std::string listed;
        for (auto const& [key, value] : content->items()) listed += (listed.empty() ? "" : ", ") + key;
        return "content type \"" + r.header("Content-Type") + "\" is not documented for status " + code +
               " (documented: " + listed + ")";
    }
    auto const& media = (*content)[type];
    if (!media.contains("schema")) return std::nullopt;
    if (auto e = body_violation(document, type, media["schema"], r.body))
        return "status " + code + " " + type + ": " + *e;
    return std::nullopt;
}

}  // namespace

std::optional<std::string> schema_violation(json const& document, json const& schema, json const& instance) {
    return validator(document).check(schema, instance, "$");
}

response_check check_response(json const& document, std::string_view method, std::string_view target,
                              response const& r) {
    auto const path = target.substr(0, target.find('?'));
    auto const* pattern = documented_path(document, path);
    if (!pattern) return {};
    auto const& item = document["paths"][*pattern];
    auto const verb = lower(method);
    auto prefix = [&] {
        return "OpenAPI: " + std::string(method) + " " + std::string(target) + " → " + std::to_string(r.status) +
               " (documented as " + *pattern + "): ";
    };
    if (!item.contains(verb)) {
        std::set<std::string> documented, allowed;
        for (auto m : methods)
            if (item.contains(m)) documented.insert(lower(m));
        std::istringstream allow(r.header("Allow"));
        for (std::string m; std::getline(allow >> std::ws, m, ',');) allowed.insert(lower(m.substr(0, m.find(' '))));
        auto envelope = operation_violation(document, {{"responses", {{"405", {{"$ref", "#/components/responses/MethodNotAllowed"}}}}}}, r);
        if (envelope) return {true, prefix() + "the method is not documented for this path, so expected 405: " + *envelope};
        if (allowed != documented)
            return {true, prefix() + "Allow \"" + r.header("Allow") + "\" differs from the documented methods"};
        return {true, std::nullopt};
    }
    if (auto e = operation_violation(document, item[verb], r)) return {true, prefix() + *e};
    return {true, std::nullopt};
}

std::vector<std::string> document_problems(json const& document) {
    std::vector<std::string> problems;
    if (document.value("openapi", "") != "3.1.0") problems.push_back("openapi is not \"3.1.0\"");
    auto const info = document.find("info");
    if (info == document.end() || !info->is_object() || !info->contains("title") || !info->contains("version"))
        problems.push_back("info with title and version is missing");
    auto const paths = document.find("paths");
    if (paths == document.end() || !paths->is_object() || paths->empty()) {
        problems.push_back("paths is missing or empty");
        return problems;
    }
    // Every $ref anywhere in the document resolves.
    std::function<void(json const&, std::string const&)> walk = [&](json const& value, std::string const& at) {
        if (value.is_object()) {
            if (auto ref = value.find("$ref"); ref != value.end() &&
                                               (!ref->is_string() || !resolve(document, ref->get<std::string>())))
                problems.push_back(at + ": $ref " + shown(*ref) + " does not resolve");
            for (auto const& [key, sub] : value.items()) walk(sub, at + "/" + key);
        } else if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i) walk(value[i], at + "/" + std::to_string(i));
        }
    };
    walk(document, "#");
    for (auto const& [pattern, item] : paths->items()) {
        if (pattern.empty() || pattern.front() != '/') problems.push_back(pattern + ": a path must start with /");
        int operations = 0;
        for (auto m : methods) {
            auto const op = item.find(std::string(m));
            if (op == item.end()) continue;
            ++operations;
            std::string const where = std::string(m) + " " + pattern;
            auto const responses = op->find("responses");
            if (responses == op->end() || !responses->is_object() || responses->empty()) {
                problems.push_back(where + ": no responses");
                continue;
            }
            for (auto const& [code, value] : responses->items()) {
                bool const valid = code == "default" || (code.size() == 3 && code[0] >= '1' && code[0] <= '5' &&
                                                         (std::isdigit(static_cast<unsigned char>(code[1])) ||
                                                          code.substr(1) == "XX"));
                if (!valid) problems.push_back(where + ": response key \"" + code + "\" is not a status");
                if (!follow(document, value).contains("description"))
                    problems.push_back(where + " " + code + ": a response needs a description");
            }
            for (auto part : segments(pattern)) {
                if (!is_template(part)) continue;
                std::string const name(part.substr(1, part.size() - 2));
                bool declared = false;
                for (auto const& p : op->value("parameters", json::array()))
                    declared = declared || (follow(document, p).value("in", "") == "path" &&
                                            follow(document, p).value("name", "") == name);
                if (!declared) problems.push_back(where + ": the path parameter {" + name + "} is not declared");
            }
        }
        if (operations == 0) problems.push_back(pattern + ": no operations");
    }
    return problems;
}

json const& served_openapi() {
    static json const document = json::parse(openapi_json());
    return document;
}

}  // namespace signoff::test
