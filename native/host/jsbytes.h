// Byte strings between native code and the TypeScript engine. The engine keeps keys, values
// and arguments as one-byte (latin1) JS strings: each char is one byte, so any binary data
// crosses unchanged.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>

namespace vmhost {

/** The bytes of a one-byte JS string (an empty string when `v` is not a string). */
inline std::string js_to_bytes(Napi::Env env, napi_value v) {
    size_t len = 0;
    if (napi_get_value_string_latin1(env, v, nullptr, 0, &len) != napi_ok) return std::string();
    std::string s(len, '\0');
    napi_get_value_string_latin1(env, v, &s[0], len + 1, &len);
    return s;
}

/** `n` bytes at `p` as a one-byte JS string. */
inline Napi::Value bytes_to_js(Napi::Env env, const char *p, size_t n) {
    napi_value out;
    napi_create_string_latin1(env, p, n, &out);
    return Napi::Value(env, out);
}

}  // namespace vmhost
