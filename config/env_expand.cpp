#include "config/env_expand.hpp"

#include <optional>

namespace signoff::config {
namespace {

using json = nlohmann::ordered_json;

struct reference {
    std::string name;
    std::optional<std::string> fallback;  // text after ":-", when present
};

bool valid_name(std::string_view n) {
    if (n.empty() || (n[0] >= '0' && n[0] <= '9')) return false;
    for (char c : n)
        if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

// nullopt for a string that does not start with "${"; an empty name marks a malformed reference.
std::optional<reference> parse_reference(std::string_view s) {
    if (!s.starts_with("${")) return std::nullopt;
    reference r;
    if (!s.ends_with("}")) return r;
    std::string_view inner = s.substr(2, s.size() - 3);
    auto sep = inner.find(":-");
    std::string_view name = inner.substr(0, sep);
    if (!valid_name(name)) return r;
    r.name = name;
    if (sep != std::string_view::npos) r.fallback = std::string(inner.substr(sep + 2));
    return r;
}

struct walker {
    env_lookup const& env;
    std::vector<problem>& out;
    source_info info;

    void expand(json& node, std::string const& path) {
        auto ref = parse_reference(node.get_ref<std::string const&>());
        if (!ref) return;
        if (ref->name.empty()) {
            out.push_back({path, "malformed environment reference; expected ${NAME}, ${NAME:-} or ${NAME:-default}"});
            return;
        }
        std::optional<std::string> value = env(ref->name);
        if (value && (!value->empty() || !ref->fallback)) {
            node = std::move(*value);
            info.from_env.insert(path);
        } else if (ref->fallback) {
            node = *ref->fallback;
        } else {
            out.push_back({path, "environment variable " + ref->name + " is not set"});
            info.unset.insert(path);
            node = "";
        }
    }

    void walk(json& node, std::string const& path) {
        info.order.emplace(path, info.order.size());
        if (node.is_string()) {
            expand(node, path);
        } else if (node.is_object()) {
            for (auto& [key, value] : node.items()) walk(value, join_path(path, key));
        } else if (node.is_array()) {
            for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], index_path(path, i));
        }
    }
};

}  // namespace

std::string join_path(std::string const& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(std::string const& parent, std::size_t i) { return parent + "[" + std::to_string(i) + "]"; }

std::size_t source_info::position(std::string path) const {
    for (;;) {
        if (auto it = order.find(path); it != order.end()) return it->second;
        if (path.empty()) return 0;
        // NB: a key containing "." or "[" strips wrongly here; only missing paths reach this.
        auto cut = path.ends_with(']') ? path.rfind('[') : path.rfind('.');
        path.resize(cut == std::string::npos ? 0 : cut);
    }
}

source_info expand_env(json& doc, env_lookup const& env, std::vector<problem>& out) {
    walker w{env, out, {}};
    w.walk(doc, "");
    return std::move(w.info);
}

}  // namespace signoff::config
