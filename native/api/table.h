// The API table's public face (rows live in table.cc).
#pragma once
#include <cstddef>

#include "../../include/valkeymodule.h"

namespace vmhost {

struct ApiRow {
    const char *area;    // reference area, e.g. "strings"
    const char *name;    // API name without prefix, e.g. "CreateString"
    void *fn;            // implementation, or nullptr when not supported
    const char *reason;  // why it is not supported (nullptr when implemented)
};

extern const ApiRow kApiTable[];
extern const size_t kApiTableSize;

/** The implementation registered under a full name ("ValkeyModule_X" or "RedisModule_X"),
 *  or nullptr. */
void *api_lookup(const char *name);

}  // namespace vmhost
