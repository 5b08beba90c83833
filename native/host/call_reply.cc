// Call replies: parsing the RESP bytes the engine returns into a ValkeyModuleCallReply tree,
// freeing it, building command lines from Call/Replicate formats, and the one crossing into
// the JS call bridge.
#include "call_reply.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "context.h"
#include "host.h"
#include "jsbytes.h"
#include "vmstring.h"

namespace vmhost {

namespace {

struct Parser {
    const char *p;
    const char *end;
    bool ok = true;
};

/** The '\r' of the "\r\n" ending the line that starts at p, or nullptr. */
const char *line_end(const char *p, const char *end) {
    while (p < end) {
        const void *q = std::memchr(p, '\r', static_cast<size_t>(end - p));
        if (!q) return nullptr;
        const char *r = static_cast<const char *>(q);
        if (r + 1 < end && r[1] == '\n') return r;
        p = r + 1;
    }
    return nullptr;
}

long long parse_ll(const char *p, const char *e) {
    // The line ends with '\r', which stops strtoll.
    (void)e;
    return std::strtoll(p, nullptr, 10);
}

/** Frees what a node owns (its children and its attribute), not the node itself. */
void free_contents(ValkeyModuleCallReply *r) {
    if (r->elements) {
        for (size_t i = 0; i < r->nelements; i++) free_contents(&r->elements[i]);
        delete[] r->elements;
        r->elements = nullptr;
    }
    if (r->attribute) {
        free_contents(r->attribute);
        delete r->attribute;
        r->attribute = nullptr;
    }
}

void parse_node(Parser &ps, ValkeyModuleCallReply *r, ValkeyModuleCallReply *root);

/** Parses `count` children into a new array owned by r. */
void parse_children(Parser &ps, ValkeyModuleCallReply *r, ValkeyModuleCallReply *root, size_t count) {
    r->nelements = count;
    if (count == 0) return;
    r->elements = new ValkeyModuleCallReply[count];
    for (size_t i = 0; i < count; i++) {
        if (!ps.ok) break;
        parse_node(ps, &r->elements[i], root);
        if (r->elements[i].flags & CR_RESP3) r->flags |= CR_RESP3;
    }
}

void parse_node(Parser &ps, ValkeyModuleCallReply *r, ValkeyModuleCallReply *root) {
    r->root = root;
    const char *start = ps.p;
    if (ps.p >= ps.end) {
        ps.ok = false;
        return;
    }
    char t = *ps.p;
    const char *line = ps.p + 1;
    const char *e = line_end(line, ps.end);
    if (!e) {
        ps.ok = false;
        r->type = VALKEYMODULE_REPLY_UNKNOWN;
        return;
    }
    size_t lineLen = static_cast<size_t>(e - line);
    ps.p = e + 2;
    switch (t) {
        case '+':
            r->type = VALKEYMODULE_REPLY_STRING;
            r->str = line;
            r->len = lineLen;
            break;
        case '-':
            r->type = VALKEYMODULE_REPLY_ERROR;
            r->str = line;
            r->len = lineLen;
            break;
        case ':':
            r->type = VALKEYMODULE_REPLY_INTEGER;
            r->ll = parse_ll(line, e);
            break;
        case '$':
        case '=': {
            long long n = parse_ll(line, e);
            if (n < 0) {
                r->type = VALKEYMODULE_REPLY_NULL;  // $-1: RESP2 null bulk
                break;
            }
            if (ps.end - ps.p < n + 2) {
                ps.ok = false;
                r->type = VALKEYMODULE_REPLY_UNKNOWN;
                return;
            }
            const char *body = ps.p;
            ps.p += n + 2;
            if (t == '$') {
                r->type = VALKEYMODULE_REPLY_STRING;
                r->str = body;
                r->len = static_cast<size_t>(n);
            } else if (n >= 4) {
                r->type = VALKEYMODULE_REPLY_VERBATIM_STRING;
                r->flags |= CR_RESP3;
                r->format = body;
                r->str = body + 4;
                r->len = static_cast<size_t>(n - 4);
            } else {
                r->type = VALKEYMODULE_REPLY_UNKNOWN;
            }
            break;
        }
        case '*':
        case '~':
        case '%':
        case '>': {
            long long n = parse_ll(line, e);
            if (n < 0) {
                r->type = VALKEYMODULE_REPLY_NULL;  // *-1: RESP2 null array
                break;
            }
            size_t count = static_cast<size_t>(n);
            if (t == '*') {
                r->type = VALKEYMODULE_REPLY_ARRAY;
            } else if (t == '~') {
                r->type = VALKEYMODULE_REPLY_SET;
                r->flags |= CR_RESP3;
            } else if (t == '%') {
                r->type = VALKEYMODULE_REPLY_MAP;
                r->flags |= CR_RESP3;
            } else {
                // Push data has no CallReply type: its children are kept so the span is right.
                r->type = VALKEYMODULE_REPLY_UNKNOWN;
                r->flags |= CR_RESP3;
            }
            r->len = count;
            parse_children(ps, r, root, t == '%' ? count * 2 : count);
            break;
        }
        case '|': {
            // An attribute annotates the reply that follows: that reply is this node, and the
            // attribute hangs from it.
            long long n = parse_ll(line, e);
            ValkeyModuleCallReply *attr = new ValkeyModuleCallReply();
            attr->root = root;
            attr->type = VALKEYMODULE_REPLY_ATTRIBUTE;
            attr->flags = CR_RESP3;
            attr->len = n > 0 ? static_cast<size_t>(n) : 0;
            parse_children(ps, attr, root, attr->len * 2);
            attr->proto = start;
            attr->protoLen = static_cast<size_t>(ps.p - start);
            if (ps.ok) parse_node(ps, r, root);
            if (r->attribute) {  // attribute after attribute: the last one counts
                free_contents(attr);
                delete attr;
            } else {
                r->attribute = attr;
            }
            r->flags |= CR_RESP3;
            break;
        }
        case '_':
            r->type = VALKEYMODULE_REPLY_NULL;
            r->flags |= CR_RESP3;
            break;
        case ',': {
            std::string text(line, lineLen);
            r->type = VALKEYMODULE_REPLY_DOUBLE;
            r->flags |= CR_RESP3;
            r->d = std::strtod(text.c_str(), nullptr);
            break;
        }
        case '#':
            r->type = VALKEYMODULE_REPLY_BOOL;
            r->flags |= CR_RESP3;
            r->ll = (lineLen > 0 && line[0] == 't') ? 1 : 0;
            break;
        case '(':
            r->type = VALKEYMODULE_REPLY_BIG_NUMBER;
            r->flags |= CR_RESP3;
            r->str = line;
            r->len = lineLen;
            break;
        default:
            r->type = VALKEYMODULE_REPLY_UNKNOWN;
            ps.ok = false;
            break;
    }
    r->proto = start;
    r->protoLen = static_cast<size_t>(ps.p - start);
}

}  // namespace

ValkeyModuleCallReply *callreply_create(const char *bytes, size_t len, ValkeyModuleCtx *ctx) {
    // One block: the root node, then the protocol bytes (NUL-terminated).
    void *mem = std::malloc(sizeof(ValkeyModuleCallReply) + len + 1);
    if (!mem) {
        std::fprintf(stderr, "vmhost: out of memory copying a call reply of %zu bytes\n", len);
        std::abort();
    }
    ValkeyModuleCallReply *r = new (mem) ValkeyModuleCallReply();
    r->buffer = static_cast<char *>(mem) + sizeof(ValkeyModuleCallReply);
    if (len) std::memcpy(r->buffer, bytes, len);
    r->buffer[len] = '\0';
    r->proto = r->buffer;
    r->protoLen = len;
    Parser ps{r->buffer, r->buffer + len};
    parse_node(ps, r, r);
    if (ctx && (ctx->flags & CTX_AUTO_MEMORY)) {
        r->ctx = ctx;
        ctx_auto_add(ctx, AutoKind::CallReply, r);
    }
    return r;
}

ValkeyModuleCallReply *callreply_create_promise(CallPromise *p, ValkeyModuleCtx *ctx) {
    ValkeyModuleCallReply *r = callreply_create("", 0, ctx);
    r->type = VALKEYMODULE_REPLY_PROMISE;
    r->promise = p;
    return r;
}

void callpromise_unref(CallPromise *p) {
    if (p && --p->refs == 0) delete p;
}

void callreply_free(ValkeyModuleCallReply *reply) {
    if (!reply) return;
    if (reply->root != reply) return;  // nested replies belong to their root
    callpromise_unref(reply->promise);
    free_contents(reply);
    delete reply->errors;
    reply->~ValkeyModuleCallReply();
    std::free(reply);
}

bool callargs_from_format(const char *cmdname, const char *fmt, va_list ap, CallArgs &out, int &flags) {
    size_t nl = 0;
    for (const char *p = fmt; *p; p++) nl += *p == 'l';
    out.numbers.reserve(nl);
    out.push(cmdname, std::strlen(cmdname));
    for (const char *p = fmt; *p; p++) {
        switch (*p) {
            case 'c': {
                const char *s = va_arg(ap, const char *);
                out.push(s, std::strlen(s));
                break;
            }
            case 's': {
                ValkeyModuleString *s = va_arg(ap, ValkeyModuleString *);
                out.push(s->ptr, s->len);
                break;
            }
            case 'b': {
                const char *buf = va_arg(ap, const char *);
                size_t n = va_arg(ap, size_t);
                out.push(buf, n);
                break;
            }
            case 'l': {
                long long v = va_arg(ap, long long);
                char tmp[32];
                int n = std::snprintf(tmp, sizeof(tmp), "%lld", v);
                out.numbers.emplace_back(tmp, static_cast<size_t>(n));
                const std::string &s = out.numbers.back();
                out.push(s.data(), s.size());
                break;
            }
            case 'v': {
                ValkeyModuleString **v = va_arg(ap, ValkeyModuleString **);
                size_t n = va_arg(ap, size_t);
                for (size_t i = 0; i < n; i++) out.push(v[i]->ptr, v[i]->len);
                break;
            }
            case '!': flags |= ARGV_REPLICATE; break;
            case 'A': flags |= ARGV_NO_AOF; break;
            case 'R': flags |= ARGV_NO_REPLICAS; break;
            case '3': flags |= ARGV_RESP_3; break;
            case '0': flags |= ARGV_RESP_AUTO; break;
            case 'C': flags |= ARGV_RUN_AS_USER; break;
            case 'S': flags |= ARGV_SCRIPT_MODE; break;
            case 'W': flags |= ARGV_NO_WRITES; break;
            case 'M': flags |= ARGV_RESPECT_DENY_OOM; break;
            case 'E': flags |= ARGV_CALL_REPLIES_AS_ERRORS; break;
            case 'D': flags |= ARGV_DRY_RUN | ARGV_CALL_REPLIES_AS_ERRORS; break;
            case 'K': flags |= ARGV_ALLOW_BLOCK; break;
            case 'X': flags |= ARGV_REPLY_EXACT; break;
            default: return false;
        }
    }
    return true;
}

namespace {

/** Calls the engine's call hook with `argc` prepared arguments; undefined (after logging the
 *  exception) when it threw. */
Napi::Value invoke_call_hook(Host *host, size_t argc, const napi_value *argv) {
    Napi::Env env = host->env;
    napi_value result;
    if (napi_call_function(env, env.Undefined(), host->callHook.Value(), argc, argv, &result) != napi_ok) {
        napi_value exc;
        napi_get_and_clear_last_exception(env, &exc);
        Napi::Value ev(env, exc);
        host->logf(LL_WARNING, "call bridge failed: %s", ev.ToString().Utf8Value().c_str());
        return env.Undefined();
    }
    return Napi::Value(env, result);
}

}  // namespace

Napi::Value call_bridge(Host *host, int op, const CallArgs &args, int flags, uint64_t clientId, int db, int resp) {
    Napi::Env env = host->env;
    if (host->callHook.IsEmpty()) return env.Undefined();
    // Up to kInline strings go as arguments (the cheapest way to hand JS a short list);
    // longer command lines as one array.
    constexpr size_t kInline = 16;
    const size_t n = args.size();
    napi_value small[5 + kInline];
    napi_value *callArgs = small;
    size_t argc = 5;
    napi_create_int32(env, op, &callArgs[0]);
    napi_create_int32(env, flags, &callArgs[1]);
    napi_create_double(env, static_cast<double>(clientId), &callArgs[2]);
    napi_create_int32(env, db, &callArgs[3]);
    napi_create_int32(env, resp, &callArgs[4]);
    if (n <= kInline) {
        for (size_t i = 0; i < n; i++) callArgs[argc++] = bytes_to_js(env, args[i].first, args[i].second);
    } else {
        napi_value arr;
        napi_create_array_with_length(env, n, &arr);
        for (size_t i = 0; i < n; i++)
            napi_set_element(env, arr, static_cast<uint32_t>(i), bytes_to_js(env, args[i].first, args[i].second));
        callArgs[argc++] = arr;
    }
    return invoke_call_hook(host, argc, callArgs);
}

Napi::Value call_bridge_value(Host *host, int op, double id, napi_value value) {
    Napi::Env env = host->env;
    if (host->callHook.IsEmpty()) return env.Undefined();
    napi_value argv[6];
    napi_create_int32(env, op, &argv[0]);
    napi_create_int32(env, 0, &argv[1]);
    napi_create_double(env, id, &argv[2]);
    napi_create_int32(env, 0, &argv[3]);
    napi_create_int32(env, 0, &argv[4]);
    argv[5] = value;
    return invoke_call_hook(host, 6, argv);
}

}  // namespace vmhost
